package dev.parigot.sim.bench;

import java.util.Arrays;
import java.util.Locale;

/**
 * Kernel steps per second against raw Chicory export calls, measured alternately in one JVM
 * (round by round, so that the machine's drift hits both alike): the ping-pong workload of
 * {@link KernelBenchmark} and {@link RawChicoryBenchmark}. Prints the median rates and their ratio.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.parigot.sim.bench.StepRate [rounds]</pre>
 */
public final class StepRate {
    private StepRate() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        double[] kernel = new double[rounds];
        double[] raw = new double[rounds];
        double[] ratio = new double[rounds];
        for (int round = -10; round < rounds; round++) {
            KernelBenchmark k = new KernelBenchmark();
            k.newWorld();
            RawChicoryBenchmark r = new RawChicoryBenchmark();
            r.instantiate();
            double kr = rate(() -> k.pingPongSteps(), 2L * KernelBenchmark.ROUNDS);
            double rr = rate(() -> r.exportCalls(), 2L * RawChicoryBenchmark.ROUNDS);
            if (round >= 0) {
                kernel[round] = kr;
                raw[round] = rr;
                ratio[round] = kr / rr;
            }
        }
        Arrays.sort(kernel);
        Arrays.sort(raw);
        Arrays.sort(ratio);
        System.out.printf(Locale.ROOT, "ping-pong, %d alternating rounds of 1 s each, median (min..max):%n", rounds);
        System.out.printf(Locale.ROOT, "  kernel steps/s:        %,12.0f (%,.0f..%,.0f)%n", kernel[rounds / 2], kernel[0],
                kernel[rounds - 1]);
        System.out.printf(Locale.ROOT, "  raw export calls/s:    %,12.0f (%,.0f..%,.0f)%n", raw[rounds / 2], raw[0],
                raw[rounds - 1]);
        System.out.printf(Locale.ROOT, "  kernel / raw, per round: %.2f (%.2f..%.2f)%n", ratio[rounds / 2], ratio[0],
                ratio[rounds - 1]);
    }

    private static double rate(Runnable op, long opsPerCall) {
        long end = System.nanoTime() + 1_000_000_000L;
        long ops = 0;
        long t0 = System.nanoTime();
        while (System.nanoTime() < end) {
            op.run();
            ops += opsPerCall;
        }
        return ops / ((System.nanoTime() - t0) / 1e9);
    }
}
