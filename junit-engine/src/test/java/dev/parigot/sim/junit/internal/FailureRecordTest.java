package dev.parigot.sim.junit.internal;

import static dev.parigot.sim.junit.internal.EngineRun.failedSeedTexts;
import static dev.parigot.sim.junit.internal.EngineRun.failedSeeds;
import static dev.parigot.sim.junit.internal.EngineRun.message;
import static dev.parigot.sim.junit.internal.EngineRun.methodReport;
import static dev.parigot.sim.junit.internal.EngineRun.traceFile;
import static dev.parigot.sim.junit.internal.EngineRun.traceHash;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.junit.internal.Fixtures.AnnotatedFaults;
import dev.parigot.sim.junit.internal.Fixtures.CountsUnderFaults;
import dev.parigot.sim.junit.internal.Fixtures.LostUpdate;
import dev.parigot.sim.junit.internal.Fixtures.RecordsWorld;
import dev.parigot.sim.junit.internal.Fixtures.RunsAGuest;
import dev.parigot.sim.scheduler.Seed;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * A failure is a record: the replay commands, the annotation form, the JSON summary and the
 * failure memory carry the settings, the test's parameters and the module digests a failing
 * seed ran under; a remembered seed runs under them again; its full trace and log are in a file.
 */
class FailureRecordTest {
    static final String COUNTS = "everyAcknowledgedIncrementCountsOnce";
    static final String COUNTS_TEST = "-Dtest='Fixtures$CountsUnderFaults#" + COUNTS + "'";
    static final String UNDER_FAULTS = "-Dparigot.strategy=pct:3 -Dparigot.faults=swarm -Dcounter.increments=40";

    @TempDir
    Path dir;

    @BeforeEach
    @AfterEach
    void resetFixtures() {
        RecordsWorld.RUN.clear();
    }

    /** The counter under swarm faults, PCT of depth 3 and 40 increments: some seeds fail. */
    EngineRun underFaults(String name) {
        return EngineRun.in(dir.resolve(name)).set(Settings.FAULTS, "swarm").set(Settings.STRATEGY, "pct:3")
                .set("counter.increments", "40");
    }

    static String seedOf(Event failed) {
        return failed.getTestDescriptor().getDisplayName().substring("seed ".length());
    }

    @Test
    void replayCommandsAndAnnotationCarryEveryOverriddenSettingAndTheParametersRead() {
        EngineExecutionResults results = underFaults("run").set(Settings.STEPS_MAX, "5000")
                .set(Settings.VIRTUAL_TIME_MAX, "10s").set(Settings.REPORT_STEPS, "3")
                .set(Settings.REPORT_LOG_LINES, "1").run(CountsUnderFaults.class);

        Event first = failedSeeds(results).get(0);
        String seed = seedOf(first);
        String arguments = COUNTS_TEST + " -Dparigot.seed=" + seed + " -Dparigot.strategy=pct:3 -Dparigot.faults=swarm"
                + " -Dparigot.steps.max=5000 -Dparigot.virtual.time.max=10s -Dparigot.report.steps=3"
                + " -Dparigot.report.log.lines=1 -Dcounter.increments=40";
        assertThat(message(first))
                .contains("\n  replay (from the repository root): mvn test -pl junit-engine -am"
                        + " -Dsurefire.failIfNoSpecifiedTests=false " + arguments + "\n")
                .contains("\n  replay (in junit-engine/): mvn test " + arguments + "\n")
                .contains("\n      or: @ParigotSimTest(seed = \"" + seed + "\", strategy = \"pct:3\", faults = \"swarm\","
                        + " stepsMax = 5000, virtualTimeMax = \"10s\", reportSteps = 3, reportLogLines = 1,"
                        + " parameters = \"counter.increments=40\")\n")
                .contains("\n  parameters: counter.increments=40\n")
                .contains("\n  last 3 steps:\n").contains("\n  log (last 1 lines):\n");
    }

