package dev.parigot.sim.runner;

import dev.parigot.sim.kernel.JavaService;
import java.util.function.Supplier;

/** Java fakes named on the command line: a class on the class path that supplies a {@link JavaService}. */
final class JavaServices {
    private JavaServices() {
    }

    /** A new service from {@code className}, a {@code Supplier<JavaService>} with a public no-argument constructor. */
    static JavaService load(String className) {
        Object supplier;
        try {
            supplier = Class.forName(className).getDeclaredConstructor().newInstance();
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
}
