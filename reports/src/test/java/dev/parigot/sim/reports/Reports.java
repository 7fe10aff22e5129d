package dev.parigot.sim.reports;

import dev.parigot.sim.scheduler.Seed;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reports as the engine writes them, for tests: a shard of a sweep with the failing seeds given. */
public final class Reports {
    static final String CLASS = "dev.example.BankSimTest";
    static final String METHOD = "moneyIsConserved";

    private Reports() {
    }

    public static FailureReport failure(String seed) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("parigot.seed", seed);
        settings.put("parigot.strategy", "pct:3");
        return new FailureReport(seed, "ASSERTION", "\"money is conserved\" does not hold:\nline two", "teller", 18,
                1_200_000, "c4e31e8dbf0993f3", "re-run: the same failure and trace hash",
                "mvn test -Dtest='BankSimTest#moneyIsConserved' -Dparigot.seed=" + seed, null,
                "@ParigotSimTest(seed = \"" + seed + "\")", false, settings, Map.of("bank.teller", "buggy"),
                Map.of("teller", "a2cbbd6c6db16e09"), null, "target/parigot-sim/runs/x/" + seed + ".txt",
                "target/parigot-sim/runs/x/" + seed + ".html", new ShrinkReport(18, 2, 40, 9, 1, 7, 31, 120, "MINIMAL", "\"money is conserved\" does not hold:"
                        + " line two", "0123456789abcdef", "target/parigot-sim/runs/x/" + seed + ".shrunk.choices",
                        "mvn test -Dtest='BankSimTest#moneyIsConserved' -Dparigot.seed=" + seed
                        + " -Dparigot.replay=target/parigot-sim/runs/x/" + seed + ".shrunk.choices", null));
    }

    /** Shard i/n of a sweep of {@code count} seeds from Seed.FIRST; the sweep positions listed fail. */
    public static MethodReport shard(int i, int n, long count, long... failingPositions) {
        long planned = SeedsCovered.Sweep.positionsOf(count, i, n);
        return cutShort(i, n, count, planned, failingPositions);
    }

    /** Shard i/n of which only the first {@code positionsRun} positions ran (its time budget ran out). */
    static MethodReport cutShort(int i, int n, long count, long positionsRun, long... failingPositions) {
        List<FailureReport> failures = new ArrayList<>();
        for (long p : failingPositions) {
            if (p % n == i - 1) {
                failures.add(failure(Seed.FIRST.plus(p).toString()));
            }
        }
        SeedsCovered.Sweep sweep = SeedsCovered.Sweep.shard(Seed.FIRST, count, i, n, positionsRun);
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("parigot.strategy", "pct:3");
        settings.put("parigot.faults", "swarm");
        return new MethodReport(MethodReport.SCHEMA, CLASS, METHOD, "pct:3", Seed.FIRST.toString(), i + "/" + n,
                sweep.positionsPlanned(), positionsRun, failures.size(), positionsRun < sweep.positionsPlanned(),
                false, 10 * positionsRun, 1_000 * positionsRun, 100, 100 * positionsRun, 2, 64L << 20,
                new SeedsCovered(sweep, List.of(), List.of()), settings, Map.of("bank.teller", "buggy"), List.of(),
                failures, List.of(new AssertionReport("sometimes \"a retry\"", positionsRun, 1)));
    }

    static ShardMerge.Shard of(MethodReport r) {
        return new ShardMerge.Shard(java.nio.file.Path.of("shard-" + r.shard().replace('/', '-') + ".json"), r);
    }
}
