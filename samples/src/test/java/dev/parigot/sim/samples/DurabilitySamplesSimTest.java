package dev.parigot.sim.samples;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.samples.DurabilitySamples.Variant;

/**
 * The replicated store of {@link DurabilitySamples} as simulation tests under the built-in faults
 * with swarm. They run the fixed store, which passes every seed; {@code -Dsamples.variant=buggy}
 * runs the planted bugs instead (one per method), to see what their failures look like:
 *
 * <pre>mvn test -pl samples -am -Dsurefire.failIfNoSpecifiedTests=false -Dtest=DurabilitySamplesSimTest -Dsamples.variant=buggy</pre>
 */
class DurabilitySamplesSimTest {
    static final boolean FIXED = !"buggy".equals(System.getProperty("samples.variant"));

    @ParigotSimTest(seeds = 100, faults = "swarm")
    void aWriteIsAcknowledgedOnlyOnceItsSyncAnswered(Sim sim) {
        DurabilitySamples.ackedWritesSurvive(sim, FIXED ? Variant.FIXED : Variant.ACK_EARLY);
    }

    @ParigotSimTest(seeds = 100, faults = "swarm")
    void aRestartedNodeSyncsWhatItReadBeforeServingIt(Sim sim) {
        DurabilitySamples.ackedWritesSurvive(sim, FIXED ? Variant.FIXED : Variant.TRUST_UNSYNCED);
    }
}
