package dev.parigot.sim.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.platform.commons.annotation.Testable;

/**
 * A simulation test: the method runs once per seed, each time in a fresh world ({@link
 * dev.parigot.sim.kernel.Sim}) on a fresh instance of the test class.
 *
 * <pre>{@code
 * class TransferSimTest {
 *     static final GuestModule LEDGER = GuestModule.fromResource(TransferSimTest.class, "/guests/ledger.wasm");
 *
 *     @ParigotSimTest(seeds = 1000)
 *     void moneyIsConserved(Sim sim) { ... }
 * }
 * }</pre>
 *
 * <p>The method may take a {@link dev.parigot.sim.kernel.Sim} (the world of this seed) and a
 * {@link dev.parigot.sim.scheduler.Seed}, in any order, and returns void. Every attribute can
 * be overridden without editing code by a system property or JUnit configuration parameter
 * (see docs/junit-engine.md): {@code -Dparigot.seeds=100000}, {@code -Dparigot.seed=0x...}. A
 * failing seed prints this annotation with the settings it ran under, ready to paste.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Testable
public @interface ParigotSimTest {

    /** How many seeds to run (a sweep from the first seed). */
    int seeds() default 100;

    /** Fixed seeds to run instead of a sweep, as printed ("0x5eed00000000002a"). */
    String[] seed() default {};

    /**
     * The scheduling strategy: "mix" (each seed draws random walk or PCT of depth 1 to 3),
     * "random" (random walk), "pct" or "pct:&lt;depth&gt;", or "fifo"; or the name of a static
     * method of the test class, without parameters, returning a
     * {@link dev.parigot.sim.scheduler.Strategy} of the test's own, called once per world.
     */
    String strategy() default "mix";

    /**
     * The network of the worlds when the faults bring none of their own (a profile with network
     * faults has its own network model): the name of a static method of the test class, without
     * parameters, returning a {@link dev.parigot.sim.faults.NetworkModel}; empty (the default)
     * for a reliable network of 100 µs to 1 ms latency.
     */
    String network() default "";

    /**
     * The faults each seed injects: "none", "default" (FaultProfile.defaults()), "swarm" (each
     * seed picks its own subset of the default faults), or the name of a static method of the
     * test class that returns a FaultProfile, optionally as "swarm:&lt;method&gt;".
     */
    String faults() default "none";

    /** Steps per world before it fails with a LIMIT failure; 0 means the kernel's default (1,000,000). */
    long stepsMax() default 0;

    /** Virtual time per world, e.g. "10s", "500ms", "2m"; empty means the kernel's default (1 hour). */
    String virtualTimeMax() default "";

    /**
     * Linear memory per WASM node, e.g. "64MiB", "256m", "1g" (binary units) or bytes; empty
     * means the kernel's default (256 MiB). A module's own declared maximum may be lower.
     */
    String memoryMax() default "";

    /**
     * Wall-clock time one guest export may run before the world fails as a hang, e.g. "500ms",
     * "5s"; empty means the kernel's default (5 s).
     */
    String handlerTimeMax() default "";

    /** Wall-clock budget for the whole sweep of this method, e.g. "30s"; empty means none. */
    String timeBudget() default "";

    /** How many of the last trace steps a failure shows (its full trace is in a file next to the report). */
    int reportSteps() default 20;

    /** How many of the last log lines a failure shows (its full log is in a file next to the report). */
    int reportLogLines() default 40;

    /**
     * Values for the test's own parameters, read with {@code sim.parameter(name, default)}, as
     * "name=value" ("raft.wasm=raft-fixed.wasm"); a system property or configuration parameter of
     * the same name overrides one.
     */
    String[] parameters() default {};

    /**
     * The {@code sometimes} and {@code reachable} assertions this method answers for: a full sweep
     * in which one of them never held fails it as a coverage gap. Empty (the default): every one
     * its seeds reach. Texts as written in the assertions ("the cache was hit"): those only, and a
     * named one that never ran is a gap too. "none": no coverage gap fails the method. Gaps in
     * assertions the method does not answer for (a shared guest's, say) are printed as notes.
     */
    String[] coverage() default {};
}
