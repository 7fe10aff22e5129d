package dev.parigot.sim.junit.internal;

import static dev.parigot.sim.junit.internal.EngineRun.failedSeeds;
import static dev.parigot.sim.junit.internal.EngineRun.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.junit.ParigotSimTest;
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
            return FaultProfile.builder().label("lossy").network(n -> n.drop(0.5)).build();
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

    /** Four methods over one world whose (guest's) assertions they share; each answers for a part of them. */
    static class ScopedCoverage {
        /** What a shared guest asserts: a cache hit never happens; an odd draw happens in some seeds. */
        static void sharedGuest(Sim sim) {
            sim.assertSometimes("the cache was hit", false);
            sim.assertSometimes("an odd draw", (sim.client("c").randomLong() & 1) == 1);
        }

        @ParigotSimTest(seeds = 10, coverage = "an odd draw")
        void answersForTheOddDrawOnly(Sim sim) {
            sharedGuest(sim);
        }

        @ParigotSimTest(seeds = 10, coverage = "none")
        void answersForNone(Sim sim) {
            sharedGuest(sim);
        }

        @ParigotSimTest(seeds = 10, coverage = "the cache was hit")
        void answersForTheCache(Sim sim) {
            sharedGuest(sim);
        }

        @ParigotSimTest(seeds = 10, coverage = {"an odd draw", "the retry path"})
        void answersForAnAssertionThatNeverRuns(Sim sim) {
            sharedGuest(sim);
        }
    }

    static class BadCoverage {
        @ParigotSimTest(seeds = 1, coverage = {"none", "the cache was hit"})
        void noneWithOthers(Sim sim) {
        }

        @ParigotSimTest(seeds = 1, coverage = " ")
        void blank(Sim sim) {
        }

        @ParigotSimTest(seeds = 1, coverage = {"the cache was hit", "the cache was hit"})
        void twice(Sim sim) {
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
    void aGapInAnAssertionAMethodDoesNotAnswerForIsANoteNotAFailure(@TempDir Path dir) {
        EngineRun run = EngineRun.in(dir);
        EngineExecutionResults[] results = new EngineExecutionResults[1];

        String printed = EngineRun.printedBy(() -> results[0] = run.run(ScopedCoverage.class));

        results[0].testEvents().assertThatEvents()
                .haveExactly(1, event(test("answersForTheOddDrawOnly"), finishedSuccessfully()))
                .haveExactly(1, event(test("answersForNone"), finishedSuccessfully()))
                .haveExactly(1, event(test("answersForTheCache"), finishedWithFailure(message(
                        "coverage gap: sometimes \"the cache was hit\" (reached 10 times, never held), in 10 seeds;"
                                + " the seeds never exercised what the assertion expects (run more seeds, or turn on"
                                + " the faults it needs)"))))
                .haveExactly(1, event(test("answersForAnAssertionThatNeverRuns"), finishedWithFailure(message(
                        "coverage gap: \"the retry path\" (never ran: no sometimes or reachable assertion has that"
                                + " text; the ones that ran: sometimes \"the cache was hit\", sometimes \"an odd"
                                + " draw\"), in 10 seeds; the seeds never exercised what the assertion expects (run"
                                + " more seeds, or turn on the faults it needs)"))));
        assertThat(printed).contains("[parigot] ScopedCoverage#answersForTheOddDrawOnly: coverage gap, not this"
                + " method's (coverage = \"an odd draw\"): sometimes \"the cache was hit\" (reached 10 times, never"
                + " held), in 10 seeds\n")
                .contains("[parigot] ScopedCoverage#answersForNone: coverage gap, not this method's (coverage ="
                        + " \"none\"): sometimes \"the cache was hit\"");
        // The summary lists every assertion, whatever the method answers for.
        assertThat(EngineRun.read(run.summary(ScopedCoverage.class, "answersForNone")))
                .contains("\"assertion\": \"sometimes \\\"the cache was hit\\\"\"");
    }

    @Test
    void coverageThatCannotMeanAnythingFailsItsMethodSayingWhatToWrite(@TempDir Path dir) {
        EngineExecutionResults results = EngineRun.in(dir).run(BadCoverage.class);

        String write = "; name the sometimes and reachable assertions the method answers for, as written (coverage"
                + " = {\"the cache was hit\", \"the retry path\"}), or coverage = \"none\" for none";
        results.testEvents().assertThatEvents()
                .haveExactly(1, event(test("noneWithOthers"), finishedWithFailure(instanceOf(
                        ParigotSimEngine.SettingsError.class), message("@ParigotSimTest(coverage = {\"none\", \"the"
                        + " cache was hit\"}) is not valid: \"none\" stands alone" + write))))
                .haveExactly(1, event(test("blank"), finishedWithFailure(message("@ParigotSimTest(coverage ="
                        + " \" \") is not valid: an assertion text is blank" + write))))
                .haveExactly(1, event(test("twice"), finishedWithFailure(message("@ParigotSimTest(coverage ="
                        + " {\"the cache was hit\", \"the cache was hit\"}) is not valid: \"the cache was hit\" is"
                        + " given twice" + write))));
    }

    @Test
    void aGapIsOnlyANoteWhenFixedSeedsRun(@TempDir Path dir) {
        EngineExecutionResults results = EngineRun.in(dir).set(Settings.SEED, "0x1").run(Coverage.class);
        results.testEvents().assertStatistics(s -> s.failed(0));
    }
}
