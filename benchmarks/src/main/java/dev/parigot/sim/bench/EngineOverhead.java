package dev.parigot.sim.bench;

import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.samples.BankSample;
import dev.parigot.sim.scheduler.Seed;
import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherFactory;

/**
 * The engine's cost per seed on a realistic workload: the bank sample (two C services, three
 * clients, about 14 steps per seed), N seeds (a) driven directly in a loop and (b) through the
 * JUnit Platform launcher and the parigot-sim engine, as Surefire runs it, one thread each,
 * rounds interleaved after a warm-up.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.parigot.sim.bench.EngineOverhead [seeds]</pre>
 */
public final class EngineOverhead {
    static final int ROUNDS = 7;

    private EngineOverhead() {
    }

    public static void main(String[] args) throws IOException {
        int seeds = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        GuestModule teller = BankSample.fixedTeller();
        Launcher launcher = LauncherFactory.create();
        long[] direct = new long[ROUNDS];
        long[] engine = new long[ROUNDS];
        for (int round = -3; round < ROUNDS; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < seeds; i++) {
                Sim sim = Sim.create(SimConfig.builder().seed(Seed.FIRST.plus(i)).strategy("mix").echoLog(false)
                        .build());
                BankSample.concurrentDeposits(sim, teller);
            }
            long t1 = System.nanoTime();
            long engineNanos = EngineSweep.nanos(launcher, seeds, Map.of("parigot.parallelism", "1"));
            if (round >= 0) {
                direct[round] = t1 - t0;
                engine[round] = engineNanos;
            }
        }
        Arrays.sort(direct);
        Arrays.sort(engine);
        double d = direct[ROUNDS / 2];
        double e = engine[ROUNDS / 2];
        System.out.printf(Locale.ROOT, "bank sample, %,d seeds per round, %d rounds, median (min):%n", seeds, ROUNDS);
        System.out.printf(Locale.ROOT, "  direct loop: %8.1f ms (%8.1f), %6.1f µs/seed%n", d / 1e6, direct[0] / 1e6,
                d / 1e3 / seeds);
        System.out.printf(Locale.ROOT, "  engine:      %8.1f ms (%8.1f), %6.1f µs/seed%n", e / 1e6, engine[0] / 1e6,
                e / 1e3 / seeds);
        System.out.printf(Locale.ROOT, "  overhead:    %+.1f %% by medians, %+.1f %% by mins%n", 100 * (e - d) / d,
                100.0 * (engine[0] - direct[0]) / direct[0]);
    }
}
