package dev.parigot.sim.bench;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@link StepRate} for two or more builds in one JVM: each benchmarks jar is loaded in its own
 * class loader, and every round runs, for each build in turn (the order rotates from round to
 * round), its kernel ping-pong and then its raw Chicory loop for 0.4 s each, timed by this
 * thread's CPU time. Prints each build's kernel/raw ratio and its kernel rate against the first
 * build's, both measured in the same rounds.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.parigot.sim.bench.StepRateCompare 16 before.jar after.jar</pre>
 */
public final class StepRateCompare {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final long ROUND_NANOS = 400_000_000L;
    private static final int WARMUP_ROUNDS = 5;

    private StepRateCompare() {
    }

    public static void main(String[] args) throws ReflectiveOperationException, MalformedURLException {
        if (args.length < 3) {
            System.err.println("usage: StepRateCompare <rounds> <benchmarks.jar> <benchmarks.jar>...");
            System.exit(2);
        }
        int rounds = Integer.parseInt(args[0]);
        int builds = args.length - 1;
        Class<?>[] kernel = new Class<?>[builds];
        Class<?>[] raw = new Class<?>[builds];
        for (int b = 0; b < builds; b++) {
            URLClassLoader loader = new URLClassLoader(new URL[] {new File(args[b + 1]).toURI().toURL()},
                    ClassLoader.getPlatformClassLoader());
            kernel[b] = loader.loadClass(KernelBenchmark.class.getName());
            raw[b] = loader.loadClass(RawChicoryBenchmark.class.getName());
        }
        double[][] ratio = new double[builds][rounds];
        double[][] againstFirst = new double[builds][rounds];
        for (int round = -WARMUP_ROUNDS; round < rounds; round++) {
            double[] kernelRate = new double[builds];
            for (int turn = 0; turn < builds; turn++) {
                int b = Math.floorMod(turn + round, builds);
                kernelRate[b] = rate(kernel[b], "newWorld", "pingPongSteps", 2L * KernelBenchmark.ROUNDS);
                double rawRate = rate(raw[b], "instantiate", "exportCalls", 2L * RawChicoryBenchmark.ROUNDS);
                if (round >= 0) {
                    ratio[b][round] = kernelRate[b] / rawRate;
                }
            }
            for (int b = 0; round >= 0 && b < builds; b++) {
                againstFirst[b][round] = kernelRate[b] / kernelRate[0];
            }
        }
        System.out.printf(Locale.ROOT, "ping-pong, %d rounds, builds in rotating order, by thread CPU time,"
                + " median (min..max):%n", rounds);
        for (int b = 0; b < builds; b++) {
            Arrays.sort(ratio[b]);
            Arrays.sort(againstFirst[b]);
            System.out.printf(Locale.ROOT, "  %s: kernel / raw %.2f (%.2f..%.2f), kernel / first build's kernel"
                    + " %.2f (%.2f..%.2f)%n", args[b + 1], ratio[b][rounds / 2], ratio[b][0], ratio[b][rounds - 1],
                    againstFirst[b][rounds / 2], againstFirst[b][0], againstFirst[b][rounds - 1]);
        }
    }

    /** Steps (or export calls) per second of this thread's CPU time, over one round of a fresh instance. */
    private static double rate(Class<?> benchmark, String setup, String operation, long opsPerCall)
            throws ReflectiveOperationException {
        Constructor<?> constructor = benchmark.getDeclaredConstructor();
        constructor.setAccessible(true);
        Object instance = constructor.newInstance();
        benchmark.getMethod(setup).invoke(instance);
        Method op = benchmark.getMethod(operation);
        long end = System.nanoTime() + ROUND_NANOS;
        long ops = 0;
        long cpu0 = CPU.getCurrentThreadCpuTime();
        while (System.nanoTime() < end) {
            op.invoke(instance);
            ops += opsPerCall;
        }
        return ops / ((CPU.getCurrentThreadCpuTime() - cpu0) / 1e9);
    }
}
