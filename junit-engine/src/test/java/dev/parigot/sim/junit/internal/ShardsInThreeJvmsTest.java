package dev.parigot.sim.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.reports.FailureReport;
import dev.parigot.sim.reports.MergeShards;
import dev.parigot.sim.reports.MethodReport;
import dev.parigot.sim.reports.ReportJson;
import dev.parigot.sim.reports.SeedsCovered;
import dev.parigot.sim.scheduler.Seed;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep split in three shards, each run in a JVM of its own as three machines would (the first
 * told its shard by {@code parigot.shard}, the others by a Kubernetes Indexed Job's environment),
 * then merged: every seed ran exactly once, and the merge holds the failures an unsharded run finds.
 * The merge refuses the shards when one is missing or one is given twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShardsInThreeJvmsTest {
    static final String METHOD = "depositsAreNotLost";
    static final int SEEDS = 30;

    /** The racy ledger; prints each seed it runs, so that a JVM's output says which seeds it ran. */
    static class RacyLedger {
        @ParigotSimTest(seeds = SEEDS)
        void depositsAreNotLost(Sim sim, Seed seed) {
            System.out.println("ran seed " + seed);
            LedgerWorld.lostUpdate(sim);
        }
    }

    /** One directory for the whole class: the runs are shared by its tests. */
    private Path dir;

    private final List<Set<String>> seedsByShard = new ArrayList<>();
    private MethodReport whole;
    private Path wholeFailures;

    @BeforeAll
    void runTheSweepWholeInThisJvmAndInThreeShardsInThreeOthers(@TempDir Path tempDir) throws Exception {
        dir = tempDir;
        EngineRun run = EngineRun.in(dir.resolve("whole")).set(Settings.FAILURES_REPORTED, "100");
        run.run(RacyLedger.class);
        whole = ReportJson.read(run.summary(RacyLedger.class, METHOD));
        wholeFailures = run.failuresFile();

        List<Process> shards = new ArrayList<>();
        shards.add(shardJvm(1, List.of("-D" + Settings.SHARD + "=1/3"), Map.of()));
        shards.add(shardJvm(2, List.of(), Map.of(Settings.JOB_COMPLETION_INDEX, "1", Settings.PARIGOT_SHARDS, "3")));
        shards.add(shardJvm(3, List.of(), Map.of(Settings.JOB_COMPLETION_INDEX, "2", Settings.PARIGOT_SHARDS, "3")));
        for (Process p : shards) {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(out).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
            // A failing seed runs twice (the determinism re-run): which seeds ran, not how often.
            seedsByShard.add(out.lines().filter(l -> l.startsWith("ran seed ")).map(l -> l.substring(9))
                    .collect(Collectors.toCollection(TreeSet::new)));
        }
    }

    /** The engine in a new JVM, through the JUnit Platform Launcher as Surefire's fork runs it. */
    private Process shardJvm(int shard, List<String> settings, Map<String, String> environment) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.addAll(settings);
        command.add("-D" + Settings.REPORTS + "=" + reports(shard));
        command.add("-D" + Settings.REGRESSIONS + "=" + dir.resolve("none.txt"));
        command.add("-D" + Settings.PROGRESS + "=0");
        command.add("-D" + Settings.FAILURES_REPORTED + "=100");
        command.add("-D" + Settings.PARALLELISM + "=1");
        command.add(ReplayMain.class.getName());
        command.add(ShardsInThreeJvmsTest.class.getSimpleName() + "$" + RacyLedger.class.getSimpleName() + "#" + METHOD);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().remove(Settings.JOB_COMPLETION_INDEX);
        builder.environment().remove(Settings.PARIGOT_SHARDS);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    private Path reports(int shard) {
        return dir.resolve("shard-" + shard);
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int mergeShards(Path output, Path... inputs) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        List<String> args = new ArrayList<>(List.of("-o", output.toString()));
        for (Path p : inputs) {
            args.add(p.toString());
        }
        return MergeShards.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    }

    @Test
    void theThreeJvmsRanEverySeedOfTheSweepExactlyOnceEachItsOwnShard() {
        Set<String> all = new HashSet<>();
        int ran = 0;
        for (Set<String> seeds : seedsByShard) {
            all.addAll(seeds);
            ran += seeds.size();
        }
        assertThat(ran).isEqualTo(SEEDS);
        assertThat(all).containsExactlyInAnyOrderElementsOf(LongStream.range(0, SEEDS)
                .mapToObj(p -> Seed.FIRST.plus(p).toString()).toList());
        assertThat(seedsByShard.get(1)).contains(Seed.FIRST.plus(1).toString(), Seed.FIRST.plus(4).toString());
        for (int i = 1; i <= 3; i++) {
            MethodReport shard = ReportJson.read(reports(i).resolve(RacyLedger.class.getName() + "#" + METHOD
                    + ".shard-" + i + "-of-3.json"));
            assertThat(shard.shard()).isEqualTo(i + "/3");
            assertThat(shard.seedsCovered().sweep()).isEqualTo(SeedsCovered.Sweep.shard(Seed.FIRST, SEEDS, i, 3, 10));
        }
    }

    @Test
    void theMergeCoversTheSweepAndHoldsTheFailuresOfTheUnshardedRun() throws IOException {
        Path merged = dir.resolve("merged");

        int exit = mergeShards(merged, reports(1), reports(2), reports(3));

        assertThat(exit).as(err.toString()).isZero();
        MethodReport report = ReportJson.read(merged.resolve(RacyLedger.class.getName() + "#" + METHOD + ".json"));
        assertThat(whole.failures()).as("the racy ledger loses deposits on some seeds").isNotEmpty();
        assertThat(report.seedsCovered().sweep()).isEqualTo(whole.seedsCovered().sweep());
        assertThat(report.seedsRun()).isEqualTo(whole.seedsRun()).isEqualTo(SEEDS);
        assertThat(report.steps()).isEqualTo(whole.steps());
        assertThat(report.virtualTimeNanos()).isEqualTo(whole.virtualTimeNanos());
        assertThat(report.assertions()).isEqualTo(whole.assertions());
        assertThat(report.mergedFrom()).extracting(SeedsCovered.Sweep::shardIndex).containsExactly(1, 2, 3);
        assertThat(comparable(report.failures())).containsExactlyElementsOf(comparable(whole.failures()));
        assertThat(out.toString()).contains(RacyLedger.class.getName() + "#" + METHOD + ": 30 of 30 seeds of the"
                + " sweep from 0x5eed000000000000 ran in 3 shards, " + whole.failures().size() + " failing")
                .contains("    replay: " + whole.failures().get(0).replay());
        // The failure memories of the three machines, joined, remember what the unsharded run does.
        assertThat(new TreeSet<>(Files.readAllLines(merged.resolve(FailureStore.FILE_NAME))))
                .isEqualTo(new TreeSet<>(Files.readAllLines(wholeFailures)));
    }

    /** A failure without where its trace file was written (each machine has its own directory). */
    private static List<String> comparable(List<FailureReport> failures) {
        return failures.stream().map(f -> String.join(" | ", f.seed(), f.kind(), f.reason(), f.traceHash(),
                f.replay(), f.annotation(), String.valueOf(f.parameters()))).toList();
    }

    @Test
    void theMergeRefusesAMissingShardNamingItsSeedsAndHowToRunIt() {
        Path merged = dir.resolve("missing");

        int exit = mergeShards(merged, reports(1), reports(3));

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("merge-shards: " + RacyLedger.class.getName() + "#" + METHOD
                + ": shard 2/3 is missing: the sweep positions 1, 4, 7, ... (10 seeds: 0x5eed000000000001,"
                + " 0x5eed000000000004, 0x5eed000000000007, ...) were not run in any report given. Run it"
                + " (-Dparigot.shard=2/3, or JOB_COMPLETION_INDEX=1 with PARIGOT_SHARDS=3");
        assertThat(merged).doesNotExist();
    }

    @Test
    void theMergeRefusesAShardGivenTwice() throws IOException {
        Path again = dir.resolve("shard-2-again");
        Files.createDirectories(again);
        String name = RacyLedger.class.getName() + "#" + METHOD + ".shard-2-of-3.json";
        Files.copy(reports(2).resolve(name), again.resolve(name));

        int exit = mergeShards(dir.resolve("doubled"), reports(1), reports(2), again, reports(3));

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains(": shard 2/3 was run 2 times (" + again.resolve(name) + ", "
                + reports(2).resolve(name) + "): the sweep positions 1, 4, 7, ... (10 seeds: ")
                .contains("Give one report per shard: keep one of these files");
    }
}
