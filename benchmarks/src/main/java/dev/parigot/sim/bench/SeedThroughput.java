package dev.parigot.sim.bench;

import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.samples.BankSample;
import dev.parigot.sim.scheduler.Seed;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * Seeds per second of the bank sample (two C services, three clients, ~14 steps per seed)
 * through the JUnit Platform launcher and the parigot-sim engine, as Surefire runs a sweep:
 * boot images on and off, on 1 and 2 threads, the four configurations alternating round by
 * round so that machine drift hits all of them alike (the engine closes every passing seed's
 * world, so with images on its nodes reuse the instances of the seed before). Then, on one thread
 * in a direct loop, the bytes each seed allocates (the thread's allocation counter) and the seeds
 * per second: images on with each world closed, images on with worlds left open (every node
 * builds its instance), and images off.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.parigot.sim.bench.SeedThroughput [seeds] [rounds]</pre>
 */
public final class SeedThroughput {
    private SeedThroughput() {
    }

    record Setup(String snapshots, int threads) {
        String label() {
            return "images " + snapshots + ", " + threads + (threads == 1 ? " thread " : " threads");
        }
    }

    public static void main(String[] args) throws IOException {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Launcher launcher = LauncherFactory.create();
        List<Setup> setups = List.of(new Setup("on", 1), new Setup("off", 1), new Setup("on", 2),
                new Setup("off", 2));
        Map<Setup, List<Double>> rates = new LinkedHashMap<>();
        setups.forEach(s -> rates.put(s, new ArrayList<>()));
        // Warm-up: every configuration once, on a tenth of the seeds.
        for (Setup s : setups) {
            sweep(launcher, s, Math.max(1000, seeds / 10));
        }
        for (int round = 0; round < rounds; round++) {
            for (Setup s : setups) {
                double rate = sweep(launcher, s, seeds);
                rates.get(s).add(rate);
                System.out.printf(Locale.ROOT, "round %d, %-24s %,9.0f seeds/s%n", round + 1, s.label(), rate);
            }
        }
        System.out.printf(Locale.ROOT, "%nbank sample through the engine, %,d seeds per run, %d rounds (best of each):%n",
                seeds, rounds);
        Map<Setup, Double> best = new LinkedHashMap<>();
        rates.forEach((s, r) -> best.put(s, r.stream().mapToDouble(Double::doubleValue).max().orElse(0)));
        best.forEach((s, r) -> System.out.printf(Locale.ROOT, "  %-24s %,9.0f seeds/s%n", s.label(), r));
        double on1 = best.get(setups.get(0));
        double off1 = best.get(setups.get(1));
        double on2 = best.get(setups.get(2));
        double off2 = best.get(setups.get(3));
        System.out.printf(Locale.ROOT, "  images on / off, 1 thread:  %.2fx%n", on1 / off1);
        System.out.printf(Locale.ROOT, "  images on / off, 2 threads: %.2fx%n", on2 / off2);
        System.out.printf(Locale.ROOT, "  2 threads / 1 thread, images on:  %.2fx%n", on2 / on1);
        System.out.printf(Locale.ROOT, "  2 threads / 1 thread, images off: %.2fx%n", off2 / off1);
        for (int round = 0; round < rounds; round++) {
            System.out.printf(Locale.ROOT, "  round %d: on/off 1 thread %.2fx, 2/1 threads (on) %.2fx%n", round + 1,
                    rates.get(setups.get(0)).get(round) / rates.get(setups.get(1)).get(round),
                    rates.get(setups.get(2)).get(round) / rates.get(setups.get(0)).get(round));
        }
        allocation(Math.min(seeds, 20_000));
    }

    /** Runs one sweep of {@code seeds} seeds through the launcher; returns seeds per second. */
    static double sweep(Launcher launcher, Setup setup, int seeds) throws IOException {
        long nanos = EngineSweep.nanos(launcher, seeds, Map.of("parigot.parallelism",
                Integer.toString(setup.threads()), "parigot.snapshots", setup.snapshots()));
        return seeds / (nanos / 1e9);
    }

    /** A direct loop's configuration: images on or off, and whether each world is closed after its seed. */
    record Loop(String label, boolean snapshots, boolean close) {
    }

    /** Bytes allocated per seed, collections and seeds per second, one thread, direct loop. */
    static void allocation(int seeds) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        GuestModule teller = BankSample.fixedTeller();
        System.out.printf(Locale.ROOT, "%nallocation, direct loop on one thread, %,d seeds:%n", seeds);
        List<Loop> loops = List.of(new Loop("images on, closed", true, true),
                new Loop("images on, left open", true, false), new Loop("images off, closed", false, true));
        for (int round = 0; round < 3; round++) {
            for (Loop loop : loops) {
                long gcs = gcCount();
                long before = threads.getCurrentThreadAllocatedBytes();
                long cpu = threads.getCurrentThreadCpuTime();
                for (int i = 0; i < seeds; i++) {
                    Sim sim = Sim.create(SimConfig.builder().seed(Seed.FIRST.plus(i)).echoLog(false)
                            .snapshots(loop.snapshots()).build());
                    BankSample.concurrentDeposits(sim, teller);
                    if (loop.close()) {
                        sim.close();
                    }
                }
                long bytes = threads.getCurrentThreadAllocatedBytes() - before;
                double seconds = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
                if (round > 0) {
                    System.out.printf(Locale.ROOT, "  round %d, %-22s %,10.0f bytes per seed, %,d collections,"
                            + " %,9.0f seeds/s (thread CPU)%n", round, loop.label(), (double) bytes / seeds,
                            gcCount() - gcs, seeds / seconds);
                }
            }
        }
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }
}
