package dev.parigot.sim.junit.internal;

import static dev.parigot.sim.junit.internal.EngineRun.failedSeedReports;
import static dev.parigot.sim.junit.internal.EngineRun.failedSeedTexts;
import static dev.parigot.sim.junit.internal.EngineRun.failedSeeds;
import static dev.parigot.sim.junit.internal.EngineRun.message;
import static dev.parigot.sim.junit.internal.EngineRun.methodReport;
import static dev.parigot.sim.junit.internal.EngineRun.traceHash;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.junit.SeedFailure;
import dev.parigot.sim.junit.internal.Fixtures.FailsOnListedSeeds;
import dev.parigot.sim.junit.internal.Fixtures.LostUpdate;
import dev.parigot.sim.junit.internal.Fixtures.OneDepositor;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.scheduler.Seed;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * A method runs once per seed: passing seeds are summed up on the method, each failing seed is
 * a test of its own whose message replays it, parallel runs report what sequential ones do,
 * and the sweep's limits (stop at first, time budget, reported failures) end it as documented.
 */
class SeedSweepTest {
    static final String LOST_UPDATE = "depositsAreNotLost";

    @TempDir
    Path dir;

    @BeforeEach
    @AfterEach
    void resetFixtures() {
        FailsOnListedSeeds.reset();
    }

    EngineRun engine(String name) {
        return EngineRun.in(dir.resolve(name));
    }

    @Test
    void passingMethodRunsEverySeedAndRegistersNoSeedTests() {
        EngineExecutionResults results = engine("run").run(OneDepositor.class);

        results.testEvents().assertStatistics(s -> s.dynamicallyRegistered(0).started(1).succeeded(1).failed(0));
        // The engine, the class and the method (a test that is also the container of its failing seeds).
        results.containerEvents().assertStatistics(s -> s.started(3).succeeded(3).failed(0));
        Map<String, String> report = methodReport(results, "balanceIsTheDeposit");
        assertThat(report).containsEntry("parigot.seeds", "25").containsEntry("parigot.failures", "0")
                .containsEntry("parigot.strategy", "mix").containsEntry("parigot.seed.first", "0x5eed000000000000")
                .containsEntry("parigot.shard", "1/1")
                .containsKeys("parigot.steps", "parigot.steps.per.second", "parigot.virtual.time");
        // READY plus a Get and a Put, each a call and a result: at least five steps per seed.
        assertThat(Long.parseLong(report.get("parigot.steps"))).isGreaterThanOrEqualTo(25 * 5);
    }

    @Test
    void raceFailsSomeSeedsAndPassesOthers() {
        EngineExecutionResults results = engine("run").set(Settings.FAILURES_REPORTED, "100").run(LostUpdate.class);

        int failing = failedSeeds(results).size();
        assertThat(failing).as("failing seeds of 40").isBetween(1, 39);
        assertThat(methodReport(results, LOST_UPDATE)).containsEntry("parigot.seeds", "40")
                .containsEntry("parigot.failures", Integer.toString(failing));
        results.testEvents().assertStatistics(s -> s.dynamicallyRegistered(failing).failed(failing)
                .succeeded(1).started(failing + 1));
    }

