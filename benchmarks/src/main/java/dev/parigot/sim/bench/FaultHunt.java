package dev.parigot.sim.bench;

import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.kernel.DeterminismCheck;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.samples.BankSample;
import dev.parigot.sim.samples.FaultSamples;
import dev.parigot.sim.scheduler.Seed;
import dev.parigot.sim.scheduler.Strategies;
import dev.parigot.sim.scheduler.Strategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * A whole-run benchmark of bug finding: for every planted bug of the samples, how many seeds a
 * sweep needs until its first failure (median over independent sweeps) under the random walk,
 * PCT and swarm testing; then every fixed variant over many seeds.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.parigot.sim.bench.FaultHunt [trials] [fixed seeds]</pre>
 */
public final class FaultHunt {
    private FaultHunt() {
    }

    /** A planted bug: its scenario (buggy or fixed) and the faults it needs to show. */
    record Bug(String name, BiConsumer<Sim, Boolean> scenario, FaultProfile faults) {
    }

    /** A way of choosing runs: a strategy and whether each seed draws its own fault subset. */
    record Mode(String name, Supplier<Strategy> strategy, boolean swarm) {
    }

    static final List<Bug> BUGS = List.of(
            new Bug("bank: lost update (read-modify-write across calls)",
                    (sim, fixed) -> BankSample.concurrentDeposits(sim, fixed ? BankSample.fixedTeller()
                            : BankSample.buggyTeller()), FaultProfile.NONE),
            new Bug("payments: retry charges twice", FaultSamples::payOnce, FaultSamples.slowNetwork()),
            new Bug("kv: crash loses an acknowledged unsynced write",
                    FaultSamples::acknowledgedWritesSurviveACrash, FaultProfile.NONE),
            new Bug("lease: partition lets two workers lead", FaultSamples::atMostOneLeader,
                    FaultSamples.partitions()));

    static final List<Mode> MODES = List.of(
            new Mode("random walk", Strategies::randomWalk, false),
            new Mode("PCT (depth 3)", () -> Strategies.pct(3, Strategies.PCT_STEPS_DEFAULT), false),
            new Mode("swarm (random walk)", Strategies::randomWalk, true));

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int fixedSeeds = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int cap = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "Seeds until the first failure: median (min..max) over %d sweeps, each from"
                + " its own first seed, capped at %,d seeds%n%n", trials, cap);
        System.out.printf(Locale.ROOT, "| planted bug | %s |%n", String.join(" | ", MODES.stream().map(Mode::name)
                .toList()));
        System.out.println("|---|" + "---|".repeat(MODES.size()));
        for (Bug bug : BUGS) {
            StringBuilder row = new StringBuilder("| " + bug.name() + " |");
            for (Mode mode : MODES) {
                List<Future<Integer>> sweeps = new ArrayList<>();
                for (int t = 0; t < trials; t++) {
                    Seed first = Seed.of(0x5eedL << 48).plus((long) t << 32);
                    sweeps.add(pool.submit(() -> seedsUntilFailure(bug, mode, first, cap)));
                }
                int[] counts = new int[trials];
                for (int t = 0; t < trials; t++) {
                    counts[t] = sweeps.get(t).get();
                }
                Arrays.sort(counts);
                row.append(String.format(Locale.ROOT, " %s (%s..%s) |", show(median(counts), cap),
                        show(counts[0], cap), show(counts[trials - 1], cap)));
            }
            System.out.println(row);
        }
        System.out.printf(Locale.ROOT, "%nFixed variants, %,d seeds each (random walk, and swarm where the bug needs"
                + " faults):%n%n", fixedSeeds);
        System.out.println("| fixed variant | mode | seeds | failures | seeds/s |");
        System.out.println("|---|---|---|---|---|");
        for (Bug bug : BUGS) {
            for (Mode mode : List.of(MODES.get(0), MODES.get(2))) {
                if (mode.swarm() && bug.faults() == FaultProfile.NONE) {
                    continue;
                }
                long t0 = System.nanoTime();
                List<Future<Integer>> parts = new ArrayList<>();
                int threads = Runtime.getRuntime().availableProcessors();
                for (int p = 0; p < threads; p++) {
                    int part = p;
                    parts.add(pool.submit(() -> {
                        int failures = 0;
                        for (int i = part; i < fixedSeeds; i += threads) {
                            if (run(bug, mode, Seed.FIRST.plus(i), true).failure().isPresent()) {
                                failures++;
                            }
                        }
                        return failures;
                    }));
                }
                int failures = 0;
                for (Future<Integer> f : parts) {
                    failures += f.get();
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "| %s | %s | %,d | %d | %,.0f |%n", bug.name(), mode.name(), fixedSeeds,
                        failures, fixedSeeds / seconds);
            }
        }
        pool.shutdown();
    }

    static int seedsUntilFailure(Bug bug, Mode mode, Seed first, int cap) {
        for (int i = 0; i < cap; i++) {
            if (run(bug, mode, first.plus(i), false).failure().isPresent()) {
                return i + 1;
            }
        }
        return Integer.MAX_VALUE;
    }

    static Sim run(Bug bug, Mode mode, Seed seed, boolean fixed) {
        SimConfig config = SimConfig.builder().seed(seed).echoLog(false).logLinesKept(5_000)
                .strategy(mode.strategy()).faults(bug.faults()).swarm(mode.swarm()).build();
        return DeterminismCheck.runOnce(config, sim -> bug.scenario().accept(sim, fixed));
    }

    private static int median(int[] sorted) {
        return sorted[sorted.length / 2];
    }

    private static String show(int n, int cap) {
        return n == Integer.MAX_VALUE ? ">" + cap : Integer.toString(n);
    }
}
