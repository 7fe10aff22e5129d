package dev.parigot.sim.bench;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.samples.BankSample;
import dev.parigot.sim.scheduler.Seed;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

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

    /** The test the engine runs: the fixed Teller, so every seed passes and nothing is re-run. */
    public static final class BankSeeds {
        static final GuestModule TELLER = BankSample.fixedTeller();

        @ParigotSimTest(seeds = 1000)
        void moneyIsConserved(Sim sim) {
            BankSample.concurrentDeposits(sim, TELLER);
        }
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
            Path dir = Files.createTempDirectory("parigot-overhead");
            LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                    .selectors(selectClass(BankSeeds.class))
                    .configurationParameter("parigot.seeds", Integer.toString(seeds))
                    .configurationParameter("parigot.parallelism", "1")
                    .configurationParameter("parigot.progress", "0")
                    .configurationParameter("parigot.reports", dir.resolve("reports").toString())
                    .configurationParameter("parigot.regressions", dir.resolve("none.txt").toString())
                    .build();
            SummaryGeneratingListener summary = new SummaryGeneratingListener();
            PrintStream out = System.out;
            System.setOut(new PrintStream(OutputStream.nullOutputStream()));
            long t2 = System.nanoTime();
            try {
                launcher.execute(request, summary);
            } finally {
                System.setOut(out);
            }
            long t3 = System.nanoTime();
            if (summary.getSummary().getTotalFailureCount() != 0 || summary.getSummary().getTestsSucceededCount() != 1) {
                throw new IllegalStateException("the engine run did not pass: " + summary.getSummary().getFailures());
            }
            if (round >= 0) {
                direct[round] = t1 - t0;
                engine[round] = t3 - t2;
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
