package dev.parigot.sim.junit.internal;

import static dev.parigot.sim.junit.internal.EngineRun.failedSeedReports;
import static dev.parigot.sim.junit.internal.EngineRun.failedSeedTexts;
import static dev.parigot.sim.junit.internal.EngineRun.methodReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.junit.internal.Fixtures.FailsOnListedSeeds;
import dev.parigot.sim.junit.internal.Fixtures.LostUpdate;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.scheduler.Seed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * Failure memory and the regression file: a failing seed is on disk the moment it fails, runs
 * first (in seed order) the next time its method runs, and is forgotten once it passes; the
 * regression file's seeds run in every sweep.
 */
class FailureMemoryTest {
    static final String METHOD = "failsWhenListed";
    static final String KEY = FailsOnListedSeeds.class.getName() + "#" + METHOD;

    @TempDir
    Path dir;

    @BeforeEach
    @AfterEach
    void resetFixtures() {
        FailsOnListedSeeds.reset();
        DiskCheck.failuresFile = null;
        DiskCheck.SEEN.clear();
    }

    @Test
    void failingSeedIsOnDiskBeforeTheNextSeedRuns() {
        EngineRun run = EngineRun.in(dir).set(Settings.PARALLELISM, "1").set(Settings.SEEDS, "2");
        DiskCheck.failuresFile = run.failuresFile();

        run.run(DiskCheck.class);

        // The second seed saw the first one's failure in the file while the sweep was still running.
        assertThat(DiskCheck.SEEN).hasSize(1);
        assertThat(DiskCheck.SEEN.get(0)).contains(DiskCheck.class.getName() + "#firstSeedFails " + Seed.FIRST
                + " -Dparigot.strategy=mix -Dparigot.faults=none ASSERTION assertion failed in the test: the first seed fails");
    }

    @Test
    void failuresFileListsEachFailingSeedWithItsReason() {
        EngineRun run = EngineRun.in(dir).set(Settings.FAILURES_REPORTED, "100").set(Settings.PARALLELISM, "4");

        List<String> failing = failedSeedTexts(run.run(LostUpdate.class));

        List<String> lines = EngineRun.read(run.failuresFile()).lines().sorted().toList();
        assertThat(lines).containsExactlyElementsOf(failing.stream().map(seed -> LostUpdate.class.getName()
                + "#depositsAreNotLost " + seed + " -Dparigot.strategy=mix -Dparigot.faults=none"
                + " ASSERTION \"no lost update\" does not hold: balance is 10,"
                + " expected 20").sorted().toList());
    }

    @Test
    void rememberedFailingSeedsRunFirstInSeedOrderInTheNextRun() {
        EngineRun run = EngineRun.in(dir).set(Settings.FAILURES_REPORTED, "100").set(Settings.PARALLELISM, "8");
        List<String> failing = failedSeedTexts(run.run(LostUpdate.class));
        assertThat(failing).hasSizeGreaterThan(1);

        // The next run sweeps other seeds; the remembered ones come first, in seed order whatever
        // order the parallel run found them in.
        EngineExecutionResults next = run.set(Settings.SEED_FIRST, Seed.FIRST.plus(1000).toString())
                .set(Settings.SEEDS, "4").run(LostUpdate.class);

        List<String> reported = failedSeedTexts(next);
        assertThat(reported.subList(0, failing.size())).containsExactlyElementsOf(failing);
        assertThat(reported.subList(failing.size(), reported.size()))
                .allSatisfy(seed -> assertThat(Seed.parse(seed)).isGreaterThanOrEqualTo(Seed.FIRST.plus(1000)));
        assertThat(methodReport(next, "depositsAreNotLost"))
                .containsEntry("parigot.seeds", Integer.toString(failing.size() + 4));
    }

