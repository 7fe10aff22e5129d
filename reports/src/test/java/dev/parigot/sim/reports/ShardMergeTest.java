package dev.parigot.sim.reports;

import static dev.parigot.sim.reports.Reports.of;
import static dev.parigot.sim.reports.Reports.shard;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShardMergeTest {
    static final String NAME = Reports.CLASS + "#" + Reports.METHOD;

    @Test
    void threeShardsMergeIntoTheWholeSweepWithEveryFailureInSeedOrderAndTotalsSummed() {
        long[] failing = {0, 4, 5, 19};

        MethodReport merged = ShardMerge.merge(List.of(of(shard(3, 3, 20, failing)), of(shard(1, 3, 20, failing)),
                of(shard(2, 3, 20, failing))), false);

        assertThat(merged.shard()).isEqualTo("1/1");
        assertThat(merged.seedsCovered().sweep()).isEqualTo(new SeedsCovered.Sweep("0x5eed000000000000", 20, 1, 1, 0,
                1, 20, 20));
        assertThat(merged.mergedFrom()).extracting(SeedsCovered.Sweep::shardIndex).containsExactly(1, 2, 3);
        assertThat(merged.mergedFrom()).extracting(SeedsCovered.Sweep::positionsRun).containsExactly(7L, 7L, 6L);
        assertThat(merged.seedsRun()).isEqualTo(20);
        assertThat(merged.seedsPlanned()).isEqualTo(20);
        assertThat(merged.steps()).isEqualTo(200);
        assertThat(merged.wallTimeMillis()).isEqualTo(300);
        assertThat(merged.stepsPerSecond()).isEqualTo(667);
        assertThat(merged.seedsFailed()).isEqualTo(4);
        assertThat(merged.failures()).extracting(FailureReport::seed).containsExactly("0x5eed000000000000",
                "0x5eed000000000004", "0x5eed000000000005", "0x5eed000000000013");
        assertThat(merged.assertions()).containsExactly(new AssertionReport("sometimes \"a retry\"", 20, 3));
        assertThat(merged.fileName()).isEqualTo(NAME + ".json");
        assertThat(merged.settings()).containsEntry("parigot.strategy", "pct:3");
    }

    @Test
    void aMissingShardIsRefusedNamingItsPositionsSeedsAndHowToRunIt() {
        assertThatThrownBy(() -> ShardMerge.merge(List.of(of(shard(1, 3, 20)), of(shard(3, 3, 20))), false))
                .isInstanceOf(ReportException.class)
                .hasMessage(NAME + ": shard 2/3 is missing: the sweep positions 1, 4, 7, ... (7 seeds: 0x5eed000000000001,"
                        + " 0x5eed000000000004, 0x5eed000000000007, ...) were not run in any report given. Run it"
                        + " (-Dparigot.shard=2/3, or JOB_COMPLETION_INDEX=1 with PARIGOT_SHARDS=3, and the same"
                        + " parigot.seeds, parigot.seed.first and settings as the others) and merge again with its"
                        + " report, or give the report if it is elsewhere");
    }

    @Test
    void aShardRunTwiceIsRefusedNamingBothFiles() {
        ShardMerge.Shard again = new ShardMerge.Shard(java.nio.file.Path.of("elsewhere/shard-2-3.json"),
                shard(2, 3, 20));

        assertThatThrownBy(() -> ShardMerge.merge(List.of(of(shard(1, 3, 20)), of(shard(2, 3, 20)), again,
                of(shard(3, 3, 20))), false))
                .isInstanceOf(ReportException.class)
                .hasMessage(NAME + ": shard 2/3 was run 2 times (elsewhere/shard-2-3.json, shard-2-3.json): the sweep"
                        + " positions 1, 4, 7, ... (7 seeds: 0x5eed000000000001, 0x5eed000000000004, 0x5eed000000000007,"
                        + " ...) would count 2 times. Give one report per shard: keep one of these files (runs of the"
                        + " same command hold the same results)");
    }

    @Test
    void shardsOfDifferentSweepsOrSettingsAreRefusedNamingWhatDiffersAndWhere() {
        MethodReport other = shard(3, 3, 20);
        Map<String, String> settings = new LinkedHashMap<>(other.settings());
        settings.put("parigot.faults", "none");
        MethodReport otherFaults = new MethodReport(other.schema(), other.testClass(), other.method(), "mix",
                other.firstSeed(), other.shard(), other.seedsPlanned(), other.seedsRun(), other.seedsFailed(), false,
                false, 0, 0, 0, 0, 1, 0, other.seedsCovered(), settings, other.parameters(), null, null, null);

        assertThatThrownBy(() -> ShardMerge.merge(List.of(of(shard(1, 3, 20)), of(shard(2, 3, 21)), of(otherFaults)),
                false))
                .isInstanceOf(ReportException.class)
                .hasMessageContaining(NAME + ": the shards disagree on the strategy (parigot.strategy): pct:3 in"
                        + " 1/3 (shard-1-3.json), 2/3 (shard-2-3.json); mix in 3/3 (shard-3-3.json). The shards of one"
                        + " sweep must run the same command but for the shard")
                .hasMessageContaining("the shards disagree on the seeds of the sweep (parigot.seeds): 20 in 1/3"
                        + " (shard-1-3.json), 3/3 (shard-3-3.json); 21 in 2/3 (shard-2-3.json)")
                .hasMessageContaining("the shards disagree on the setting parigot.faults: swarm in 1/3"
                        + " (shard-1-3.json), 2/3 (shard-2-3.json); none in 3/3 (shard-3-3.json)");
        assertThatThrownBy(() -> ShardMerge.merge(List.of(of(shard(1, 2, 20)), of(shard(2, 3, 20))), false))
                .hasMessageContaining("the shards disagree on the number of shards");
    }

    @Test
    void aShardCutShortByItsTimeBudgetIsRefusedUnlessIncompleteSweepsAreAllowed() {
        List<ShardMerge.Shard> shards = List.of(of(shard(1, 2, 10)), of(Reports.cutShort(2, 2, 10, 3)));

        assertThatThrownBy(() -> ShardMerge.merge(shards, false))
                .isInstanceOf(ReportException.class)
                .hasMessage(NAME + ": shard 2/2 (shard-2-2.json) ran 3 of its 5 seeds (its time budget ran out): the"
                        + " seeds from position 7 (seed 0x5eed000000000007) on, in steps of 2, were not run. Run the shard"
                        + " again (without parigot.time.budget, or with parigot.stop=never), or merge with"
                        + " --allow-incomplete to accept a sweep with gaps");

        MethodReport merged = ShardMerge.merge(shards, true);
        assertThat(merged.seedsCovered().sweep().positionsRun()).isEqualTo(8);
        assertThat(merged.timeBudgetReached()).isTrue();
        assertThat(merged.mergedFrom()).extracting(SeedsCovered.Sweep::complete).containsExactly(true, false);
    }

    @Test
    void everyMethodIsMergedOnItsOwnAndEveryProblemOfEveryMethodIsNamed() {
        MethodReport a1 = shard(1, 2, 4);
        MethodReport b = shard(1, 2, 4);
        MethodReport b1 = new MethodReport(b.schema(), b.testClass(), "other", b.strategy(), b.firstSeed(), b.shard(),
                b.seedsPlanned(), b.seedsRun(), b.seedsFailed(), false, false, 0, 0, 0, 0, 1, 0, b.seedsCovered(),
                b.settings(), b.parameters(), null, null, null);

        assertThat(ShardMerge.mergeAll(List.of(of(a1), of(shard(2, 2, 4))), false)).hasSize(1);
        assertThatThrownBy(() -> ShardMerge.mergeAll(List.of(of(a1), of(b1), of(shard(2, 2, 4))), false))
                .hasMessage(Reports.CLASS + "#other: shard 2/2 is missing: the sweep positions 1, 3 (2 seeds:"
                        + " 0x5eed000000000001, 0x5eed000000000003) were not run in any report given. Run it"
                        + " (-Dparigot.shard=2/2, or JOB_COMPLETION_INDEX=1 with PARIGOT_SHARDS=2, and the same"
                        + " parigot.seeds, parigot.seed.first and settings as the others) and merge again with its"
                        + " report, or give the report if it is elsewhere");
    }
}
