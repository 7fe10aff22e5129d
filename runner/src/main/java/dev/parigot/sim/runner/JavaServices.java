package dev.parigot.sim.runner;

import dev.parigot.sim.kernel.JavaService;
import java.util.function.Supplier;

/** Java fakes named on the command line: a class on the class path that supplies a {@link JavaService}. */
final class JavaServices {
    private JavaServices() {
    }

    /**
     * A new service from {@code className}, a {@code Supplier<JavaService>} with a public
     * no-argument constructor. A nested class may be named as in Java source
     * ({@code a.b.Outer.Inner}) or by its binary name ({@code a.b.Outer$Inner}).
     */
    static JavaService load(String className) {
        Object supplier;
        try {
            supplier = classNamed(className).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("no class " + className + " on the class path; name a class that"
                    + " implements Supplier<JavaService>", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(className + " cannot be created with a public no-argument"
                    + " constructor: " + e, e);
        }
        if (!(supplier instanceof Supplier<?> s) || !(s.get() instanceof JavaService service)) {
            throw new IllegalArgumentException(className + " does not implement Supplier<JavaService>");
        }
        return service;
    }

    /** The class of that name, trying {@code Outer$Inner} for each {@code Outer.Inner} from the right. */
    private static Class<?> classNamed(String name) throws ClassNotFoundException {
        String candidate = name;
        while (true) {
            try {
                return Class.forName(candidate);
            } catch (ClassNotFoundException e) {
                int dot = candidate.lastIndexOf('.');
                if (dot < 0) {
                    throw new ClassNotFoundException(name, e);
                }
                candidate = candidate.substring(0, dot) + '$' + candidate.substring(dot + 1);
            }
        }
    }
}
