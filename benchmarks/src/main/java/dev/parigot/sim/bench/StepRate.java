package dev.parigot.sim.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * Kernel steps per second against raw Chicory export calls, measured alternately in one JVM
 * (round by round, so that the machine's drift hits both alike): the ping-pong workload of
 * {@link KernelBenchmark} and {@link RawChicoryBenchmark}. Prints the median rates and their ratio,
 * by the wall clock and by the thread's CPU time (steadier on a shared machine).
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.parigot.sim.bench.StepRate [rounds]</pre>
 */
public final class StepRate {
    private StepRate() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        double[][] kernel = new double[2][rounds];
        double[][] raw = new double[2][rounds];
        double[][] ratio = new double[2][rounds];
        for (int round = -10; round < rounds; round++) {
            KernelBenchmark k = new KernelBenchmark();
            k.newWorld();
            RawChicoryBenchmark r = new RawChicoryBenchmark();
            r.instantiate();
            double[] kr = rate(() -> k.pingPongSteps(), 2L * KernelBenchmark.ROUNDS);
            double[] rr = rate(() -> r.exportCalls(), 2L * RawChicoryBenchmark.ROUNDS);
            for (int clock = 0; round >= 0 && clock < 2; clock++) {
                kernel[clock][round] = kr[clock];
                raw[clock][round] = rr[clock];
                ratio[clock][round] = kr[clock] / rr[clock];
            }
        }
        System.out.printf(Locale.ROOT, "ping-pong, %d alternating rounds of 1 s each, median (min..max):%n", rounds);
        String[] clocks = {"wall-clock", "thread CPU time"};
        for (int clock = 0; clock < 2; clock++) {
            Arrays.sort(kernel[clock]);
            Arrays.sort(raw[clock]);
            Arrays.sort(ratio[clock]);
            System.out.printf(Locale.ROOT, " by %s:%n", clocks[clock]);
            print("kernel steps/s:       ", kernel[clock], "%,12.0f (%,.0f..%,.0f)");
            print("raw export calls/s:   ", raw[clock], "%,12.0f (%,.0f..%,.0f)");
            print("kernel / raw, per round:", ratio[clock], "%.2f (%.2f..%.2f)");
        }
    }

    private static void print(String label, double[] sorted, String format) {
        int n = sorted.length;
        System.out.printf(Locale.ROOT, "  %s " + format + "%n", label, sorted[n / 2], sorted[0], sorted[n - 1]);
    }

    /**
     * Operations per second over one second of wall-clock time, by the wall clock and by this
     * thread's CPU time (which leaves out time the machine gave to other processes).
     */
    private static double[] rate(Runnable op, long opsPerCall) {
        long end = System.nanoTime() + 1_000_000_000L;
        long ops = 0;
        long t0 = System.nanoTime();
        long cpu0 = CPU.getCurrentThreadCpuTime();
        while (System.nanoTime() < end) {
            op.run();
            ops += opsPerCall;
        }
        double cpu = (CPU.getCurrentThreadCpuTime() - cpu0) / 1e9;
        return new double[] {ops / ((System.nanoTime() - t0) / 1e9), ops / cpu};
    }

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
}
