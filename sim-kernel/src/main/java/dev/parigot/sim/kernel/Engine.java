package dev.parigot.sim.kernel;

/** How guest code runs: compiled to JVM bytecode once per module (default) or interpreted. */
public enum Engine {
    /** Chicory's runtime compiler: ~50x faster; costs 0.3 to 0.5 s per module, once per JVM. */
    COMPILED,
    /** Chicory's interpreter: no compile cost, for tiny or one-off modules and debugging. */
    INTERPRETED
}
