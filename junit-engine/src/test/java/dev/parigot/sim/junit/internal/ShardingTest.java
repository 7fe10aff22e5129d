package dev.parigot.sim.junit.internal;

import static dev.parigot.sim.junit.internal.EngineRun.failedSeedTexts;
import static dev.parigot.sim.junit.internal.EngineRun.methodReport;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.junit.internal.Fixtures.FailsOnListedSeeds;
import dev.parigot.sim.junit.internal.Fixtures.LostUpdate;
import dev.parigot.sim.scheduler.Seed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
}
