package dev.parigot.sim.junit.internal;

import static dev.parigot.sim.junit.internal.EngineRun.failedSeedTexts;
import static dev.parigot.sim.junit.internal.EngineRun.methodReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parigot.sim.junit.internal.Fixtures.FailsOnListedSeeds;
import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.junit.internal.Fixtures.LostUpdate;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.reports.MethodReport;
import dev.parigot.sim.reports.ReportJson;
import dev.parigot.sim.reports.SeedsCovered;
import dev.parigot.sim.scheduler.Seed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** A sweep split n ways ({@code parigot.shard=i/n}) runs every seed of the sweep in exactly one shard. */
class ShardingTest {
    static final String METHOD = "failsWhenListed";

    @TempDir
    Path dir;

    @BeforeEach
    @AfterEach
    void resetFixtures() {
        FailsOnListedSeeds.reset();
    }

    @Test
    void shardsTogetherRunEverySeedOfTheSweepExactlyOnce() {
        List<List<Seed>> shards = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            FailsOnListedSeeds.reset();
            EngineRun run = EngineRun.in(dir.resolve("machine-" + i)).set(Settings.SEEDS, "20")
                    .set(Settings.SHARD, i + "/3");
            EngineExecutionResults results = run.run(FailsOnListedSeeds.class);
            shards.add(FailsOnListedSeeds.run());
            assertThat(methodReport(results, METHOD)).containsEntry("parigot.shard", i + "/3");
            assertThat(run.reports().resolve(FailsOnListedSeeds.class.getName() + "#" + METHOD + ".shard-" + i
                    + "-of-3.json")).exists();
        }

