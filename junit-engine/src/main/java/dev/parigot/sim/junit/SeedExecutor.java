package dev.parigot.sim.junit;

import dev.parigot.sim.kernel.FailureKind;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimFailure;
import dev.parigot.sim.kernel.Trace;
import dev.parigot.sim.scheduler.Seed;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;

/**
 * Runs a test method under one seed: a fresh world, a fresh instance of the test class, the
 * method invoked with the world; whatever it throws becomes the world's failure.
 */
final class SeedExecutor {
    private final Class<?> testClass;
    private final Method method;
    private final Settings settings;
    private final Constructor<?> constructor;
    /** The world configuration of every seed but the seed itself: built and validated once per method. */
    private final dev.parigot.sim.kernel.SimConfig base;

    private SeedExecutor(Class<?> testClass, Method method, Settings settings, Constructor<?> constructor) {
        this.base = settings.worldConfig(Seed.FIRST, settings.faultPlan(testClass));
        this.testClass = testClass;
        this.method = method;
        this.settings = settings;
        this.constructor = constructor;
    }

    /** Checks that the method can run at all; the message says what to change. */
    static SeedExecutor prepare(Class<?> testClass, Method method, Settings settings) {
        String where = testClass.getSimpleName() + "#" + method.getName();
        if (Modifier.isStatic(method.getModifiers())) {
            throw new SettingsException("@ParigotSimTest method " + where + " is static; make it an instance method"
                    + " (each seed gets a fresh instance of " + testClass.getSimpleName() + ")");
        }
        if (Modifier.isPrivate(method.getModifiers())) {
            throw new SettingsException("@ParigotSimTest method " + where + " is private; make it package-private"
                    + " or public");
        }
        if (method.getReturnType() != void.class) {
            throw new SettingsException("@ParigotSimTest method " + where + " returns " + method.getReturnType()
                    .getSimpleName() + "; it must return void");
        }
        Class<?>[] types = method.getParameterTypes();
        boolean sim = false;
        boolean seed = false;
        for (int i = 0; i < types.length; i++) {
            if (types[i] == Sim.class && !sim) {
                sim = true;
            } else if (types[i] == Seed.class && !seed) {
                seed = true;
            } else {
                throw new SettingsException("@ParigotSimTest method " + where + " cannot run: its parameter " + (i + 1)
                        + " has type " + types[i].getSimpleName() + "; a @ParigotSimTest method may take a Sim (the"
                        + " world of the seed) and a Seed, each at most once, in any order");
            }
        }
        // Before the constructor: an inner class has none without parameters, and static is the fix.
        if (testClass.isMemberClass() && !Modifier.isStatic(testClass.getModifiers())) {
            throw new SettingsException("test class " + testClass.getName() + " is an inner class; make it static");
        }
        Constructor<?> constructor;
        try {
            constructor = testClass.getDeclaredConstructor();
            constructor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new SettingsException("test class " + testClass.getName() + " has no constructor without"
                    + " parameters; add one (each seed gets a fresh instance)");
        }
        method.setAccessible(true);
        return new SeedExecutor(testClass, method, settings, constructor);
    }

    SeedOutcome run(Seed seed, boolean keepTrace) {
        Sim sim = Sim.create(base.withSeed(seed));
        Throwable thrown = null;
        try {
            Object instance = constructor.newInstance();
            Class<?>[] types = method.getParameterTypes();
            Object[] args = new Object[types.length];
            for (int i = 0; i < types.length; i++) {
                args[i] = types[i] == Sim.class ? sim : seed;
            }
            method.invoke(instance, args);
        } catch (InvocationTargetException e) {
            thrown = e.getCause();
        } catch (ReflectiveOperationException | RuntimeException e) {
            thrown = new IllegalStateException("cannot create an instance of " + testClass.getName() + ": " + e, e);
        }
        SimFailure failure = sim.failure().orElse(null);
        if (thrown != null) {
            failure = sim.recordFailure(thrown);
        }
        if (thrown instanceof OutOfMemoryError || thrown instanceof LinkageError) {
            // Nothing a seed should swallow: the JVM or the classpath is broken.
            throw (Error) thrown;
        }
        Trace trace = sim.trace();
        return new SeedOutcome(seed, failure, thrown, sim.steps(), sim.nowNanos(), trace.hash(), sim.assertions(),
                failure == null && !keepTrace ? null : trace, "");
    }

    /** Runs a failing seed again and says whether it failed the same way. */
    SeedOutcome confirm(SeedOutcome first) {
        SeedOutcome again = run(first.seed(), true);
        if (again.traceHash() == first.traceHash() && sameFailure(first.failure(), again.failure())) {
            return first.withDeterminismNote("re-run: the same failure and trace hash", first.failure());
        }
        return first.withDeterminismNote(divergence(first, again), first.failure());
    }

    /** Runs a passing seed again; a different trace turns it into a failure. */
    SeedOutcome recheck(SeedOutcome first) {
        SeedOutcome again = run(first.seed(), true);
        if (again.traceHash() == first.traceHash() && again.passed()) {
            return first.withoutTrace();
        }
        String note = divergence(first, again);
        SimFailure failure = again.failure() != null ? again.failure() : new SimFailure(first.seed(),
                settings.strategy, FailureKind.TEST_CODE, "the seed is not deterministic: " + note, "", first.steps(),
                first.timeNanos(), first.traceHash(), List.of(), List.of());
        return new SeedOutcome(first.seed(), failure, null, first.steps(), first.timeNanos(), first.traceHash(),
                first.assertions(),
                again.trace(), note);
    }

    private static boolean sameFailure(SimFailure a, SimFailure b) {
        return a != null && b != null && a.kind() == b.kind() && a.reason().equals(b.reason())
                && a.step() == b.step();
    }

    private static String divergence(SeedOutcome first, SeedOutcome again) {
        if (first.trace() != null && again.trace() != null) {
            long step = Trace.firstDivergence(first.trace(), again.trace());
            String at = step < 0 ? "the traces are identical but the outcome differs"
                    : "the traces diverge at step " + step + describe(first.trace(), step, "first run")
                    + describe(again.trace(), step, "re-run");
            return "NOT deterministic: a re-run of this seed " + (again.passed() ? "passed" : "failed differently")
                    + "; " + at + ". Something in the test or a service reads real time, real randomness or"
                    + " iteration order outside the world (see docs/kernel.md, determinism)";
        }
        return "NOT deterministic: a re-run gave trace hash " + Long.toHexString(again.traceHash()) + " instead of "
                + Long.toHexString(first.traceHash());
    }

    private static String describe(Trace trace, long step, String label) {
        if (trace.retains(step)) {
            return "; " + label + ": " + trace.step(step);
        }
        return "; " + label + ": " + (step > trace.steps() ? "ended after step " + trace.steps() : "(not kept)");
    }
}
