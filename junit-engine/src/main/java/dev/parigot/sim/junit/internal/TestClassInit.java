package dev.parigot.sim.junit.internal;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Initializes a test class before its first seed runs, so that what its static fields load
 * (modules: {@code static final GuestModule M = GuestModule.load(...)}) loads here once. When
 * the static initializer throws, each method of the class fails with what it threw, in its own
 * words on the first line, instead of an {@code ExceptionInInitializerError} (or, on every later
 * use of the class, a {@code NoClassDefFoundError}) with the sentence two causes deep.
 */
final class TestClassInit {
    private TestClassInit() {
    }

    /** What the static initializers of classes this JVM failed to initialize threw. */
    private static final Map<Class<?>, Throwable> FAILED = Collections.synchronizedMap(new WeakHashMap<>());

    /** Initializes {@code testClass}; throws {@link ParigotSimEngine.StaticInitializerError} if it cannot be. */
    static void initialize(Class<?> testClass) {
        Throwable thrown = FAILED.get(testClass);
        if (thrown == null) {
            try {
                Class.forName(testClass.getName(), true, testClass.getClassLoader());
                return;
            } catch (ExceptionInInitializerError e) {
                thrown = e.getCause() != null ? e.getCause() : e;
                FAILED.put(testClass, thrown);
            } catch (NoClassDefFoundError e) {
                thrown = e; // its initialization failed before this engine tried it
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("test class " + testClass.getName() + " cannot be found by its own"
                        + " class loader", e);
            }
        }
        throw new ParigotSimEngine.StaticInitializerError(sentence(thrown) + System.lineSeparator()
                + "  (thrown by the static initializer of " + testClass.getName() + ": none of its methods can run)",
                thrown);
    }

    /** How the JVM words an earlier initialization failure inside the NoClassDefFoundError of a later use. */
    private static final Pattern EARLIER = Pattern.compile("Exception [^\\s:]+: (.*) \\[in thread \".*\"]",
            Pattern.DOTALL);

    /** What {@code thrown} says, in its own words. */
    private static String sentence(Throwable thrown) {
        if (thrown instanceof NoClassDefFoundError && thrown.getCause() instanceof ExceptionInInitializerError e
                && e.getMessage() != null) {
            Matcher m = EARLIER.matcher(e.getMessage());
            if (m.matches()) {
                return m.group(1);
            }
        }
        return thrown.getMessage() != null ? thrown.getMessage() : thrown.toString();
    }
}