    @Test
    void rememberedSeedsRunFirstTheSameWayAfterParallelAndSequentialRuns() {
        EngineRun afterParallel = EngineRun.in(dir.resolve("parallel")).set(Settings.PARALLELISM, "8")
                .set(Settings.FAILURES_REPORTED, "100");
        EngineRun afterSequential = EngineRun.in(dir.resolve("sequential")).set(Settings.PARALLELISM, "1")
                .set(Settings.FAILURES_REPORTED, "100");
        afterParallel.run(LostUpdate.class);
        afterSequential.run(LostUpdate.class);

        List<String> parallelNext = failedSeedReports(afterParallel.set(Settings.SEEDS, "2").run(LostUpdate.class));
        List<String> sequentialNext = failedSeedReports(afterSequential.set(Settings.SEEDS, "2").run(LostUpdate.class));

        assertThat(parallelNext).isNotEmpty().containsExactlyElementsOf(sequentialNext);
    }

    @Test
    void rememberedSeedThatNowPassesIsForgotten() {
        Seed flaky = Seed.FIRST.plus(2);
        FailsOnListedSeeds.FAILING.add(flaky);
        EngineRun run = EngineRun.in(dir).set(Settings.PARALLELISM, "1");
        run.run(FailsOnListedSeeds.class);
        String otherMethod = "dev.example.OtherSimTest#other 0x0000000000000009 ASSERTION kept";
        EngineRun.write(run.failuresFile(), EngineRun.read(run.failuresFile()) + otherMethod + "\n");
        assertThat(EngineRun.read(run.failuresFile())).contains(KEY + " " + flaky);

        FailsOnListedSeeds.reset();
        EngineExecutionResults next = run.set(Settings.SEED_FIRST, Seed.FIRST.plus(100).toString())
                .set(Settings.SEEDS, "2").run(FailsOnListedSeeds.class);

        assertThat(FailsOnListedSeeds.run()).containsExactly(flaky, Seed.FIRST.plus(100), Seed.FIRST.plus(101));
        next.testEvents().assertStatistics(s -> s.failed(0).succeeded(1));
        assertThat(EngineRun.read(run.failuresFile())).doesNotContain(KEY).contains(otherMethod);

        FailsOnListedSeeds.reset();
        run.run(FailsOnListedSeeds.class);
        assertThat(FailsOnListedSeeds.run()).containsExactly(Seed.FIRST.plus(100), Seed.FIRST.plus(101));
    }

    @Test
    void seedThatKeepsFailingIsRememberedOnce() {
        Seed broken = Seed.FIRST.plus(1);
        FailsOnListedSeeds.FAILING.add(broken);
        EngineRun run = EngineRun.in(dir).set(Settings.PARALLELISM, "1");

        run.run(FailsOnListedSeeds.class);
        run.run(FailsOnListedSeeds.class);
        EngineExecutionResults third = run.run(FailsOnListedSeeds.class);

        assertThat(failedSeedTexts(third)).containsExactly(broken.toString());
        assertThat(EngineRun.read(run.failuresFile()).lines()).containsExactly(KEY + " " + broken
                + " -Dparigot.strategy=mix -Dparigot.faults=none ASSERTION assertion failed in the test: seed " + broken
                + " is listed to fail");
    }

    @Test
    void regressionSeedsRunFirstInEverySweep() {
        EngineRun run = EngineRun.in(dir).set(Settings.PARALLELISM, "1").set(Settings.SEEDS, "2");
        EngineRun.write(run.regressions(), String.join("\n",
                "# seeds that once failed, kept forever",
                "",
                "FailsOnListedSeeds#failsWhenListed 0x2a found by the nightly sweep",
                KEY + " 7",
                "OtherSimTest#failsWhenListed 0x63",
                "FailsOnListedSeeds#otherMethod 0x64"));
        FailsOnListedSeeds.FAILING.add(Seed.of(42));

        EngineExecutionResults results = run.run(FailsOnListedSeeds.class);

        assertThat(FailsOnListedSeeds.run()).containsExactly(Seed.of(42), Seed.of(42), Seed.of(7), Seed.FIRST,
                Seed.FIRST.plus(1));
        assertThat(failedSeedTexts(results)).containsExactly("0x000000000000002a");

        // Regression seeds that pass stay in the regression file and run again next time.
        FailsOnListedSeeds.reset();
        run.run(FailsOnListedSeeds.class);
        assertThat(FailsOnListedSeeds.run()).containsExactly(Seed.of(42), Seed.of(7), Seed.FIRST, Seed.FIRST.plus(1));
        assertThat(EngineRun.read(run.regressions())).contains("0x2a found by the nightly sweep");
    }

