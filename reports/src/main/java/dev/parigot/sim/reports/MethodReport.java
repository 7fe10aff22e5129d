package dev.parigot.sim.reports;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one run of one {@code @ParigotSimTest} method did: which seeds it covered, how they went,
 * and every failing seed with the ways to replay it. The engine writes one per method (one per
 * shard of a sharded sweep) as JSON ({@link ReportJson}); {@link ShardMerge} joins the shards of
 * a sweep into one. Every field is described in {@code docs/reports.md} and in the JSON Schema
 * {@value ReportJson#SCHEMA_RESOURCE}.
 *
 * @param schema the report's schema and its version, {@value #SCHEMA} for this one
 * @param testClass the test class's binary name ({@code Outer$Inner} for a nested class)
 * @param method the test method's name
 * @param strategy the scheduling strategy in force ({@code mix}, {@code pct:3}, ...)
 * @param firstSeed the first seed of the sweep; null when fixed seeds ran ({@code parigot.seed})
 * @param shard this run's shard of the sweep, {@code i/n}; {@code 1/1} for a whole sweep or a merge
 * @param seedsPlanned seeds this run planned: seeds run before the sweep, then its part of the sweep
 * @param seedsRun seeds that ran (fewer than planned when the time budget ran out or a failure stopped it)
 * @param seedsFailed seeds that failed; the length of {@code failures}
 * @param timeBudgetReached whether {@code parigot.time.budget} stopped the run before every planned seed ran
 * @param stoppedAtFirstFailure whether {@code parigot.stop=first} stopped it at a failing seed
 * @param steps steps of every seed run, added up
 * @param virtualTimeNanos virtual time of every seed run, added up
 * @param wallTimeMillis wall-clock time of the run (of a merge: the shards' added up)
 * @param stepsPerSecond {@code steps} per second of {@code wallTimeMillis}
 * @param worldsAtOnce worlds that ran at once after the first (of a merge: the most of any shard)
 * @param worldLinearMemoryBytesMax the linear memory one world's WASM nodes may hold, as the first world measured
 * @param seedsCovered exactly which seeds ran: the sweep positions, fixed seeds, seeds run before the sweep
 * @param settings the world settings in force, as the {@code parigot.*} keys and their values
 * @param parameters the test's own parameters given to its worlds (name to value)
 * @param mergedFrom the part of the sweep of each shard a merge joined, in shard order; empty for one run
 * @param failures every failing seed, in the order the run reported them (of a merge: seed order)
 * @param assertions every {@code sometimes}/{@code reachable}/... assertion reached, with its counts
 */
public record MethodReport(
        String schema,
        String testClass,
        String method,
        String strategy,
        String firstSeed,
        String shard,
        long seedsPlanned,
        long seedsRun,
        long seedsFailed,
        boolean timeBudgetReached,
        boolean stoppedAtFirstFailure,
        long steps,
        long virtualTimeNanos,
        long wallTimeMillis,
        long stepsPerSecond,
        int worldsAtOnce,
        long worldLinearMemoryBytesMax,
        SeedsCovered seedsCovered,
        Map<String, String> settings,
        Map<String, String> parameters,
        List<SeedsCovered.Sweep> mergedFrom,
        List<FailureReport> failures,
        List<AssertionReport> assertions) {

    /** The schema this version writes: major version 1, minor version 1 (see {@link ReportJson}). */
    public static final String SCHEMA = "parigot-sim/report/1.1";

    /** Copies the settings and parameters in order, and the lists (null reads as empty). */
    public MethodReport {
        settings = orderedCopy(settings);
        parameters = orderedCopy(parameters);
        mergedFrom = mergedFrom == null ? List.of() : List.copyOf(mergedFrom);
        failures = failures == null ? List.of() : List.copyOf(failures);
        assertions = assertions == null ? List.of() : List.copyOf(assertions);
    }

    /** {@code <test class>#<method>}: what groups the shards of one method. */
    public String name() {
        return testClass + "#" + method;
    }

    /**
     * The file this report is written to in the reports directory:
     * {@code <test class>#<method>.json}, or {@code <test class>#<method>.shard-<i>-of-<n>.json}
     * for one shard of a sweep split in more than one.
     */
    public String fileName() {
        SeedsCovered.Sweep sweep = seedsCovered == null ? null : seedsCovered.sweep();
        boolean sharded = sweep != null && sweep.shardCount() > 1;
        return name() + (sharded ? ".shard-" + sweep.shardIndex() + "-of-" + sweep.shardCount() : "") + ".json";
    }

    static <V> Map<String, V> orderedCopy(Map<String, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }

    static <T> List<T> listOrEmpty(List<T> list) {
        return list == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(list));
    }
}
