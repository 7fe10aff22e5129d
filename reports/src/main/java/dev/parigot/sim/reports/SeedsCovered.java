package dev.parigot.sim.reports;

import dev.parigot.sim.scheduler.Seed;
import java.util.List;

/**
 * Exactly which seeds a run covered, so that a merge can check that the shards of a sweep ran
 * every seed once: the run's part of the sweep as positions in it, the fixed seeds it ran instead
 * of a sweep, and the seeds it ran before the sweep (regression seeds and remembered failures).
 *
 * @param sweep the run's part of the sweep; null when fixed seeds ran instead
 * @param fixedSeeds the seeds given with {@code parigot.seed} (or {@code @ParigotSimTest(seed)}), as printed
 * @param beforeSweep seeds run before the sweep, as printed; one remembered under other settings than the
 *     run's is followed by those settings ({@code 0x5eed000000000003 -Dparigot.strategy=pct:3 ...})
 */
public record SeedsCovered(Sweep sweep, List<String> fixedSeeds, List<String> beforeSweep) {

    /** Copies the lists (null reads as empty). */
    public SeedsCovered {
        fixedSeeds = MethodReport.listOrEmpty(fixedSeeds);
        beforeSweep = MethodReport.listOrEmpty(beforeSweep);
    }

    /**
     * One shard's part of a sweep of {@code seedCount} seeds from {@code firstSeed}. The sweep's
     * position {@code p} (0 to {@code seedCount - 1}) is the seed {@code firstSeed + p}; shard
     * {@code i} of {@code n} owns the positions {@code i - 1}, {@code i - 1 + n}, {@code i - 1 + 2n},
     * ... below {@code seedCount}: {@code positionsPlanned} of them, from {@code positionFirst} in
     * steps of {@code positionStep}. The first {@code positionsRun} of them ran (all, unless the
     * time budget ran out or the run stopped at a failure).
     *
     * @param firstSeed the sweep's first seed, as printed ({@code 0x5eed000000000000})
     * @param seedCount the seeds of the whole sweep ({@code parigot.seeds}), over every shard
     * @param shardIndex this shard, 1 to {@code shardCount}
     * @param shardCount the shards the sweep is split in
     * @param positionFirst the first position of this shard: {@code shardIndex - 1}
     * @param positionStep the distance between two positions of this shard: {@code shardCount}
     * @param positionsPlanned the positions this shard owns
     * @param positionsRun how many of them, from the first on, ran
     */
    public record Sweep(String firstSeed, long seedCount, int shardIndex, int shardCount, long positionFirst,
            long positionStep, long positionsPlanned, long positionsRun) {

        /** Shard {@code shardIndex} of {@code shardCount} of a sweep, of which {@code positionsRun} positions ran. */
        public static Sweep shard(Seed firstSeed, long seedCount, int shardIndex, int shardCount, long positionsRun) {
            return new Sweep(firstSeed.toString(), seedCount, shardIndex, shardCount, shardIndex - 1, shardCount,
                    positionsOf(seedCount, shardIndex, shardCount), positionsRun);
        }

        /** The positions shard {@code i} of {@code n} owns in a sweep of {@code seedCount} seeds. */
        public static long positionsOf(long seedCount, int i, int n) {
            return seedCount <= i - 1 ? 0 : (seedCount - (i - 1) + n - 1) / n;
        }

        /** Whether every position of this shard ran. */
        public boolean complete() {
            return positionsRun == positionsPlanned;
        }

        /** The sweep position of this shard's {@code k}-th position (from 0). */
        public long position(long k) {
            return positionFirst + k * positionStep;
        }

        /** The seed at this shard's {@code k}-th position (from 0). */
        public Seed seed(long k) {
            return Seed.parse(firstSeed).plus(position(k));
        }
    }
}
