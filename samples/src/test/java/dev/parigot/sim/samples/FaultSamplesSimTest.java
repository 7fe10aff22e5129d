package dev.parigot.sim.samples;

import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.Sim;

/**
 * The fault samples as simulation tests. They run the fixed services, which pass every seed;
 * {@code -Dsamples.variant=buggy} runs the planted bugs instead, to see what their failures
 * look like (each report lists the faults that seed injected):
 *
 * <pre>mvn test -pl samples -am -Dsurefire.failIfNoSpecifiedTests=false -Dtest=FaultSamplesSimTest -Dsamples.variant=buggy</pre>
 */
class FaultSamplesSimTest {
    static final boolean FIXED = !"buggy".equals(System.getProperty("samples.variant"));

    static FaultProfile slowNetwork() {
        return FaultSamples.slowNetwork();
    }

    static FaultProfile partitions() {
        return FaultSamples.partitions();
    }

    @ParigotSimTest(seeds = 300, faults = "swarm:slowNetwork")
    void aPaymentIsChargedOnce(Sim sim) {
        FaultSamples.payOnce(sim, FIXED);
    }

    @ParigotSimTest(seeds = 200)
    void acknowledgedWritesSurviveACrash(Sim sim) {
        FaultSamples.acknowledgedWritesSurviveACrash(sim, FIXED);
    }

    @ParigotSimTest(seeds = 100, faults = "partitions")
    void atMostOneWorkerLeads(Sim sim) {
        FaultSamples.atMostOneLeader(sim, FIXED);
    }
}
