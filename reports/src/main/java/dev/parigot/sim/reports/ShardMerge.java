package dev.parigot.sim.reports;

import dev.parigot.sim.scheduler.Seed;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Joins the reports of the shards of one sweep ({@code parigot.shard=i/n}, one report each) into
 * the report of the whole sweep, after checking that they are the shards of one sweep and that
 * together they ran every seed of it exactly once: each shard {@code 1/n} to {@code n/n} once,
 * each complete, all with the same strategy, first seed, seed count, settings and parameters.
 * Anything else is refused with every problem named and what to do about it.
 *
 * <p>The merge is the report an unsharded run of the same sweep would have written, but for what
 * depends on the machines: failures are in seed order, times and steps are added up, worlds at
 * once and memory are the most of any shard, and {@code mergedFrom} lists each shard's part.
 */
public final class ShardMerge {
    private ShardMerge() {
    }

    /** A shard's report and where it was read from (named in errors). */
    public record Shard(Path source, MethodReport report) {
        /**
         * Refuses a shard without a report.
         *
         * @throws NullPointerException if {@code report} is null
         */
        public Shard {
            Objects.requireNonNull(report, "report");
        }

        String label() {
            return report.shard() + " (" + source + ")";
        }
    }

    /**
     * Merges the reports of every method among {@code shards}, grouped by
     * {@code <test class>#<method>}, in name order.
     *
     * @param allowIncomplete whether a shard whose time budget ran out (or that stopped at a
     *     failure) may be merged: the merge then covers fewer seeds than the sweep, and says how many
     * @throws ReportException naming every problem of every method, one a line
     */
    public static List<MethodReport> mergeAll(List<Shard> shards, boolean allowIncomplete) {
        Map<String, List<Shard>> byMethod = new TreeMap<>();
        for (Shard s : shards) {
            byMethod.computeIfAbsent(s.report().name(), k -> new ArrayList<>()).add(s);
        }
        List<MethodReport> merged = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        byMethod.forEach((name, ofMethod) -> {
            try {
                merged.add(merge(ofMethod, allowIncomplete));
            } catch (ReportException e) {
                problems.add(e.getMessage());
            }
        });
        if (!problems.isEmpty()) {
            throw new ReportException(String.join("\n", problems));
        }
        return merged;
    }

    /**
     * Merges the shards of one method's sweep.
     *
     * @throws ReportException naming every problem, one a line, each with what to do
     */
    public static MethodReport merge(List<Shard> shards, boolean allowIncomplete) {
        if (shards.isEmpty()) {
            throw new ReportException("no report to merge: give the reports of every shard of the sweep");
        }
        String name = shards.get(0).report().name();
        List<String> problems = new ArrayList<>();
        for (Shard s : shards) {
            if (!s.report().name().equals(name)) {
                problems.add(name + ": " + s.source() + " is the report of " + s.report().name()
                        + ", another method: merge each method's shards on their own");
            } else if (s.report().seedsCovered() == null || s.report().seedsCovered().sweep() == null) {
                problems.add(name + ": " + s.source() + " ran fixed seeds (parigot.seed), not a shard of a sweep:"
                        + " there is no sweep to merge it into; leave it out");
            }
        }
        if (problems.isEmpty()) {
            List<Shard> sorted = new ArrayList<>(shards);
            sorted.sort(Comparator.comparingInt((Shard s) -> sweep(s).shardIndex())
                    .thenComparing(s -> String.valueOf(s.source())));
            disagreements(name, sorted, problems);
            if (problems.isEmpty()) {
                coverage(name, sorted, allowIncomplete, problems);
            }
            if (problems.isEmpty()) {
                return joined(sorted);
            }
        }
        throw new ReportException(String.join("\n", problems));
    }

    private static SeedsCovered.Sweep sweep(Shard s) {
        return s.report().seedsCovered().sweep();
    }

