package dev.parigot.sim.bench;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.Locale;

/**
 * Bank sample seeds per second of two or more builds in one JVM, boot images on and off: each
 * benchmarks jar is loaded in its own class loader (with this jar behind it, so that a build
 * older than {@link SeedLoop} runs it too, over its own kernel), and every round runs, for each
 * build in turn (the order rotates from round to round), 0.4 s of seeds with images on and
 * 0.4 s with images off, timed by this thread's CPU time. Prints each build's images on/off
 * ratio and its rates against the first build's, all measured in the same rounds. Rounds swing
 * on a loaded machine even by CPU time, so use many rounds and read the medians.
 *
 * <pre>java -XX:-DontCompileHugeMethods -cp benchmarks/target/benchmarks.jar dev.parigot.sim.bench.SeedRateCompare 20 before.jar after.jar</pre>
 */
public final class SeedRateCompare {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final long ROUND_NANOS = 400_000_000L;
    /** Rounds run before measuring: guest code is large, and the JIT needs a while for every build. */
    private static final int WARMUP_ROUNDS = Integer.getInteger("warmup", 10);
    private static final int SEEDS_PER_CALL = 50;

    private SeedRateCompare() {
    }

    public static void main(String[] args) throws ReflectiveOperationException, MalformedURLException,
            URISyntaxException {
        if (args.length < 3) {
            System.err.println("usage: SeedRateCompare <rounds> <benchmarks.jar> <benchmarks.jar>...");
            System.exit(2);
        }
        int rounds = Integer.parseInt(args[0]);
        int builds = args.length - 1;
        URL self = SeedRateCompare.class.getProtectionDomain().getCodeSource().getLocation();
        Object[] loops = new Object[builds];
        Method[] run = new Method[builds];
        for (int b = 0; b < builds; b++) {
            URLClassLoader loader = new URLClassLoader(new URL[] {new File(args[b + 1]).toURI().toURL(), self},
                    ClassLoader.getPlatformClassLoader());
            Class<?> loop = loader.loadClass(SeedLoop.class.getName());
            loops[b] = loop.getConstructor().newInstance();
            run[b] = loop.getMethod("run", int.class, boolean.class);
        }
        double[][] onOff = new double[builds][rounds];
        double[][] onAgainstFirst = new double[builds][rounds];
        double[][] offAgainstFirst = new double[builds][rounds];
        double[][] onRate = new double[builds][rounds];
        for (int round = -WARMUP_ROUNDS; round < rounds; round++) {
            double[] on = new double[builds];
            double[] off = new double[builds];
            for (int turn = 0; turn < builds; turn++) {
                int b = Math.floorMod(turn + round, builds);
                on[b] = rate(loops[b], run[b], true);
                off[b] = rate(loops[b], run[b], false);
            }
            for (int b = 0; round >= 0 && b < builds; b++) {
                onOff[b][round] = on[b] / off[b];
                onAgainstFirst[b][round] = on[b] / on[0];
                offAgainstFirst[b][round] = off[b] / off[0];
                onRate[b][round] = on[b];
            }
        }
        System.out.printf(Locale.ROOT, "bank seeds, direct loop, %d rounds, builds in rotating order, by thread CPU"
                + " time, median (min..max):%n", rounds);
        for (int b = 0; b < builds; b++) {
            System.out.printf(Locale.ROOT, "  %s: images on %s seeds/s, on / off %s, on / first build's on %s,"
                    + " off / first build's off %s%n", args[b + 1], median(onRate[b], "%,.0f"), median(onOff[b], "%.2f"),
                    median(onAgainstFirst[b], "%.2f"), median(offAgainstFirst[b], "%.2f"));
        }
    }

    /** "median (min..max)" of {@code values}, each in {@code format}. */
    static String median(double[] values, String format) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return String.format(Locale.ROOT, format + " (" + format + ".." + format + ")", sorted[n / 2], sorted[0],
                sorted[n - 1]);
    }

    /** Seeds per second of this thread's CPU time, over one round. */
    private static double rate(Object loop, Method run, boolean snapshots) throws ReflectiveOperationException {
        long end = System.nanoTime() + ROUND_NANOS;
        long seeds = 0;
        long cpu0 = CPU.getCurrentThreadCpuTime();
        while (System.nanoTime() < end) {
            run.invoke(loop, SEEDS_PER_CALL, snapshots);
            seeds += SEEDS_PER_CALL;
        }
        return seeds / ((CPU.getCurrentThreadCpuTime() - cpu0) / 1e9);
    }
}