    @Test
    void theCommandLeavesOutWhatTheAnnotationSaysButNotWhatOverridesIt() {
        Event annotated = failedSeeds(EngineRun.in(dir.resolve("annotated")).run(AnnotatedFaults.class)).get(0);
        String seed = seedOf(annotated);
        assertThat(message(annotated))
                .contains(" -Dparigot.seed=" + seed + " -Dcounter.increments=40\n")
                .contains("@ParigotSimTest(seed = \"" + seed + "\", strategy = \"pct:3\", faults = \"swarm\","
                        + " parameters = \"counter.increments=40\")");

        Event overridden = failedSeeds(EngineRun.in(dir.resolve("overridden")).set(Settings.FAULTS, "default")
                .run(AnnotatedFaults.class)).get(0);
        assertThat(message(overridden)).contains(" -Dparigot.seed=" + seedOf(overridden)
                + " -Dparigot.faults=default -Dcounter.increments=40\n");

        // A configuration parameter overrides the annotation's value of a parameter too.
        EngineExecutionResults none = EngineRun.in(dir.resolve("none")).set("counter.increments", "0")
                .run(AnnotatedFaults.class);
        assertThat(failedSeeds(none)).isEmpty();
    }

    @Test
    void jsonSummaryEntryCarriesSettingsParametersReplaysAndTraceFile() {
        EngineRun run = underFaults("run");
        Event first = failedSeeds(run.run(CountsUnderFaults.class)).get(0);
        String seed = seedOf(first);

        String json = EngineRun.read(run.summary(CountsUnderFaults.class, COUNTS));

        String entry = json.substring(json.indexOf("\"seed\": \"" + seed + "\""));
        entry = entry.substring(0, entry.indexOf("\"traceFile\""));
        assertThat(entry)
                .contains("\"replay\": \"mvn test -pl junit-engine -am -Dsurefire.failIfNoSpecifiedTests=false "
                        + COUNTS_TEST + " -Dparigot.seed=" + seed + " " + UNDER_FAULTS + "\"")
                .contains("\"replayInModule\": \"mvn test " + COUNTS_TEST + " -Dparigot.seed=" + seed + " "
                        + UNDER_FAULTS + "\"")
                .contains("\"annotation\": \"@ParigotSimTest(seed = \\\"" + seed + "\\\", strategy = \\\"pct:3\\\",")
                .contains("\"underRecordedSettings\": false")
                .contains("\"parigot.seed\": \"" + seed + "\"").contains("\"parigot.strategy\": \"pct:3\"")
                .contains("\"parigot.faults\": \"swarm\"").contains("\"parigot.steps.max\": \"1000000\"")
                .contains("\"parigot.virtual.time.max\": \"1h\"").contains("\"parigot.report.steps\": \"20\"")
                .contains("\"parigot.determinism\": \"failures\"")
                .containsPattern("\"parameters\": \\{\\s*\"counter.increments\": \"40\"\\s*}")
                .contains("\"modules\": {}");
        assertThat(json).contains("\"traceFile\": \"" + traceFile(message(first)) + "\"");
    }

