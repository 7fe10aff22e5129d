package dev.parigot.sim.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.kernel.DeterminismCheck;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.kernel.SimFailure;
import dev.parigot.sim.kernel.StepKind;
import dev.parigot.sim.scheduler.Seed;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** Bugs only faults reveal: found by some seeds, replayed with the same faults, gone once fixed. */
class FaultSamplesTest {

    static Sim run(BiConsumer<Sim, Boolean> scenario, FaultProfile faults, Seed seed, boolean fixed) {
        SimConfig config = SimConfig.builder().seed(seed).echoLog(false).faults(faults).build();
        return DeterminismCheck.runOnce(config, sim -> scenario.accept(sim, fixed));
    }

    /** The first failing seed of the buggy variant; also checks the fixed one passes the same seeds. */
    static SimFailure hunt(BiConsumer<Sim, Boolean> scenario, FaultProfile faults, int seeds) {
        SimFailure first = null;
        for (int i = 0; i < seeds; i++) {
            Seed seed = Seed.FIRST.plus(i);
            Sim buggy = run(scenario, faults, seed, false);
            if (first == null && buggy.failure().isPresent()) {
                first = buggy.failure().get();
            }
            Sim fixed = run(scenario, faults, seed, true);
            assertThat(fixed.failure()).as("fixed variant under seed %s", seed).isEmpty();
        }
        assertThat(first).as("a seed that exposes the bug among %d", seeds).isNotNull();
        SimFailure again = run(scenario, faults, first.seed(), false).failure().orElseThrow();
        assertThat(again.traceHash()).isEqualTo(first.traceHash());
        assertThat(again.faultContext()).isEqualTo(first.faultContext());
        return first;
    }

    @Test
    void aRetryAfterATimeoutChargesTwiceOnASlowNetworkAndTheIdempotencyKeyFixesIt() {
        SimFailure failure = hunt(FaultSamples::payOnce, FaultSamples.slowNetwork(), 100);
        assertThat(failure.reason()).contains("order-1 was charged 20 in 2 charges");
        assertThat(failure.describe()).contains("faults: slow network");
    }

    @Test
    void aCrashLosesAnAcknowledgedUnsyncedWriteAndSyncBeforeAckFixesIt() {
        SimFailure failure = hunt(FaultSamples::acknowledgedWritesSurviveACrash, FaultProfile.NONE, 30);
        assertThat(failure.reason()).contains("was acknowledged, but after the crash");
        assertThat(failure.lastSteps()).anyMatch(s -> s.kind() == StepKind.CRASH);
        assertThat(failure.faultContext()).anyMatch(line -> line.contains("LOST_WRITE"));
    }

    @Test
    void aPartitionLetsTwoWorkersLeadAndTheLocalLeaseDeadlineFixesIt() {
        SimFailure failure = hunt(FaultSamples::atMostOneLeader, FaultSamples.partitions(), 40);
        assertThat(failure.reason()).contains("lead at the same time");
        assertThat(failure.faultContext()).anyMatch(line -> line.contains("PARTITION"));
    }
}