    @Test
    void regressionSeedsRunOnlyInTheFirstShard() {
        EngineRun run = EngineRun.in(dir).set(Settings.PARALLELISM, "1").set(Settings.SEEDS, "4");
        EngineRun.write(run.regressions(), KEY + " 0x2a\n");

        run.set(Settings.SHARD, "2/2").run(FailsOnListedSeeds.class);
        assertThat(FailsOnListedSeeds.run()).containsExactly(Seed.FIRST.plus(1), Seed.FIRST.plus(3));

        FailsOnListedSeeds.reset();
        run.set(Settings.SHARD, "1/2").run(FailsOnListedSeeds.class);
        assertThat(FailsOnListedSeeds.run()).containsExactly(Seed.of(42), Seed.FIRST, Seed.FIRST.plus(2));
    }

    @Test
    void fixedSeedsIgnoreMemoryAndRegressions() {
        EngineRun run = EngineRun.in(dir).set(Settings.PARALLELISM, "1");
        EngineRun.write(run.regressions(), KEY + " 0x2a\n");
        EngineRun.write(run.failuresFile(), KEY + " 0x2b ASSERTION once\n");

        run.set(Settings.SEED, "5").run(FailsOnListedSeeds.class);

        assertThat(FailsOnListedSeeds.run()).containsExactly(Seed.of(5));
    }

    @Test
    void malformedRegressionLineFailsTheMethodNamingFileLineAndForm() {
        EngineRun run = EngineRun.in(dir);
        EngineRun.write(run.regressions(), "# header\n" + KEY + " 0xZZ\n");

        EngineExecutionResults results = run.run(FailsOnListedSeeds.class);

        results.testEvents().assertThatEvents().haveExactly(1, event(test("method:" + METHOD), finishedWithFailure(
                instanceOf(ParigotSimEngine.SettingsError.class), message(run.regressions() + ":2: '" + KEY
                        + " 0xZZ' is not a regression seed; write one per line as <TestClass>#<method> <seed>, e.g."
                        + " BankSimTest#moneyIsConserved 0x5eed00000000002a, optionally followed by the -D settings of"
                        + " its replay command"))));
        assertThat(FailsOnListedSeeds.run()).isEmpty();
    }

    @Test
    void unreadableFailureMemoryLinesAreSkipped() {
        EngineRun run = EngineRun.in(dir).set(Settings.PARALLELISM, "1").set(Settings.SEEDS, "1");
        EngineRun.write(run.failuresFile(), "garbage\n" + KEY + " not-a-seed\n" + KEY + " 0x2a ASSERTION once\n");

        EngineExecutionResults results = run.run(FailsOnListedSeeds.class);

        results.testEvents().assertStatistics(s -> s.failed(0).succeeded(1));
        assertThat(FailsOnListedSeeds.run()).containsExactly(Seed.of(42), Seed.FIRST);
        assertThat(EngineRun.read(run.failuresFile()).lines()).containsExactly("garbage", KEY + " not-a-seed");
    }

    /** The first seed fails; the second reads the failure memory while the sweep still runs. */
    static class DiskCheck {
        static volatile Path failuresFile;
        static final List<String> SEEN = new CopyOnWriteArrayList<>();

        @ParigotSimTest(seeds = 2)
        void firstSeedFails(Sim sim, Seed seed) throws Exception {
            LedgerWorld.deposits(sim, 1);
            if (seed.equals(Seed.FIRST)) {
                throw new AssertionError("the first seed fails");
            }
            SEEN.add(Files.exists(failuresFile) ? Files.readString(failuresFile) : "");
        }
    }
}
