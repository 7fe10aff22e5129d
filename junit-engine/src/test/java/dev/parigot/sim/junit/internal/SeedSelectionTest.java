package dev.parigot.sim.junit.internal;

import static dev.parigot.sim.junit.internal.EngineRun.failedSeedTexts;
import static dev.parigot.sim.junit.internal.EngineRun.failedSeeds;
import static dev.parigot.sim.junit.internal.EngineRun.methodReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectUniqueId;

import dev.parigot.sim.junit.internal.Fixtures.FailsOnListedSeeds;
import dev.parigot.sim.junit.internal.Fixtures.RecordsWorld;
import dev.parigot.sim.scheduler.Seed;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * The unique id of a failing seed's test selects that seed alone, as an IDE does when it reruns
 * one failed test: the seed runs (under the settings its id carries), is reported under the same
 * id, and no other seed of the sweep runs.
 */
class SeedSelectionTest {
    static final Seed FAILING = Seed.FIRST.plus(2);

    @TempDir
    Path dir;

    @BeforeEach
    @AfterEach
    void resetFixtures() {
        FailsOnListedSeeds.reset();
        RecordsWorld.RUN.clear();
    }

    /** The failing seed of a sweep of FailsOnListedSeeds, with the seed {@link #FAILING} listed to fail. */
    Event failingSeedOfASweep() {
        FailsOnListedSeeds.FAILING.add(FAILING);
        Event failed = failedSeeds(EngineRun.in(dir.resolve("sweep")).run(FailsOnListedSeeds.class)).get(0);
        FailsOnListedSeeds.RUN.clear();
        return failed;
    }

    @Test
    void aFailingSeedsUniqueIdRunsThatSeedAloneAndReportsItUnderTheSameId() {
        UniqueId id = failingSeedOfASweep().getTestDescriptor().getUniqueId();

        EngineExecutionResults rerun = EngineRun.in(dir.resolve("rerun")).run(selectUniqueId(id));

        // The seed, and its determinism re-run: nothing else of the sweep.
        assertThat(FailsOnListedSeeds.run()).containsExactly(FAILING, FAILING);
        assertThat(failedSeeds(rerun)).singleElement().satisfies(e ->
                assertThat(e.getTestDescriptor().getUniqueId()).isEqualTo(id));
        assertThat(methodReport(rerun, "failsWhenListed")).containsEntry("parigot.seeds", "1")
                .doesNotContainKey("parigot.seed.first");
    }

    @Test
    void aSelectedSeedThatNowPassesIsReportedAsAPassingTestOfThatId() {
        UniqueId id = failingSeedOfASweep().getTestDescriptor().getUniqueId();
        FailsOnListedSeeds.FAILING.clear(); // "fixed"

        EngineExecutionResults rerun = EngineRun.in(dir.resolve("rerun")).run(selectUniqueId(id));

        assertThat(FailsOnListedSeeds.run()).containsExactly(FAILING);
        assertThat(rerun.testEvents().finished().filter(e -> e.getTestDescriptor().getUniqueId().equals(id))
                .map(e -> e.getRequiredPayload(TestExecutionResult.class).getStatus()).toList())
                .containsExactly(TestExecutionResult.Status.SUCCESSFUL);
        rerun.testEvents().assertStatistics(s -> s.dynamicallyRegistered(1).succeeded(2).failed(0));
    }

    @Test
    void selectingTheMethodOrItsClassTooRunsTheWholeSweep() {
        UniqueId id = failingSeedOfASweep().getTestDescriptor().getUniqueId();

        EngineRun.in(dir.resolve("seed-then-class")).run(selectUniqueId(id), selectClass(FailsOnListedSeeds.class));
        assertThat(FailsOnListedSeeds.run()).hasSize(5 + 1);

        FailsOnListedSeeds.RUN.clear();
        EngineRun.in(dir.resolve("method-then-seed")).run(selectUniqueId(id.removeLastSegment()), selectUniqueId(id));
        assertThat(FailsOnListedSeeds.run()).hasSize(5 + 1);
    }

    @Test
    void twoSeedIdsOfOneMethodRunThoseTwoSeeds() {
        UniqueId id = failingSeedOfASweep().getTestDescriptor().getUniqueId();
        UniqueId other = id.removeLastSegment().append(SeedDescriptor.SEGMENT, Seed.FIRST.toString());

        EngineExecutionResults rerun = EngineRun.in(dir.resolve("rerun")).set(Settings.PARALLELISM, "1")
                .run(selectUniqueId(id), selectUniqueId(other));

        assertThat(FailsOnListedSeeds.run()).containsExactly(FAILING, FAILING, Seed.FIRST);
        rerun.testEvents().assertStatistics(s -> s.dynamicallyRegistered(2).failed(1).succeeded(2));
    }

    @Test
    void aRememberedSeedsIdCarriesItsRecordedSettingsAndRunsUnderThem() {
        EngineRun found = EngineRun.in(dir).set(Settings.PARALLELISM, "1").set(Settings.STRATEGY, "fifo")
                .set("note", "it's a \"b\"");
        found.run(RecordsWorld.class);
        EngineExecutionResults next = EngineRun.in(dir).set(Settings.PARALLELISM, "1").run(RecordsWorld.class);
        assertThat(failedSeedTexts(next)).containsExactly(Seed.FIRST + " (recorded settings)");
        UniqueId id = failedSeeds(next).get(0).getTestDescriptor().getUniqueId();
        assertThat(id.getLastSegment().getValue()).isEqualTo(Seed.FIRST + " -Dparigot.strategy=fifo"
                + " -Dparigot.faults=none -Dnote='it'\\''s a \"b\"'");
        RecordsWorld.RUN.clear();

        EngineExecutionResults rerun = EngineRun.in(dir.resolve("rerun")).set(Settings.PARALLELISM, "1")
                .run(selectUniqueId(id));

        assertThat(RecordsWorld.run()).containsExactly(Seed.FIRST + " fifo it's a \"b\"",
                Seed.FIRST + " fifo it's a \"b\"");
        assertThat(failedSeeds(rerun)).singleElement().satisfies(e ->
                assertThat(e.getTestDescriptor().getUniqueId()).isEqualTo(id));
    }

    @Test
    void aSeedIdThatNamesNoSeedSelectsNothing() {
        UniqueId method = failingSeedOfASweep().getTestDescriptor().getUniqueId().removeLastSegment();

        EngineExecutionResults results = EngineRun.in(dir.resolve("rerun")).run(
                selectUniqueId(method.append(SeedDescriptor.SEGMENT, "0xnot-a-seed")),
                selectUniqueId(method.append(SeedDescriptor.SEGMENT, Seed.FIRST + " -Dparigot.strategy=fastest")),
                selectUniqueId(method.append("other", Seed.FIRST.toString())));

        results.testEvents().assertStatistics(s -> s.started(0));
        assertThat(FailsOnListedSeeds.run()).isEmpty();
    }
}
