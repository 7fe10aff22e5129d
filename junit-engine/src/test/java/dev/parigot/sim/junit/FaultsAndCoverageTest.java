package dev.parigot.sim.junit;

import static dev.parigot.sim.junit.EngineRun.failedSeeds;
import static dev.parigot.sim.junit.EngineRun.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.kernel.Sim;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/** The faults attribute and setting, and coverage gaps of sometimes/reachable assertions. */
class FaultsAndCoverageTest {

    static class WithFaults {
        static FaultProfile lossy() {
            return FaultProfile.builder().label("lossy").drop(0.5).build();
        }

        static String notAProfile() {
            return "x";
        }

        @ParigotSimTest(seeds = 20, faults = "lossy")
        void lossyNetwork(Sim sim) {
            LedgerWorld.lostUpdate(sim);
        }

        @ParigotSimTest(seeds = 20, faults = "swarm")
        void swarm(Sim sim) {
            LedgerWorld.lostUpdate(sim);
        }

        @ParigotSimTest(seeds = 1, faults = "notAProfile")
        void badProfileMethod(Sim sim) {
        }

        @ParigotSimTest(seeds = 1, faults = "nonsense")
        void unknownFaults(Sim sim) {
        }
    }

    static class Coverage {
        @ParigotSimTest(seeds = 10)
        void sometimesNeverHolds(Sim sim) {
            sim.assertSometimes("the cache was hit", false);
            sim.assertReachable("the retry path");
        }

        @ParigotSimTest(seeds = 10)
        void sometimesHoldsInSomeSeed(Sim sim) {
            sim.assertSometimes("an odd draw", (sim.client("c").randomLong() & 1) == 1);
        }
    }

    @Test
    void aProfileNamedByAStaticMethodIsInjectedAndReported(@TempDir Path dir) {
        EngineExecutionResults results = EngineRun.in(dir).run(WithFaults.class);
        List<Event> failed = failedSeeds(results).stream()
                .filter(e -> e.getTestDescriptor().getUniqueId().toString().contains("lossyNetwork")).toList();
        assertThat(failed).isNotEmpty();
        assertThat(message(failed.get(0))).contains("faults: lossy: latency").contains("drop 0.5");
    }

    @Test
    void swarmSeedsEachPrintTheFaultsTheyPicked(@TempDir Path dir) {
        EngineExecutionResults results = EngineRun.in(dir).run(WithFaults.class);
        List<String> texts = failedSeeds(results).stream()
                .filter(e -> e.getTestDescriptor().getUniqueId().toString().contains("swarm"))
                .map(EngineRun::message).toList();
        assertThat(texts).isNotEmpty().allMatch(t -> t.contains("faults: swarm"));
    }

    @Test
    void badFaultsValuesFailTheirTestSayingWhatToWrite(@TempDir Path dir) {
        EngineExecutionResults results = EngineRun.in(dir).run(WithFaults.class);
        results.testEvents().assertThatEvents()
                .haveExactly(1, event(test("badProfileMethod"), finishedWithFailure(message(m -> m.contains(
                        "faults \"notAProfile\" is not valid: method notAProfile of WithFaults must be static and"
                                + " return a FaultProfile")))))
                .haveExactly(1, event(test("unknownFaults"), finishedWithFailure(message(m -> m.contains(
                        "WithFaults has no method nonsense() without parameters; use none, default, swarm")))));
    }

    @Test
    void theFaultsSettingOverridesTheAnnotation(@TempDir Path dir) {
        EngineExecutionResults results = EngineRun.in(dir).set(Settings.FAULTS, "none").run(WithFaults.class);
        List<Event> failed = failedSeeds(results);
        assertThat(failed).as("the lost update fails some seeds without faults too").isNotEmpty();
        for (Event e : failed) {
            assertThat(message(e)).doesNotContain("faults:");
        }
    }

    @Test
    void aSometimesAssertionThatNeverHoldsIsACoverageGapOfItsMethod(@TempDir Path dir) {
        EngineExecutionResults results = EngineRun.in(dir).run(Coverage.class);
        results.testEvents().assertThatEvents()
                .haveExactly(1, event(test("sometimesNeverHolds"), finishedWithFailure(message(m -> m.contains(
                        "coverage gap: sometimes \"the cache was hit\" (reached 10 times, never held), in 10 seeds")))));
        results.testEvents().assertStatistics(s -> s.failed(1).succeeded(1));
        String json = EngineRun.read(EngineRun.in(dir).summary(Coverage.class, "sometimesNeverHolds"));
        assertThat(json).contains("\"assertion\": \"reachable \\\"the retry path\\\"\"").contains("\"reached\": 10");
    }

    @Test
    void aGapIsOnlyANoteWhenFixedSeedsRun(@TempDir Path dir) {
        EngineExecutionResults results = EngineRun.in(dir).set(Settings.SEED, "0x1").run(Coverage.class);
        results.testEvents().assertStatistics(s -> s.failed(0));
    }
}