    /** What every shard of one sweep must share; a difference is named with the shards on each side. */
    private static void disagreements(String name, List<Shard> shards, List<String> problems) {
        agree(name, "the strategy (parigot.strategy)", shards, s -> s.report().strategy(), problems);
        agree(name, "the first seed (parigot.seed.first)", shards, s -> sweep(s).firstSeed(), problems);
        agree(name, "the seeds of the sweep (parigot.seeds)", shards, s -> Long.toString(sweep(s).seedCount()),
                problems);
        agree(name, "the number of shards (the n of parigot.shard=i/n, or PARIGOT_SHARDS)", shards,
                s -> Integer.toString(sweep(s).shardCount()), problems);
        Set<String> keys = new TreeSet<>();
        shards.forEach(s -> keys.addAll(s.report().settings().keySet()));
        for (String key : keys) {
            agree(name, "the setting " + key, shards, s -> s.report().settings().getOrDefault(key, "(not set)"),
                    problems);
        }
        Set<String> parameters = new TreeSet<>();
        shards.forEach(s -> parameters.addAll(s.report().parameters().keySet()));
        for (String p : parameters) {
            agree(name, "the test parameter " + p, shards, s -> s.report().parameters().getOrDefault(p, "(not set)"),
                    problems);
        }
    }

    private static void agree(String name, String what, List<Shard> shards, Function<Shard, String> value,
            List<String> problems) {
        Map<String, List<String>> byValue = new LinkedHashMap<>();
        for (Shard s : shards) {
            byValue.computeIfAbsent(String.valueOf(value.apply(s)), k -> new ArrayList<>()).add(s.label());
        }
        if (byValue.size() > 1) {
            problems.add(name + ": the shards disagree on " + what + ": " + byValue.entrySet().stream()
                    .map(e -> e.getKey() + " in " + String.join(", ", e.getValue()))
                    .collect(Collectors.joining("; ")) + ". The shards of one sweep must run the same command but"
                    + " for the shard; run the odd ones again with the others' settings, or merge each sweep on its own");
        }
    }

    /** Each shard 1/n to n/n exactly once, each owning the positions it should, each complete. */
    private static void coverage(String name, List<Shard> shards, boolean allowIncomplete, List<String> problems) {
        SeedsCovered.Sweep first = sweep(shards.get(0));
        int n = first.shardCount();
        Map<Integer, List<Shard>> byIndex = new TreeMap<>();
        for (Shard s : shards) {
            byIndex.computeIfAbsent(sweep(s).shardIndex(), k -> new ArrayList<>()).add(s);
        }
        for (int i = 1; i <= n; i++) {
            List<Shard> found = byIndex.getOrDefault(i, List.of());
            SeedsCovered.Sweep expected = SeedsCovered.Sweep.shard(Seed.parse(first.firstSeed()), first.seedCount(),
                    i, n, SeedsCovered.Sweep.positionsOf(first.seedCount(), i, n));
            if (found.isEmpty()) {
                problems.add(name + ": shard " + i + "/" + n + " is missing: " + positions(expected)
                        + " were not run in any report given. Run it (-Dparigot.shard=" + i + "/" + n
                        + ", or JOB_COMPLETION_INDEX=" + (i - 1) + " with PARIGOT_SHARDS=" + n + ", and the same"
                        + " parigot.seeds, parigot.seed.first and settings as the others) and merge again with its"
                        + " report, or give the report if it is elsewhere");
            } else if (found.size() > 1) {
                problems.add(name + ": shard " + i + "/" + n + " was run " + found.size() + " times ("
                        + found.stream().map(s -> String.valueOf(s.source())).collect(Collectors.joining(", "))
                        + "): " + positions(expected) + " would count " + found.size() + " times. Give one report"
                        + " per shard: keep one of these files (runs of the same command hold the same results)");
            }
            for (Shard s : found) {
                SeedsCovered.Sweep got = sweep(s);
                if (got.positionFirst() != expected.positionFirst() || got.positionStep() != expected.positionStep()
                        || got.positionsPlanned() != expected.positionsPlanned()) {
                    problems.add(name + ": " + s.source() + " says it is shard " + i + "/" + n + " but owns "
                            + positions(got) + ", not " + positions(expected) + "; it was not written by this"
                            + " version's engine or was edited: run the shard again");
                } else if (!got.complete() && !allowIncomplete) {
                    long k = got.positionsRun();
                    problems.add(name + ": shard " + i + "/" + n + " (" + s.source() + ") ran " + k + " of its "
                            + got.positionsPlanned() + " seeds (" + why(s.report()) + "): the seeds from position "
                            + got.position(k) + " (seed " + got.seed(k) + ") on, in steps of " + n + ", were not run."
                            + " Run the shard again (without parigot.time.budget, or with parigot.stop=never), or"
                            + " merge with --allow-incomplete to accept a sweep with gaps");
                }
            }
        }
    }

