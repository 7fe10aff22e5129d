package dev.parigot.sim.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.kernel.DeterminismCheck;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.kernel.SimFailure;
import dev.parigot.sim.scheduler.Seed;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A world whose nodes restore their module's boot image runs exactly as one whose nodes boot from
 * scratch: every sample, under every strategy, with and without faults, seed by seed, the same
 * trace hash, steps, failure and log. Restored nodes must really have been restored, first boots
 * and restarts after crashes alike. So must a world whose nodes reuse the instances an earlier
 * world gave back when it closed (or a node when it crashed), reset to the image.
 */
class SnapshotRestoreTest {
    /** Seeds per case and strategy; -Dsnapshot.seeds=N for a longer comparison. */
    static final int SEEDS = Integer.getInteger("snapshot.seeds", 5);

    record Case(String name, DeterminismCheck.Scenario scenario, FaultProfile faults, boolean swarm) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("bank, buggy teller", w -> BankSample.concurrentDeposits(w, BankSample.buggyTeller()),
                FaultProfile.NONE, false));
        cases.add(new Case("bank, fixed teller, default faults",
                w -> BankSample.concurrentDeposits(w, BankSample.fixedTeller()), FaultProfile.defaults(), false));
        cases.add(new Case("ping-pong, swarm", w -> PingPongSample.rounds(w, 20), FaultProfile.defaults(), true));
        cases.add(new Case("pay once, slow network", w -> FaultSamples.payOnce(w, false), FaultSamples.slowNetwork(),
                false));
        cases.add(new Case("acknowledged writes survive a crash",
                w -> FaultSamples.acknowledgedWritesSurviveACrash(w, false), FaultProfile.NONE, false));
        cases.add(new Case("at most one leader, partitions", w -> FaultSamples.atMostOneLeader(w, false),
                FaultSamples.partitions(), false));
        for (DurabilitySamples.Variant v : DurabilitySamples.Variant.values()) {
            cases.add(new Case("replicated store " + v + ", swarm", w -> DurabilitySamples.ackedWritesSurvive(w, v),
                    FaultProfile.defaults(), true));
        }
        return cases;
    }

    static List<Object[]> casesAndStrategies() {
        List<Object[]> all = new ArrayList<>();
        for (Case c : cases()) {
            for (String strategy : List.of("fifo", "random", "pct:3", "mix")) {
                all.add(new Object[] {c, strategy});
            }
        }
        return all;
    }

    static Sim run(Case c, String strategy, Seed seed, boolean snapshots) {
        SimConfig config = SimConfig.builder().seed(seed).echoLog(false).strategy(strategy).faults(c.faults())
                .swarm(c.swarm()).snapshots(snapshots).build();
        return DeterminismCheck.runOnce(config, c.scenario());
    }

    static String outcome(Sim sim) {
        return sim.steps() + " steps, hash " + sim.trace().hashText() + ", "
                + sim.failure().map(SimFailure::reason).orElse("passed") + ", " + sim.log().size() + " log lines, "
                + sim.injectedFaults().size() + " faults";
    }

    @ParameterizedTest(name = "{0} under {1}")
    @MethodSource("casesAndStrategies")
    void restoredWorldsRunExactlyAsFreshOnes(Case c, String strategy) {
        int restored = 0;
        int reused = 0;
        int passed = 0;
        for (int i = 0; i < SEEDS; i++) {
            Seed seed = Seed.FIRST.plus(i * 7919L);
            Sim fresh = run(c, strategy, seed, false);
            Sim fromImage = run(c, strategy, seed, true);
            fromImage.close(); // its instances (if it passed) serve the next world on this thread
            Sim reusing = run(c, strategy, seed, true);
            reusing.close();
            assertThat(fresh.bootsRestored()).isZero();
            assertThat(outcome(fromImage)).as("seed %s", seed).isEqualTo(outcome(fresh));
            assertThat(fromImage.log()).as("seed %s", seed).isEqualTo(fresh.log());
            assertThat(outcome(reusing)).as("seed %s, reused instances", seed).isEqualTo(outcome(fresh));
            assertThat(reusing.log()).as("seed %s, reused instances", seed).isEqualTo(fresh.log());
            assertThat(fromImage.bootsRestored() + fromImage.bootsFromScratch())
                    .isEqualTo(fresh.bootsFromScratch());
            restored += fromImage.bootsRestored();
            reused += reusing.bootsReusingInstances() + fromImage.bootsReusingInstances();
            passed += fromImage.failure().isEmpty() ? 1 : 0;
        }
        assertThat(restored).as("node boots restored from an image").isPositive();
        if (passed > 0) { // a failed world gives nothing back
            assertThat(reused).as("restored boots that reused an instance given back").isPositive();
        }
    }
}