    @Test
    void fullTraceFileHoldsEveryStepEachFollowedByTheLogLinesItWrote() {
        EngineRun run = underFaults("run");
        Event first = failedSeeds(run.run(CountsUnderFaults.class)).get(0);
        String text = message(first);
        String seed = seedOf(first);
        long steps = Long.parseLong(text.replaceFirst("(?s)^seed \\S+ failed after (\\d+) steps.*", "$1"));

        Path file = traceFile(text);

        assertThat(file).isEqualTo(run.reports().resolve("runs").resolve(CountsUnderFaults.class.getName() + "#"
                + COUNTS).resolve(seed + ".txt"));
        String trace = EngineRun.read(file);
        assertThat(trace).startsWith("seed " + seed + " failed after " + steps + " steps")
                .contains("\n  replay (from the repository root): mvn test ")
                .contains("\n  trace hash " + traceHash(text) + "\n")
                .contains("\ntrace and log: every step, each followed by the log lines written as it ran\n")
                .doesNotContain("last 20 steps");
        List<String> stepLines = trace.lines().filter(l -> l.matches("  #\\d+ .*")).toList();
        assertThat(stepLines).hasSize((int) steps);
        assertThat(stepLines.get(0)).startsWith("  #1 ");
        // The fault's log line follows the step that injected it; the failure's line ends the file.
        assertThat(trace).containsPattern(Pattern.compile("\n  #\\d+ [^\n]*\n      \\S+ INFO  \\[kernel] fault: "));
        assertThat(trace.strip()).endsWith("ERROR [kernel] \"each acknowledged increment counted once\" does not"
                + " hold: " + text.replaceFirst("(?s).*does not hold: (counted \\d+, acknowledged \\d+).*", "$1"));
    }