    @Test
    void failingSeedIsATestOfItsOwnWhoseMessageNamesSeedReasonReplayAndTraceHash() {
        EngineExecutionResults results = engine("run").set(Settings.SEEDS, "10").run(LostUpdate.class);

        List<Event> failed = failedSeeds(results);
        assertThat(failed).isNotEmpty();
        for (Event e : failed) {
            String seed = e.getTestDescriptor().getDisplayName().substring("seed ".length());
            assertThat(Seed.parse(seed).toString()).isEqualTo(seed);
            assertThat(e.getTestDescriptor().getUniqueId().toString())
                    .endsWith("[method:depositsAreNotLost(dev.parigot.sim.kernel.Sim)]/[seed:" + seed + "]");
            assertThat(e.getTestDescriptor().getLegacyReportingName()).isEqualTo(LOST_UPDATE + "[seed " + seed + "]");
            String text = message(e);
            assertThat(text).startsWith("seed " + seed + " failed after ")
                    .contains("(strategy mix/")
                    .contains("assertion: \"no lost update\" does not hold: balance is 10, expected 20")
                    .contains("\n  replay (from the repository root): mvn test -pl junit-engine -am"
                            + " -Dsurefire.failIfNoSpecifiedTests=false -Dtest='Fixtures$LostUpdate#depositsAreNotLost'"
                            + " -Dparigot.seed=" + seed + "\n")
                    .contains("\n  replay (in junit-engine/): mvn test -Dtest='Fixtures$LostUpdate#depositsAreNotLost'"
                            + " -Dparigot.seed=" + seed + "\n")
                    .contains("\n      or: @ParigotSimTest(seed = \"" + seed + "\")\n")
                    .contains("re-run: the same failure and trace hash")
                    .contains("full trace and log: ")
                    .contains("last ").contains("trace hash ");
            assertThat(traceHash(text)).hasSize(16);
        }
        // The cause is what the check threw, so an IDE can jump to it.
        results.testEvents().assertThatEvents().haveAtLeastOne(event(test("seed:"),
                finishedWithFailure(instanceOf(SeedFailure.class), message(m -> m.contains("no lost update")))));
        assertThat(failed.get(0).getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class)
                .getThrowable().orElseThrow().getCause()).isInstanceOf(AssertionError.class)
                .hasMessage("balance is 10, expected 20");
        // At most 10 failures: all are reported as tests, so the method itself passes.
        results.testEvents().assertThatEvents().haveExactly(1,
                event(test("method:" + LOST_UPDATE), finishedSuccessfully()));
    }

    @Test
    void aFailingSeedsMessageIsItsHeadlineWhileItsStackTraceShowsTheWholeReport() {
        EngineExecutionResults results = engine("run").set(Settings.SEEDS, "10").run(LostUpdate.class);

        SeedFailure failure = (SeedFailure) failedSeeds(results).get(0)
                .getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class).getThrowable().orElseThrow();
        String[] lines = failure.report().split("\n");
        assertThat(lines.length).isGreaterThan(5);
        assertThat(failure.getMessage()).isEqualTo(lines[0] + ": " + lines[1].strip())
                .startsWith("seed 0x5eed").contains(" failed after ").doesNotContain("\n")
                .endsWith(": assertion: \"no lost update\" does not hold: balance is 10, expected 20");
        assertThat(failure.getLocalizedMessage()).isEqualTo(failure.report());
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).startsWith(SeedFailure.class.getName() + ": " + failure.report())
                .contains("Caused by: java.lang.AssertionError: balance is 10, expected 20");
    }

    @Test
    void replayingAFailingSeedReproducesTheSameFailureAndTraceHash() {
        EngineExecutionResults sweep = engine("sweep").set(Settings.SEEDS, "10").run(LostUpdate.class);
        Event first = failedSeeds(sweep).get(0);
        String seed = first.getTestDescriptor().getDisplayName().substring("seed ".length());

        EngineExecutionResults replay = engine("replay").set(Settings.SEED, seed).run(LostUpdate.class);

        assertThat(failedSeedTexts(replay)).containsExactly(seed);
        String again = message(failedSeeds(replay).get(0));
        assertThat(traceHash(again)).isEqualTo(traceHash(message(first)));
        assertThat(EngineRun.comparable(again)).isEqualTo(EngineRun.comparable(message(first)));
        assertThat(methodReport(replay, LOST_UPDATE)).containsEntry("parigot.seeds", "1")
                .doesNotContainKey("parigot.seed.first");
    }

    @Test
    void replayCommandsSystemPropertyReplaysTheSeed() {
        EngineExecutionResults sweep = engine("sweep").set(Settings.SEEDS, "10").run(LostUpdate.class);
        Event first = failedSeeds(sweep).get(0);
        String seed = first.getTestDescriptor().getDisplayName().substring("seed ".length());
        assertThat(message(first)).contains(" -Dparigot.seed=" + seed);

        String before = System.getProperty(Settings.SEED);
        System.setProperty(Settings.SEED, seed);
        EngineExecutionResults replay;
        try {
            replay = org.junit.platform.testkit.engine.EngineTestKit.engine(ParigotSimEngine.ID)
                    .enableImplicitConfigurationParameters(true)
                    .configurationParameter(Settings.REPORTS, dir.resolve("replay").toString())
                    .configurationParameter(Settings.REGRESSIONS, dir.resolve("replay/regressions.txt").toString())
                    .configurationParameter(Settings.PROGRESS, "0")
                    .configurationParameter(Settings.SHRINK, "off") // as EngineRun: the reports compared are unshrunk
                    .selectors(org.junit.platform.engine.discovery.DiscoverySelectors.selectClass(LostUpdate.class))
                    .execute();
        } finally {
            if (before == null) {
                System.clearProperty(Settings.SEED);
            } else {
                System.setProperty(Settings.SEED, before);
            }
        }

        assertThat(failedSeedReports(replay)).containsExactly("seed " + seed + ": "
                + EngineRun.comparable(message(first)));
    }

    @Test
    void parallelAndSequentialRunsReportTheSameFailuresInSeedOrder() {
        EngineExecutionResults sequential = engine("sequential").set(Settings.PARALLELISM, "1")
                .set(Settings.FAILURES_REPORTED, "100").run(LostUpdate.class);
        EngineExecutionResults parallel = engine("parallel").set(Settings.PARALLELISM, "2")
                .set(Settings.FAILURES_REPORTED, "100").run(LostUpdate.class);
        EngineExecutionResults wide = engine("wide").set(Settings.PARALLELISM, "8")
                .set(Settings.FAILURES_REPORTED, "100").run(LostUpdate.class);

        List<String> reports = failedSeedReports(sequential);
        assertThat(reports).hasSizeGreaterThan(1);
        assertThat(failedSeedReports(parallel)).containsExactlyElementsOf(reports);
        assertThat(failedSeedReports(wide)).containsExactlyElementsOf(reports);
        List<Seed> seeds = failedSeedTexts(sequential).stream().map(Seed::parse).toList();
        assertThat(seeds).isSorted().doesNotHaveDuplicates();
        assertThat(withoutRate(methodReport(parallel, LOST_UPDATE)))
                .isEqualTo(withoutRate(methodReport(sequential, LOST_UPDATE)));
    }

    @Test
    void failuresBeyondTheReportedLimitFailTheMethodAndPointToTheSummary() {
        EngineRun all = engine("all").set(Settings.FAILURES_REPORTED, "100");
        List<String> every = failedSeedReports(all.run(LostUpdate.class));
        assertThat(every).hasSizeGreaterThan(3);
        EngineRun three = engine("three").set(Settings.FAILURES_REPORTED, "3").set(Settings.PARALLELISM, "2");

        EngineExecutionResults results = three.run(LostUpdate.class);

        assertThat(failedSeedReports(results)).containsExactlyElementsOf(every.subList(0, 3));
        results.testEvents().assertThatEvents().haveExactly(1, event(test("method:" + LOST_UPDATE),
                finishedWithFailure(instanceOf(SeedFailure.class), message(every.size() + " of 40 seeds failed; the"
                        + " first 3 are reported as their own tests, all of them are in "
                        + three.summary(LostUpdate.class, LOST_UPDATE) + " and " + three.failuresFile()
                        + " (raise parigot.failures.reported to see more)"))));
    }

    @Test
    void stopFirstReportsTheFirstFailingSeedOfASequentialRunWhateverTheParallelism() {
        List<String> never = failedSeedReports(engine("never").set(Settings.FAILURES_REPORTED, "100")
                .run(LostUpdate.class));
        EngineRun sequentialRun = engine("sequential").set(Settings.STOP, "first").set(Settings.PARALLELISM, "1");
        EngineExecutionResults sequential = sequentialRun.run(LostUpdate.class);
        EngineRun parallelRun = engine("parallel").set(Settings.STOP, "first").set(Settings.PARALLELISM, "4");
        EngineExecutionResults parallel = parallelRun.run(LostUpdate.class);

        assertThat(failedSeedReports(sequential)).containsExactly(never.get(0));
        assertThat(failedSeedReports(parallel)).containsExactly(never.get(0));
        Seed firstFailing = Seed.parse(failedSeedTexts(sequential).get(0));
        String seedsRun = Long.toString(firstFailing.value() - Seed.FIRST.value() + 1);
        assertThat(methodReport(sequential, LOST_UPDATE)).containsEntry("parigot.seeds", seedsRun)
                .containsEntry("parigot.failures", "1");
        assertThat(methodReport(parallel, LOST_UPDATE)).containsEntry("parigot.seeds", seedsRun);
        // The failure memory holds the reported seed alone, however many failing seeds other threads ran past it.
        for (EngineRun run : List.of(sequentialRun, parallelRun)) {
            assertThat(EngineRun.read(run.failuresFile()).lines()).hasSize(1)
                    .allSatisfy(line -> assertThat(line).contains(" " + firstFailing + " "));
        }
        assertThat(EngineRun.read(sequentialRun.summary(LostUpdate.class, LOST_UPDATE)))
                .contains("\"seedsPlanned\": 40").contains("\"seedsRun\": " + seedsRun)
                .contains("\"stoppedAtFirstFailure\": true");
    }

    @Test
    void timeBudgetInTheAnnotationStopsTheSweep() {
        long started = System.nanoTime();
        EngineRun run = engine("run").set(Settings.PARALLELISM, "2");

        EngineExecutionResults results = run.run(selectMethod(SlowSeeds.class, "withBudget", Sim.class.getName()));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        int seedsRun = Integer.parseInt(methodReport(results, "withBudget").get("parigot.seeds"));
        assertThat(seedsRun).isBetween(1, 1000);
        assertThat(EngineRun.read(run.summary(SlowSeeds.class, "withBudget")))
                .contains("\"seedsPlanned\": 100000").contains("\"timeBudgetReached\": true");
    }

    @Test
    void timeBudgetSettingStopsASweepWithoutOne() {
        long started = System.nanoTime();
        EngineRun run = engine("run").set(Settings.TIME_BUDGET, "200ms").set(Settings.PARALLELISM, "1");

        EngineExecutionResults results = run.run(selectMethod(SlowSeeds.class, "withoutBudget", Sim.class.getName()));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        int seedsRun = Integer.parseInt(methodReport(results, "withoutBudget").get("parigot.seeds"));
        assertThat(seedsRun).isBetween(1, 1000);
        assertThat(EngineRun.read(run.summary(SlowSeeds.class, "withoutBudget")))
                .contains("\"timeBudgetReached\": true");
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(strings = {"1", "2"})
    void progressLinesComeEverySoManySecondsWhateverTheParallelism(String parallelism) {
        EngineRun run = engine("run").set(Settings.PARALLELISM, parallelism).set(Settings.PROGRESS, "1")
                .set(Settings.TIME_BUDGET, "1500ms");

        String printed = EngineRun.printedBy(() -> run.run(selectMethod(SlowSeeds.class, "withoutBudget",
                Sim.class.getName())));

        List<String> progress = printed.lines()
                .filter(l -> l.startsWith("[parigot] SlowSeeds#withoutBudget: ") && l.contains(" of 100,000 seeds, "))
                .toList();
        assertThat(progress).as(printed).isNotEmpty()
                .allMatch(l -> l.matches("\\[parigot] SlowSeeds#withoutBudget: [\\d,]+ of 100,000 seeds,"
                        + " [\\d,]+ seeds/s, 0 failing, \\d+ s"));
    }

    @Test
    void timeBudgetWithParallelSeedsReportsEveryFailingSeedThatRan() {
        EngineRun run = engine("run").set(Settings.PARALLELISM, "2").set(Settings.TIME_BUDGET, "300ms")
                .set(Settings.FAILURES_REPORTED, "100000");

        EngineExecutionResults results = run.run(selectMethod(SlowSeeds.class, "oddSeedsFail",
                Sim.class.getName() + "," + Seed.class.getName()));

        // Every seed taken before the budget ran out ran: no gap hides later failures from the report.
        Map<String, String> report = methodReport(results, "oddSeedsFail");
        int seedsRun = Integer.parseInt(report.get("parigot.seeds"));
        assertThat(seedsRun).isBetween(2, 99_999);
        List<Seed> failing = failedSeedTexts(results).stream().map(Seed::parse).toList();
        assertThat(failing).hasSize(Integer.parseInt(report.get("parigot.failures")))
                .allSatisfy(seed -> assertThat(seed.value() % 2).isEqualTo(1L))
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, seedsRun).mapToObj(Seed.FIRST::plus)
                        .filter(seed -> seed.value() % 2 == 1).toList());
        results.testEvents().assertThatEvents().haveExactly(1, event(test("method:oddSeedsFail"),
                finishedSuccessfully()));
    }

    @Test
    void fixedSeedsRunExactlyThoseSeedsInTheOrderGiven() {
        FailsOnListedSeeds.FAILING.add(Seed.of(7));

        EngineExecutionResults results = engine("run").set(Settings.SEED, "0x2a, 7,0x5eed000000000000")
                .set(Settings.PARALLELISM, "1").run(FailsOnListedSeeds.class);

        // The failing seed runs again at once, to confirm that it fails the same way.
        assertThat(FailsOnListedSeeds.run()).containsExactly(Seed.of(42), Seed.of(7), Seed.of(7), Seed.FIRST);
        assertThat(failedSeedTexts(results)).containsExactly("0x0000000000000007");
        assertThat(methodReport(results, "failsWhenListed")).containsEntry("parigot.seeds", "3");
    }

    @Test
    void annotationSeedsRunInsteadOfASweep() {
        FixedSeeds.RUN.clear();

        EngineExecutionResults results = engine("run").set(Settings.PARALLELISM, "1").run(FixedSeeds.class);

        results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        assertThat(FixedSeeds.RUN).containsExactly(Seed.of(3), Seed.of(0x5eed00000000002aL));
    }

    @Test
    void seedFirstMovesTheSweep() {
        EngineExecutionResults results = engine("fixed").set(Settings.SEED_FIRST, "0x100").set(Settings.SEEDS, "3")
                .set(Settings.PARALLELISM, "1").run(FailsOnListedSeeds.class);

        assertThat(FailsOnListedSeeds.run()).containsExactly(Seed.of(0x100), Seed.of(0x101), Seed.of(0x102));
        assertThat(methodReport(results, "failsWhenListed")).containsEntry("parigot.seed.first", "0x0000000000000100");

        FailsOnListedSeeds.RUN.clear();
        EngineExecutionResults random = engine("random").set(Settings.SEED_FIRST, "random").set(Settings.SEEDS, "3")
                .set(Settings.PARALLELISM, "1").run(FailsOnListedSeeds.class);
        List<Seed> seeds = FailsOnListedSeeds.run();
        assertThat(seeds).hasSize(3);
        assertThat(seeds.get(1)).isEqualTo(seeds.get(0).plus(1));
        assertThat(methodReport(random, "failsWhenListed")).containsEntry("parigot.seed.first", seeds.get(0).toString());
    }

    @Test
    void strategyAndStepsLimitReachTheWorld() {
        EngineExecutionResults fifo = engine("fifo").set(Settings.STRATEGY, "fifo").run(OneDepositor.class);
        assertThat(methodReport(fifo, "balanceIsTheDeposit")).containsEntry("parigot.strategy", "fifo")
                .containsEntry("parigot.failures", "0");

        EngineExecutionResults limited = engine("limited").set(Settings.STEPS_MAX, "2").set(Settings.SEEDS, "3")
                .run(OneDepositor.class);
        List<Event> failed = failedSeeds(limited);
        assertThat(failed).hasSize(3);
        assertThat(failed).allSatisfy(e -> assertThat(message(e)).contains("failed after 2 steps").contains("limit: "));
    }

    @Test
    void virtualTimeLimitReachesTheWorld() {
        EngineExecutionResults results = engine("run").set(Settings.VIRTUAL_TIME_MAX, "1s").set(Settings.SEEDS, "2")
                .run(selectMethod(SlowSeeds.class, "waitsTwoVirtualSeconds", Sim.class.getName()));

        assertThat(failedSeeds(results)).hasSize(2)
                .allSatisfy(e -> assertThat(message(e)).contains("limit: "));
    }

    @Test
    void jsonSummaryListsEveryFailingSeedWithItsTraceHashAndReplayCommand() {
        EngineRun run = engine("run").set(Settings.FAILURES_REPORTED, "100");
        EngineExecutionResults results = run.run(LostUpdate.class);
        List<Event> failed = failedSeeds(results);

        String json = EngineRun.read(run.summary(LostUpdate.class, LOST_UPDATE));

        assertThat(json).contains("\"testClass\": \"" + LostUpdate.class.getName() + "\"")
                .contains("\"method\": \"" + LOST_UPDATE + "\"").contains("\"strategy\": \"mix\"")
                .contains("\"firstSeed\": \"0x5eed000000000000\"").contains("\"shard\": \"1/1\"")
                .contains("\"seedsPlanned\": 40").contains("\"seedsRun\": 40")
                .contains("\"seedsFailed\": " + failed.size()).contains("\"timeBudgetReached\": false")
                .contains("\"stoppedAtFirstFailure\": false");
        Matcher m = Pattern.compile("\"seed\": \"(0x[0-9a-f]{16})\",\\s*\"kind\": \"ASSERTION\",[^}]*"
                + "\"traceHash\": \"([0-9a-f]{16})\",[^}]*\"replay\": \"([^\"]*)\"").matcher(json);
        List<String> fromJson = new ArrayList<>();
        while (m.find()) {
            fromJson.add(m.group(1) + " " + m.group(2));
            assertThat(m.group(3)).endsWith("-Dparigot.seed=" + m.group(1));
        }
        List<String> fromTests = failed.stream().map(e -> e.getTestDescriptor().getDisplayName()
                .substring("seed ".length()) + " " + traceHash(message(e))).toList();
        assertThat(fromJson).containsExactlyElementsOf(fromTests);
    }

    private static Map<String, String> withoutRate(Map<String, String> report) {
        Map<String, String> copy = new LinkedHashMap<>(report);
        copy.remove("parigot.steps.per.second");
        return copy;
    }

    static class SlowSeeds {
        @ParigotSimTest(seeds = 100_000, timeBudget = "300ms")
        void withBudget(Sim sim) throws InterruptedException {
            Thread.sleep(5);
            LedgerWorld.deposits(sim, 1);
        }

        @ParigotSimTest(seeds = 100_000)
        void withoutBudget(Sim sim) throws InterruptedException {
            Thread.sleep(5);
            LedgerWorld.deposits(sim, 1);
        }

        @ParigotSimTest(seeds = 100_000)
        void oddSeedsFail(Sim sim, Seed seed) throws InterruptedException {
            Thread.sleep(2);
            LedgerWorld.deposits(sim, 1);
            if (seed.value() % 2 == 1) {
                throw new AssertionError("odd seed");
            }
        }

        @ParigotSimTest(seeds = 2)
        void waitsTwoVirtualSeconds(Sim sim) {
            sim.client("client").schedule(Duration.ofSeconds(2), () -> { });
            sim.run();
        }
    }

    static class FixedSeeds {
        static final List<Seed> RUN = new java.util.concurrent.CopyOnWriteArrayList<>();

        @ParigotSimTest(seed = {"3", "0x5eed00000000002a"})
        void runsTheseSeeds(Seed seed, Sim sim) {
            RUN.add(seed);
            LedgerWorld.deposits(sim, 1);
        }
    }
}
