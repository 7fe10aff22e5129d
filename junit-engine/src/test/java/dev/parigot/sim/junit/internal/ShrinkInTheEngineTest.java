package dev.parigot.sim.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.reports.FailureReport;
import dev.parigot.sim.reports.MethodReport;
import dev.parigot.sim.reports.ReportJson;
import dev.parigot.sim.reports.ShrinkReport;
import dev.parigot.sim.reports.html.ReportIndexHtml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * The engine shrinks the first failing seed a method reports: the report says how far, shows the
 * shrunk run and how to replay it; the JSON report carries it; the seed's HTML timeline has the
 * original and the shrunk run; the index links them; and the printed replay of the shrunk run
 * gives the shrunk run's trace.
 */
class ShrinkInTheEngineTest {
    private static final Class<?> FIXTURE = FailureShrinkerTest.CountsDuplicates.class;
    private static final String METHOD = "neverCountsMoreThanWasSent";

    @TempDir
    Path dir;

    @Test
    void theFirstFailureIsShrunkReportedDrawnAndReplayable() throws Exception {
        EngineRun run = EngineRun.in(dir).set(Settings.SHRINK, "30s");
        EngineExecutionResults results = run.run(FIXTURE);

        List<String> reports = EngineRun.failedSeeds(results).stream().map(EngineRun::message).toList();
        assertThat(reports).isNotEmpty();
        String first = reports.get(0);
        assertThat(first).contains("shrunk from ").contains("replay the shrunk run (its hash ")
                .contains("the shrunk run's full trace and log: ").contains("timeline (HTML): ");
        assertThat(reports.subList(1, reports.size())).as("only the first failure is shrunk")
                .allSatisfy(r -> assertThat(r).doesNotContain("shrunk from ").contains("timeline (HTML): "));

        MethodReport report = ReportJson.read(run.summary(FIXTURE, METHOD));
        FailureReport failure = report.failures().get(0);
        ShrinkReport shrunk = failure.shrunk();
        assertThat(shrunk).isNotNull();
        assertThat(shrunk.steps()).isLessThan(shrunk.stepsBefore());
        assertThat(shrunk.faults()).isLessThanOrEqualTo(shrunk.faultsBefore());
        assertThat(shrunk.choices()).isLessThan(shrunk.choicesBefore());
        assertThat(shrunk.stepsBefore()).isEqualTo(failure.steps());
        assertThat(report.failures().subList(1, report.failures().size())).allSatisfy(f ->
                assertThat(f.shrunk()).isNull());

        // The timeline: one page, the original and the shrunk run as tabs, the failure's reason in its data.
        Path timeline = Path.of(failure.timelineFile());
        assertThat(timeline).exists().hasFileName(failure.seed() + ".html");
        String page = Files.readString(timeline);
        assertThat(page).contains("\"original\"").contains("\"shrunk\"").contains("never counts more than was sent")
                .doesNotContainPattern("<script[^>]*\\ssrc=").doesNotContain("<link")
                .doesNotContainPattern("url\\(\\s*['\"]?https?:");

        // The index names the method and links the seed's timeline.
        Path index = run.reports().resolve(ReportIndexHtml.FILE_NAME);
        assertThat(index).exists();
        assertThat(Files.readString(index)).contains(FIXTURE.getName() + "#" + METHOD)
                .contains("data-seed=\"" + failure.seed() + "\"").contains("class=\"timeline\"");

        // The printed replay of the shrunk run, run again: the shrunk run's trace, step for step.
        EngineExecutionResults replay = EngineRun.in(dir.resolve("replay"))
                .set(Settings.SEED, failure.seed()).set(Settings.REPLAY, shrunk.choicesFile())
                .set(Settings.FAULTS, failure.settings().get(Settings.FAULTS))
                .set(Settings.STRATEGY, failure.settings().get(Settings.STRATEGY)).run(FIXTURE);
        List<String> replayed = EngineRun.failedSeeds(replay).stream().map(EngineRun::message).toList();
        assertThat(replayed).hasSize(1);
        assertThat(EngineRun.traceHash(replayed.get(0))).isEqualTo(shrunk.traceHash());
        // The replay's files are its own: in the same reports directory they would not replace the seed's.
        assertThat(replayed.get(0)).containsPattern("full trace and log: .*/" + failure.seed() + "-[0-9a-f]{8}\\.txt");
        // The replayed run's report says where its choices came from, and its replay command names the file.
        assertThat(replayed.get(0)).contains("replayed from the choices file " + shrunk.choicesFile())
                .containsPattern("replay[^:]*: mvn test .*-Dparigot.replay=");
        assertThat(first).contains("replay the shrunk run (its hash " + shrunk.traceHash() + "): ");
        // Replayed under other settings, the recording does not fit the run, and the console says so.
        String printed = EngineRun.printedBy(() -> EngineRun.in(dir.resolve("other")).set(Settings.SEED, failure.seed())
                .set(Settings.REPLAY, shrunk.choicesFile()).set(Settings.FAULTS, "none")
                .set(Settings.STRATEGY, "fifo").run(FIXTURE));
        assertThat(printed).contains("seed " + failure.seed() + " left the replayed choices (")
                .contains("so this is not the recorded run");
        assertThat(shrunk.replay()).contains("-Dparigot.seed=" + failure.seed())
                .contains("-Dparigot.replay=");
    }

    @Test
    void aLongShrinkIsAnnouncedAndKeptWithinWhatIsLeftOfTheTimeBudget() {
        // 60 s of shrinking asked, 12 s of budget for the whole sweep: shrinking gets what is left of the 12 s.
        String printed = EngineRun.printedBy(() -> EngineRun.in(dir).set(Settings.SHRINK, "60s")
                .set(Settings.TIME_BUDGET, "12s").set(Settings.STOP, "first").run(FIXTURE));

        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("shrinking the failure of seed 0x[0-9a-f]+ \\(at most ([0-9.]+) s\\)").matcher(printed);
        assertThat(m.find()).as(printed).isTrue();
        assertThat(Double.parseDouble(m.group(1))).isBetween(1.0, 12.0);
    }

    @Test
    void shrinkingOffLeavesTheReportAsItWas() {
        EngineRun run = EngineRun.in(dir);
        EngineExecutionResults results = run.run(FIXTURE);
        assertThat(EngineRun.failedSeeds(results)).isNotEmpty().allSatisfy(e ->
                assertThat(EngineRun.message(e)).doesNotContain("shrunk"));
    }
}