    private static String why(MethodReport r) {
        if (r.timeBudgetReached()) {
            return "its time budget ran out";
        }
        return r.stoppedAtFirstFailure() ? "it stopped at its first failure (parigot.stop=first)" : "it did not finish";
    }

    /** A shard's positions as a sentence: {@code the sweep positions 2, 5, 8, ... (333,333 seeds: 0x..., 0x..., ...)}. */
    static String positions(SeedsCovered.Sweep s) {
        if (s.positionsPlanned() == 0) {
            return "no sweep position (the sweep has fewer seeds than shards)";
        }
        int shown = (int) Math.min(3, s.positionsPlanned());
        List<String> p = new ArrayList<>();
        List<String> seeds = new ArrayList<>();
        for (int k = 0; k < shown; k++) {
            p.add(Long.toString(s.position(k)));
            seeds.add(s.seed(k).toString());
        }
        String more = s.positionsPlanned() > shown ? ", ..." : "";
        return String.format(Locale.ROOT, "the sweep positions %s%s (%,d seed%s: %s%s)", String.join(", ", p), more,
                s.positionsPlanned(), s.positionsPlanned() == 1 ? "" : "s", String.join(", ", seeds), more);
    }

    /** The report of the whole sweep from its checked shards, in shard order. */
    private static MethodReport joined(List<Shard> shards) {
        MethodReport first = shards.get(0).report();
        SeedsCovered.Sweep sweep = sweep(shards.get(0));
        long planned = 0;
        long run = 0;
        long steps = 0;
        long virtualNanos = 0;
        long wallMillis = 0;
        long positionsRun = 0;
        int worlds = 0;
        long memory = 0;
        boolean budget = false;
        boolean stopped = false;
        Set<String> beforeSweep = new LinkedHashSet<>();
        Map<String, FailureReport> failures = new LinkedHashMap<>();
        Map<String, long[]> assertions = new LinkedHashMap<>();
        List<SeedsCovered.Sweep> parts = new ArrayList<>();
        for (Shard shard : shards) {
            MethodReport r = shard.report();
            planned += r.seedsPlanned();
            run += r.seedsRun();
            steps += r.steps();
            virtualNanos += r.virtualTimeNanos();
            wallMillis += r.wallTimeMillis();
            positionsRun += sweep(shard).positionsRun();
            worlds = Math.max(worlds, r.worldsAtOnce());
            memory = Math.max(memory, r.worldLinearMemoryBytesMax());
            budget |= r.timeBudgetReached();
            stopped |= r.stoppedAtFirstFailure();
            beforeSweep.addAll(r.seedsCovered().beforeSweep());
            parts.add(sweep(shard));
            for (FailureReport f : r.failures()) {
                // A seed remembered on two machines failed once: the same seed, settings and command.
                failures.putIfAbsent(f.seed() + " " + f.underRecordedSettings() + " " + f.replay(), f);
            }
            for (AssertionReport a : r.assertions()) {
                long[] c = assertions.computeIfAbsent(a.assertion(), k -> new long[2]);
                c[0] += a.reached();
                c[1] += a.satisfied();
            }
        }
        List<FailureReport> inSeedOrder = new ArrayList<>(failures.values());
        inSeedOrder.sort(Comparator.comparing((FailureReport f) -> Seed.parse(f.seed())));
        List<AssertionReport> tallies = new ArrayList<>();
        assertions.forEach((text, c) -> tallies.add(new AssertionReport(text, c[0], c[1])));
        SeedsCovered.Sweep whole = new SeedsCovered.Sweep(sweep.firstSeed(), sweep.seedCount(), 1, 1, 0, 1,
                sweep.seedCount(), positionsRun);
        return new MethodReport(MethodReport.SCHEMA, first.testClass(), first.method(), first.strategy(),
                first.firstSeed(), "1/1", planned, run, inSeedOrder.size(), budget, stopped, steps, virtualNanos,
                wallMillis, wallMillis == 0 ? 0 : Math.round(steps * 1000.0 / wallMillis), worlds, memory,
                new SeedsCovered(whole, List.of(), new ArrayList<>(beforeSweep)), first.settings(), first.parameters(),
                parts, inSeedOrder, tallies);
    }
}