    @Test
    void onlySeedsThatMayBeReportedGetATraceFile() {
        EngineRun run = EngineRun.in(dir).set(Settings.FAILURES_REPORTED, "2").set(Settings.PARALLELISM, "1");

        List<Event> reported = failedSeeds(run.run(LostUpdate.class));

        assertThat(reported).hasSize(2).allSatisfy(e -> assertThat(traceFile(message(e))).exists());
        try (Stream<Path> files = Files.list(traceFile(message(reported.get(0))).getParent())) {
            // Each reported seed: its trace file and, beside it, its HTML timeline; no other seed has either.
            assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactlyInAnyOrder(
                    reported.stream().flatMap(e -> {
                        String seed = traceFile(message(e)).getFileName().toString().replace(".txt", "");
                        return Stream.of(seed + ".txt", seed + ".html");
                    }).toArray(String[]::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(EngineRun.read(run.summary(LostUpdate.class, "depositsAreNotLost"))).contains("\"traceFile\": null");
    }

    @Test
    void withDeterminismOffTheTraceFileHoldsWhatTheOneRunKept() {
        EngineRun run = EngineRun.in(dir).set(Settings.DETERMINISM, "off").set(Settings.SEEDS, "3");

        Event first = failedSeeds(run.run(LostUpdate.class)).get(0);

        assertThat(EngineRun.read(traceFile(message(first)))).contains("\ntrace: every step\n  #1 ")
                .contains("\nlog: the last 1 lines\n  ").doesNotContain("re-run");
    }

    @Test
    void failureMemoryRecordsSettingsAndParametersAndRerunsARememberedSeedUnderThem() {
        EngineRun sweep = underFaults("run").set(Settings.FAILURES_REPORTED, "100");
        List<Event> found = failedSeeds(sweep.run(CountsUnderFaults.class));
        assertThat(found).isNotEmpty();
        assertThat(EngineRun.read(sweep.failuresFile()).lines()).hasSize(found.size()).allSatisfy(line -> assertThat(
                line).matches(Pattern.quote(CountsUnderFaults.class.getName() + "#" + COUNTS) + " 0x\\p{XDigit}{16} "
                + Pattern.quote(UNDER_FAULTS + " ASSERTION \"each acknowledged increment counted once\" does not hold:")
                + " counted \\d+, acknowledged \\d+"));

        // Now without faults, PCT or increments: the sweep passes, the remembered seeds fail as they did.
        EngineRun plain = EngineRun.in(dir.resolve("run")).set(Settings.SEEDS, "3")
                .set(Settings.SEED_FIRST, Seed.FIRST.plus(1000).toString());
        EngineExecutionResults next = plain.run(CountsUnderFaults.class);

        List<Event> again = failedSeeds(next);
        assertThat(again).hasSize(found.size());
        for (int i = 0; i < found.size(); i++) {
            String seed = seedOf(found.get(i));
            assertThat(again.get(i).getTestDescriptor().getDisplayName()).isEqualTo("seed " + seed
                    + " (recorded settings)");
            assertThat(message(again.get(i)))
                    .contains("\n  remembered: it failed under " + UNDER_FAULTS + "; it ran under those settings"
                            + " again, not this run's\n")
                    .contains(" -Dparigot.seed=" + seed + " " + UNDER_FAULTS + "\n");
            assertThat(traceHash(message(again.get(i)))).isEqualTo(traceHash(message(found.get(i))));
        }
        assertThat(methodReport(next, COUNTS)).containsEntry("parigot.seeds", Integer.toString(found.size() + 3))
                .containsEntry("parigot.failures", Integer.toString(found.size()));
        assertThat(EngineRun.read(plain.summary(CountsUnderFaults.class, COUNTS)))
                .contains("\"underRecordedSettings\": true");
        // Still failing: remembered once, not again.
        assertThat(EngineRun.read(sweep.failuresFile()).lines()).hasSize(found.size());
    }

    @Test
    void aValueWithBlanksAndQuotesSurvivesTheFailureMemory() {
        EngineRun run = EngineRun.in(dir).set(Settings.PARALLELISM, "1").set(Settings.STRATEGY, "fifo")
                .set("note", "it's a \"b\"");
        run.run(RecordsWorld.class);
        assertThat(EngineRun.read(run.failuresFile())).contains(" " + Seed.FIRST + " -Dparigot.strategy=fifo"
                + " -Dparigot.faults=none -Dnote='it'\\''s a \"b\"' ASSERTION ");
        RecordsWorld.RUN.clear();

        EngineExecutionResults next = EngineRun.in(dir).set(Settings.PARALLELISM, "1").run(RecordsWorld.class);

        // The remembered seed under its record (fifo, the note), then the sweep's seed under this run's.
        assertThat(RecordsWorld.run()).containsExactly(Seed.FIRST + " fifo it's a \"b\"",
                Seed.FIRST + " fifo it's a \"b\"", Seed.FIRST + " mix none");
        assertThat(failedSeedTexts(next)).containsExactly(Seed.FIRST + " (recorded settings)");
    }

    @Test
    void aRememberedSeedThatPassesUnderItsRecordIsForgottenAndALineWithoutSettingsRunsUnderThoseInForce() {
        EngineRun run = EngineRun.in(dir).set(Settings.STRATEGY, "random").set(Settings.PARALLELISM, "1");
        String key = RecordsWorld.class.getName() + "#failsWhenANoteIsGiven";
        String other = "dev.example.OtherSimTest#other 0x9 -Dparigot.strategy=fifo ASSERTION kept";
        EngineRun.write(run.failuresFile(), String.join("\n",
                key + " 0x2a -Dparigot.strategy=fifo ASSERTION once",
                key + " 0x2b ASSERTION written before settings were recorded",
                key + " 0x2c -Dparigot.strategy=fastest ASSERTION cannot be read",
                other, ""));

        EngineExecutionResults results = run.run(RecordsWorld.class);

        assertThat(RecordsWorld.run()).containsExactly("0x000000000000002a fifo none",
                "0x000000000000002b random none", Seed.FIRST + " random none");
        assertThat(failedSeeds(results)).isEmpty();
        assertThat(EngineRun.read(run.failuresFile()).lines()).containsExactly(
                key + " 0x2c -Dparigot.strategy=fastest ASSERTION cannot be read", other);
    }

    @Test
    void aRegressionLineRunsUnderItsSettingsAndOneThatCannotBeReadFailsNamingFileAndLine() {
        EngineRun run = EngineRun.in(dir).set(Settings.PARALLELISM, "1");
        String key = "RecordsWorld#failsWhenANoteIsGiven";
        EngineRun.write(run.regressions(), key + " 0x2a -Dparigot.strategy=fifo -Dnote=regression\n");

        run.run(RecordsWorld.class);

        assertThat(RecordsWorld.run()).startsWith("0x000000000000002a fifo regression");

        EngineRun.write(run.regressions(), "# found by hand\n" + key + " 0x2a -Dparigot.seeds=5\n");
        EngineExecutionResults bad = run.run(RecordsWorld.class);
        bad.testEvents().assertThatEvents().haveExactly(1, event(test("method:failsWhenANoteIsGiven"),
                finishedWithFailure(instanceOf(ParigotSimEngine.SettingsError.class), message(run.regressions()
                        + ":2: '" + key + " 0x2a -Dparigot.seeds=5' does not say what to run under: parigot.seeds is"
                        + " not recorded with a seed; the settings a seed runs under are " + String.join(", ",
                        WorldSettings.KEYS) + ", and the test's own parameters"))));
    }

    @Test
    void aFailureRecordsEachModuleDigestAndAReplayAgainstOtherBytesSaysSoOnce() {
        String digest = RunsAGuest.ECHO.digest();
        EngineRun run = EngineRun.in(dir.resolve("run"));
        Event first = failedSeeds(run.run(RunsAGuest.class)).get(0);
        String modules = "-Dparigot.modules=echo:" + digest.substring(0, 16);
        assertThat(message(first)).contains(" -Dparigot.seed=" + seedOf(first) + " " + modules + "\n")
                .contains("modules (sha-256): echo=" + digest.substring(0, 16));
        assertThat(EngineRun.read(run.failuresFile())).contains(" -Dparigot.strategy=mix -Dparigot.faults=none "
                + modules + " ASSERTION ");
        assertThat(EngineRun.read(run.summary(RunsAGuest.class, "failsOnceTheGuestIsUp")))
                .containsPattern("\"modules\": \\{\\s*\"echo\": \"" + digest + "\"\\s*}");

        String changed = "replaying against changed module bytes (node 'echo' runs module " + digest.substring(0, 16)
                + ", the failure ran 0123456789abcdef): the run may not follow the recorded failure";
        PrintStream console = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EngineExecutionResults replay;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            replay = EngineRun.in(dir.resolve("replay")).set(Settings.MODULES, "echo:0123456789ABCDEF")
                    .run(RunsAGuest.class);
        } finally {
            System.setOut(console);
        }
        assertThat(failedSeeds(replay)).hasSize(2).allSatisfy(e -> assertThat(message(e))
                .contains("\n  " + changed + "\n"));
        // Four worlds booted (two seeds, each re-run); the engine says it once.
        assertThat(out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("[parigot]")))
                .containsOnlyOnce("[parigot] RunsAGuest#failsOnceTheGuestIsUp: " + changed)
                .filteredOn(l -> l.contains("changed module bytes")).hasSize(1);
    }

    @Test
    void reportSizesReachTheFailureButAreTheRunsToSayNotTheRecords() {
        Map<String, String> sizes = Map.of(Settings.REPORT_STEPS, "0", Settings.REPORT_LOG_LINES, "0");
        EngineRun run = EngineRun.in(dir).set(Settings.SEEDS, "5");
        sizes.forEach(run::set);

        Event first = failedSeeds(run.run(LostUpdate.class)).get(0);

        assertThat(message(first)).doesNotContain("last ").doesNotContain("log (").contains("trace hash ")
                .contains(" -Dparigot.report.steps=0 -Dparigot.report.log.lines=0\n")
                .contains("reportSteps = 0, reportLogLines = 0)");
        assertThat(EngineRun.read(run.failuresFile())).doesNotContain("report");

        // Remembered, the seed runs in the same world and shows as much as this run asks.
        Event again = failedSeeds(EngineRun.in(dir).set(Settings.SEEDS, "1").set(Settings.SEED_FIRST, "0x1")
                .run(LostUpdate.class)).get(0);
        assertThat(again.getTestDescriptor().getDisplayName()).isEqualTo(first.getTestDescriptor().getDisplayName());
        assertThat(message(again)).contains("\n  last 9 steps:\n").doesNotContain("remembered:");
    }
}