        List<Seed> all = new ArrayList<>();
        shards.forEach(all::addAll);
        List<Seed> sweep = LongStream.range(0, 20).mapToObj(Seed.FIRST::plus).toList();
        assertThat(all).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(sweep);
        assertThat(shards).extracting(List::size).containsExactly(7, 7, 6);
    }

    @Test
    void shardsOfARacySweepFindTheFailuresOfTheWholeSweep() {
        List<String> whole = failedSeedTexts(EngineRun.in(dir.resolve("whole"))
                .set(Settings.FAILURES_REPORTED, "100").run(LostUpdate.class));

        List<String> fromShards = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            EngineRun run = EngineRun.in(dir.resolve("machine-" + i)).set(Settings.SHARD, i + "/4")
                    .set(Settings.FAILURES_REPORTED, "100");
            fromShards.addAll(failedSeedTexts(run.run(LostUpdate.class)));
        }

        assertThat(fromShards).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(whole);
    }

    @Test
    void oneOfOneIsTheWholeSweepWithAnUnsuffixedSummary() {
        EngineRun run = EngineRun.in(dir).set(Settings.SHARD, "1/1").set(Settings.SEEDS, "3");

        run.run(FailsOnListedSeeds.class);

        assertThat(FailsOnListedSeeds.run()).hasSize(3);
        assertThat(run.summary(FailsOnListedSeeds.class, METHOD)).exists();
        try (var files = Files.list(run.reports())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("shard"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void moreShardsThanSeedsLeavesSomeShardsEmpty() {
        EngineRun run = EngineRun.in(dir).set(Settings.SEEDS, "2").set(Settings.SHARD, "3/3");

        EngineExecutionResults results = run.run(FailsOnListedSeeds.class);

        assertThat(FailsOnListedSeeds.run()).isEmpty();
        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        assertThat(methodReport(results, METHOD)).containsEntry("parigot.seeds", "0");
    }

    @Test
    void theReportSaysWhichSweepPositionsRanCountingASeedRememberedBeforeTheSweepOnce() {
        EngineRun run = EngineRun.in(dir).set(Settings.SEEDS, "10").set(Settings.SHARD, "2/3");
        FailsOnListedSeeds.FAILING.add(Seed.FIRST.plus(4));
        run.run(FailsOnListedSeeds.class);
        FailsOnListedSeeds.reset();

        run.run(FailsOnListedSeeds.class);

        MethodReport report = ReportJson.read(run.reports().resolve(FailsOnListedSeeds.class.getName() + "#" + METHOD
                + ".shard-2-of-3.json"));
        assertThat(FailsOnListedSeeds.run()).hasSize(3);
        assertThat(report.seedsCovered().beforeSweep()).containsExactly(Seed.FIRST.plus(4).toString());
        assertThat(report.seedsCovered().sweep()).isEqualTo(new SeedsCovered.Sweep("0x5eed000000000000", 10, 2, 3, 1,
                3, 3, 3));
        assertThat(report.seedsPlanned()).isEqualTo(3);
    }

    // ---- the shard of a pod of a Kubernetes Indexed Job ----

    private static Settings settings(Map<String, String> config, Map<String, String> environment) {
        ParigotSimTest annotation;
        try {
            annotation = FailsOnListedSeeds.class.getDeclaredMethod(METHOD, Sim.class, Seed.class)
                    .getAnnotation(ParigotSimTest.class);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
        return Settings.of(annotation, key -> Optional.ofNullable(config.get(key)), config.keySet(), environment);
    }

    @Test
    void aPodOfAnIndexedJobRunsTheShardOfItsCompletionIndexCountedFromZero() {
        Settings first = settings(Map.of(), Map.of("JOB_COMPLETION_INDEX", "0", "PARIGOT_SHARDS", "4"));
        Settings last = settings(Map.of(), Map.of("JOB_COMPLETION_INDEX", "3", "PARIGOT_SHARDS", "4"));

        assertThat(new int[] {first.shardIndex, first.shardCount}).containsExactly(1, 4);
        assertThat(new int[] {last.shardIndex, last.shardCount}).containsExactly(4, 4);
    }

    @Test
    void parigotShardSetExplicitlyWinsOverTheEnvironmentEvenAMalformedOne() {
        Settings s = settings(Map.of(Settings.SHARD, "2/3"), Map.of("JOB_COMPLETION_INDEX", "7"));

        assertThat(new int[] {s.shardIndex, s.shardCount}).containsExactly(2, 3);
    }

    @Test
    void withoutEitherVariableTheSweepIsWhole() {
        Settings s = settings(Map.of(), Map.of("PATH", "/usr/bin", "JOB_COMPLETION_INDEX", " "));

        assertThat(new int[] {s.shardIndex, s.shardCount}).containsExactly(1, 1);
    }

    @Test
    void anIndexWithoutTheShardCountIsAnErrorNamingBothVariablesAndWhatToSet() {
        assertThatThrownBy(() -> settings(Map.of(), Map.of("JOB_COMPLETION_INDEX", "2")))
                .isInstanceOf(SettingsException.class)
                .hasMessage("JOB_COMPLETION_INDEX=2 is set but PARIGOT_SHARDS is not: Kubernetes does not tell a pod"
                        + " how many completions its Job has, so the number of shards is not known; in a Kubernetes"
                        + " Indexed Job set PARIGOT_SHARDS in the pod template to the Job's spec.completions"
                        + " (Kubernetes sets JOB_COMPLETION_INDEX to 0 .. completions - 1), or set parigot.shard=i/n,"
                        + " which wins over both");
        assertThatThrownBy(() -> settings(Map.of(), Map.of("PARIGOT_SHARDS", "4")))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("PARIGOT_SHARDS=4 is set but JOB_COMPLETION_INDEX is not");
    }

    @Test
    void anIndexNotBelowTheShardCountOrNotANumberIsAnError() {
        assertThatThrownBy(() -> settings(Map.of(), Map.of("JOB_COMPLETION_INDEX", "4", "PARIGOT_SHARDS", "4")))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("JOB_COMPLETION_INDEX=4 is not below PARIGOT_SHARDS=4: the indices of 4 shards"
                        + " are 0 to 3, so PARIGOT_SHARDS is not the Job's completions; in a Kubernetes Indexed Job");
        assertThatThrownBy(() -> settings(Map.of(), Map.of("JOB_COMPLETION_INDEX", "-1", "PARIGOT_SHARDS", "4")))
                .hasMessageStartingWith("the environment variable JOB_COMPLETION_INDEX=-1 is not valid: it must be a"
                        + " non-negative integer");
        assertThatThrownBy(() -> settings(Map.of(), Map.of("JOB_COMPLETION_INDEX", "1", "PARIGOT_SHARDS", "four")))
                .hasMessageStartingWith("the environment variable PARIGOT_SHARDS=four is not valid: it must be a"
                        + " positive integer");
    }
}
