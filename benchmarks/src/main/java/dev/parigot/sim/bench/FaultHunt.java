package dev.parigot.sim.bench;

import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.kernel.SimFailure;
import dev.parigot.sim.kernel.SimFailureException;
import dev.parigot.sim.samples.BankSample;
import dev.parigot.sim.samples.DurabilitySamples;
import dev.parigot.sim.samples.FaultSamples;
import dev.parigot.sim.samples.ShopSample;
import dev.parigot.sim.scheduler.Seed;
import dev.parigot.sim.scheduler.Strategies;
import dev.parigot.sim.scheduler.Strategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A whole-run benchmark of bug finding: for every planted bug of the samples, how many seeds a
 * sweep needs until its first failure (median over independent sweeps) under each mode (a
 * strategy, a fault profile and swarm on or off); then every fixed variant over many seeds.
 *
 * <p>A sweep counts seeds until one fails with the planted bug's own words ({@link Bug#signature});
 * seeds that fail otherwise are passed over (and the fixed variants' table tells them apart).
 *
 * <p>Modes: "random" and "PCT 3" run with the bug's own fault profile; "default" runs the random
 * walk with {@link FaultProfile#defaults()}; "swarm" runs the random walk with the defaults as the
 * ceiling and swarm on, which is what {@code @ParigotSimTest(faults = "swarm")} means (see the
 * junit engine's Settings.faultPlan). To add a bug or a mode, add a row to {@link #BUGS} or
 * {@link #MODES}; {@link #FIXED_MODES} names the modes the fixed variants run under.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.parigot.sim.bench.FaultHunt [trials] [fixed seeds] [bug name part] [cap]</pre>
 */
public final class FaultHunt {
    private FaultHunt() {
    }

    /**
     * A planted bug: its scenario (buggy or fixed), the faults it needs to show, and the words of
     * its failure (the check it breaks): a sweep counts only a seed that fails with them as
     * finding the bug; any other failure (a stall when a lossy network drops a call the scenario
     * never retries, say) is tallied apart.
     */
    record Bug(String name, BiConsumer<Sim, Boolean> scenario, FaultProfile faults, String signature) {
        /** {@code signature} is a regular expression found in the failure's reason. */
        boolean foundBy(SimFailure f) {
            return java.util.regex.Pattern.compile(signature).matcher(f.reason()).find();
        }
    }

    /**
     * A way of choosing runs: a strategy, the fault profile for a bug (its own, or a fixed one),
     * and whether each seed draws its own fault subset from that profile.
     */
    record Mode(String name, Supplier<Strategy> strategy, Function<Bug, FaultProfile> faults, boolean swarm) {
    }

    private static final String RKV_CHECKS = "an acknowledged write stays visible|a value once read never disappears";

    static final List<Bug> BUGS = List.of(
            new Bug("bank: lost update (read-modify-write across calls)",
                    (sim, fixed) -> BankSample.concurrentDeposits(sim, fixed ? BankSample.fixedTeller()
                            : BankSample.buggyTeller()), FaultProfile.NONE, "money is conserved"),
            new Bug("payments: retry charges twice", FaultSamples::payOnce, FaultSamples.slowNetwork(),
                    "charged at most once"),
            new Bug("kv: crash loses an acknowledged unsynced write",
                    FaultSamples::acknowledgedWritesSurviveACrash, FaultProfile.NONE,
                    "an acknowledged write survives a crash"),
            new Bug("lease: partition lets two workers lead", FaultSamples::atMostOneLeader,
                    FaultSamples.partitions(), "at most one worker leads"),
            // The replicated store's scenario injects nothing itself: its own profile is the default one.
            new Bug("rkv: reply before fsync (ack before the Sync answered)",
                    (sim, fixed) -> DurabilitySamples.ackedWritesSurvive(sim, fixed
                            ? DurabilitySamples.Variant.FIXED : DurabilitySamples.Variant.ACK_EARLY),
                    FaultProfile.defaults(), RKV_CHECKS),
            new Bug("rkv: trusts unsynced data read after a restart",
                    (sim, fixed) -> DurabilitySamples.ackedWritesSurvive(sim, fixed
                            ? DurabilitySamples.Variant.FIXED : DurabilitySamples.Variant.TRUST_UNSYNCED),
                    FaultProfile.defaults(), RKV_CHECKS),
            // The record shop (samples/shop): five services in three languages, one world.
            new Bug("shop: oversell race (read the stock, write it back)",
                    (sim, fixed) -> ShopSample.lastCopy(sim, fixed ? ShopSample.fixedCheckout()
                            : ShopSample.buggyCheckout(), 3), FaultProfile.NONE,
                    "sold more often than it was in stock"),
            new Bug("shop: a retried payment charged twice",
                    (sim, fixed) -> ShopSample.oneOrder(sim, fixed ? ShopSample.fixedCheckout()
                            : ShopSample.retryBuggyCheckout()), ShopSample.slowReplies(),
                    "charged at most once per order"),
            new Bug("shop: an order lost in a crash after Place answered",
                    (sim, fixed) -> ShopSample.ordersAreKept(sim, ShopSample.fixedCheckout(),
                            ShopSample.orders(fixed ? "fixed" : "ack-early")), ShopSample.crashes(),
                    "kept by every replica"),
            new Bug("shop: a stale replica after a partition heals",
                    (sim, fixed) -> ShopSample.ordersAreKept(sim, ShopSample.fixedCheckout(),
                            ShopSample.orders(fixed ? "fixed" : "stale")), ShopSample.partitions(),
                    "kept by every replica"));

    static final List<Mode> MODES = List.of(
            new Mode("random", Strategies::randomWalk, Bug::faults, false),
            new Mode("PCT 3", () -> Strategies.pct(3, Strategies.PCT_STEPS_DEFAULT), Bug::faults, false),
            new Mode("default", Strategies::randomWalk, bug -> FaultProfile.defaults(), false),
            // As @ParigotSimTest(faults = "swarm"): FaultProfile.defaults() as the ceiling, swarm on.
            new Mode("swarm", Strategies::randomWalk, bug -> FaultProfile.defaults(), true));

    /** The modes (by name) each fixed variant runs under. */
    static final List<String> FIXED_MODES = List.of("random", "swarm");

    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int fixedSeeds = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        String only = args.length > 2 ? args[2] : "";
        int cap = args.length > 3 ? Integer.parseInt(args[3]) : 5_000;
        List<Bug> bugs = BUGS.stream().filter(b -> b.name().contains(only)).toList();
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true); // an exception in main must not leave the JVM hanging on the pool
            return t;
        });
        // What each cell's sweeps failed on first (kind and reason, numbers blanked), for the notes.
        Map<String, Map<String, Integer>> firstFailures = new TreeMap<>();
        long start = System.nanoTime();
        System.out.printf(Locale.ROOT, "Seeds until the first failure: median (min..max) over %d sweeps, each from"
                + " its own first seed, capped at %,d seeds%n%n", trials, cap);
        System.out.printf(Locale.ROOT, "| planted bug | %s |%n", String.join(" | ", MODES.stream().map(Mode::name)
                .toList()));
        System.out.println("|---|" + "---|".repeat(MODES.size()));
        for (Bug bug : bugs) {
            StringBuilder row = new StringBuilder("| " + bug.name() + " |");
            for (Mode mode : MODES) {
                List<Future<Hunt>> sweeps = new ArrayList<>();
                for (int t = 0; t < trials; t++) {
                    Seed first = Seed.of(0x5eedL << 48).plus((long) t << 32);
                    sweeps.add(pool.submit(() -> seedsUntilFailure(bug, mode, first, cap)));
                }
                int[] counts = new int[trials];
                Map<String, Integer> reasons = firstFailures.computeIfAbsent(bug.name() + " / " + mode.name(),
                        k -> new TreeMap<>());
                for (int t = 0; t < trials; t++) {
                    Hunt hunt = sweeps.get(t).get();
                    counts[t] = hunt.seeds();
                    reasons.merge(hunt.failure().map(FaultHunt::gist).orElse("(none within the cap)"), 1,
                            Integer::sum);
                }
                Arrays.sort(counts);
                row.append(String.format(Locale.ROOT, " %s (%s..%s) |", show(median(counts), cap),
                        show(counts[0], cap), show(counts[trials - 1], cap)));
            }
            System.out.println(row);
        }
        System.out.printf(Locale.ROOT, "%nFixed variants, %,d seeds each (modes %s; seeds/s on %d threads):%n%n",
                fixedSeeds, String.join(", ", FIXED_MODES), threads);
        System.out.println("| fixed variant | mode | seeds | failures | of which the planted check | seeds/s |");
        System.out.println("|---|---|---|---|---|---|");
        Map<String, Map<String, Integer>> fixedFailures = new TreeMap<>();
        for (Bug bug : bugs) {
            for (Mode mode : MODES.stream().filter(m -> FIXED_MODES.contains(m.name())).toList()) {
                long t0 = System.nanoTime();
                List<Future<Map<String, Integer>>> parts = new ArrayList<>();
                for (int p = 0; p < threads; p++) {
                    int part = p;
                    parts.add(pool.submit(() -> {
                        Map<String, Integer> failed = new TreeMap<>();
                        for (int i = part; i < fixedSeeds; i += threads) {
                            run(bug, mode, Seed.FIRST.plus(i), true).failure()
                                    .ifPresent(f -> failed.merge((bug.foundBy(f) ? "[the planted check] " : "[other] ")
                                            + gist(f), 1, Integer::sum));
                        }
                        return failed;
                    }));
                }
                int failures = 0;
                int planted = 0;
                Map<String, Integer> reasons = new TreeMap<>();
                for (Future<Map<String, Integer>> f : parts) {
                    for (Map.Entry<String, Integer> e : f.get().entrySet()) {
                        reasons.merge(e.getKey(), e.getValue(), Integer::sum);
                        failures += e.getValue();
                        planted += e.getKey().startsWith("[the planted check]") ? e.getValue() : 0;
                    }
                }
                if (!reasons.isEmpty()) {
                    fixedFailures.put(bug.name() + " / " + mode.name(), reasons);
                }
                double seconds = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "| %s | %s | %,d | %d | %d | %,.0f |%n", bug.name(), mode.name(),
                        fixedSeeds, failures, planted, fixedSeeds / seconds);
            }
        }
        pool.shutdown();
        System.out.printf(Locale.ROOT, "%nFirst failure of each sweep (kind: reason, numbers as #), count of sweeps:%n");
        printReasons(firstFailures);
        System.out.printf(Locale.ROOT, "%nFailures of the fixed variants (kind: reason, numbers as #):%n");
        printReasons(fixedFailures);
        System.out.printf(Locale.ROOT, "%nTotal wall time: %.1f s%n", (System.nanoTime() - start) / 1e9);
    }

    /** The result of one sweep: seeds until the first failure (MAX_VALUE: none) and that failure. */
    record Hunt(int seeds, Optional<SimFailure> failure) {
    }

    /** Seeds until the first failure that is the planted bug (other failures are passed over). */
    static Hunt seedsUntilFailure(Bug bug, Mode mode, Seed first, int cap) {
        for (int i = 0; i < cap; i++) {
            Optional<SimFailure> failure = run(bug, mode, first.plus(i), false).failure();
            if (failure.isPresent() && bug.foundBy(failure.get())) {
                return new Hunt(i + 1, failure);
            }
        }
        return new Hunt(Integer.MAX_VALUE, Optional.empty());
    }

    static Sim run(Bug bug, Mode mode, Seed seed, boolean fixed) {
        SimConfig config = SimConfig.builder().seed(seed).echoLog(false).logLinesKept(5_000)
                .strategy(mode.strategy()).faults(mode.faults().apply(bug)).swarm(mode.swarm()).build();
        // As the junit engine's SeedExecutor: whatever the scenario throws becomes the world's failure
        // (under the default faults a call can fail UNAVAILABLE, and Sim.await throws outside the world).
        Sim sim = Sim.create(config);
        try {
            bug.scenario().accept(sim, fixed);
        } catch (SimFailureException e) {
            // The failure is recorded in the world.
        } catch (RuntimeException | AssertionError e) {
            sim.recordFailure(e);
        }
        return sim;
    }

    private static String gist(SimFailure f) {
        String reason = f.reason().lines().findFirst().orElse("").replaceAll("[0-9]+", "#");
        if (reason.length() > 110) {
            reason = reason.substring(0, 110) + "...";
        }
        return f.kind().name().toLowerCase(Locale.ROOT) + ": " + reason;
    }

    private static void printReasons(Map<String, Map<String, Integer>> byCell) {
        if (byCell.isEmpty()) {
            System.out.println("  (none)");
        }
        byCell.forEach((cell, reasons) -> {
            System.out.println("  " + cell);
            reasons.forEach((reason, n) -> System.out.printf(Locale.ROOT, "    %5d  %s%n", n, reason));
        });
    }

    private static int median(int[] sorted) {
        return sorted[sorted.length / 2];
    }

    private static String show(int n, int cap) {
        return n == Integer.MAX_VALUE ? ">" + cap : Integer.toString(n);
    }
}
