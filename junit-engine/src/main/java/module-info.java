/**
 * The Parigot Sim test engine for the JUnit Platform: {@link dev.parigot.sim.junit.ParigotSimTest}
 * is what a user writes against; discovery, execution, settings and failure memory are in
 * {@code dev.parigot.sim.junit.internal}, which the platform reaches only through the
 * {@link org.junit.platform.engine.TestEngine} service below.
 */
module dev.parigot.sim.junit {
    requires transitive dev.parigot.sim.kernel;
    // The report model the engine fills and writes (one JSON report per method).
    requires dev.parigot.sim.reports;
    requires transitive org.junit.platform.engine;
    requires org.junit.jupiter.api;

    exports dev.parigot.sim.junit;

    provides org.junit.platform.engine.TestEngine with dev.parigot.sim.junit.internal.ParigotSimEngine;
}
