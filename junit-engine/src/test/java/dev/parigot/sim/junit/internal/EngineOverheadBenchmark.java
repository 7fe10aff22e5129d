package dev.parigot.sim.junit.internal;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.kernel.SimFailureException;
import dev.parigot.sim.scheduler.Seed;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * What the engine costs on top of the worlds it runs: the same scenario for N seeds (a) in a
 * plain loop over {@link Sim} worlds and (b) through the engine (EngineTestKit, parallelism 1,
 * a fresh reports directory per round, made and removed outside the timing), several rounds each after a warm-up. Not a test: run
 *
 * <pre>
 * mvn -q -pl junit-engine test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.parigot.sim.junit.internal.EngineOverheadBenchmark -Dexec.args=2000
 * </pre>
 *
 * <p>Scenarios: one depositor (every seed passes: pure engine overhead) and the lost-update
 * race (most seeds fail), the latter with {@code parigot.determinism=off} (the engine runs each
 * seed once, like the loop) and with the default, which re-runs each failing seed to confirm it.
 */
public final class EngineOverheadBenchmark {
    /** Warm-up rounds run at least this many seeds on each side, so that the JIT has settled. */
    static final int WARMUP_SEEDS_MIN = 100_000;
    static final int WARMUP_ROUNDS_MIN = 3;
    static final int MEASURED_ROUNDS = 7;

    private EngineOverheadBenchmark() {
    }

    public static void main(String[] args) throws IOException {
        int seeds = args.length > 0 ? Integer.parseInt(args[0].replace("_", "")) : 2000;
        int warmupRounds = Math.max(WARMUP_ROUNDS_MIN, (WARMUP_SEEDS_MIN + seeds - 1) / seeds);
        System.out.printf(Locale.ROOT, "engine overhead, %,d seeds per round, %d warm-up and %d measured rounds,"
                + " parallelism 1, median (min) per round%n", seeds, warmupRounds, MEASURED_ROUNDS);
        compare("one depositor, every seed passes", seeds, warmupRounds, Fixtures.OneDepositor.class,
                sim -> LedgerWorld.deposits(sim, 1), "failures");
        compare("lost update, determinism=off", seeds, warmupRounds, Fixtures.LostUpdate.class,
                LedgerWorld::lostUpdate, "off");
        compare("lost update, determinism=failures (default)", seeds, warmupRounds, Fixtures.LostUpdate.class,
                LedgerWorld::lostUpdate, "failures");
        fixedCost(warmupRounds);
    }

    private static void compare(String name, int seeds, int warmupRounds, Class<?> fixture, Consumer<Sim> scenario,
            String determinism) throws IOException {
        long[] direct = new long[MEASURED_ROUNDS];
        long[] engine = new long[MEASURED_ROUNDS];
        int failing = 0;
        for (int round = -warmupRounds; round < MEASURED_ROUNDS; round++) {
            // Interleaved, so that drift in the machine's speed hits both sides alike.
            long started = System.nanoTime();
            failing = directLoop(seeds, scenario);
            long directNanos = System.nanoTime() - started;
            Path dir = Files.createTempDirectory("parigot-overhead");
            started = System.nanoTime();
            throughEngine(seeds, fixture, determinism, dir);
            long engineNanos = System.nanoTime() - started;
            delete(dir);
            if (round >= 0) {
                direct[round] = directNanos;
                engine[round] = engineNanos;
            }
        }
        double directMedian = median(direct);
        double engineMedian = median(engine);
        System.out.printf(Locale.ROOT, "%-45s (%,d of %,d seeds fail)%n", name, failing, seeds);
        System.out.printf(Locale.ROOT, "  direct loop: %8.1f ms (min %8.1f ms), %6.1f µs/seed%n", directMedian / 1e6,
                min(direct) / 1e6, directMedian / 1e3 / seeds);
        System.out.printf(Locale.ROOT, "  engine:      %8.1f ms (min %8.1f ms), %6.1f µs/seed%n", engineMedian / 1e6,
                min(engine) / 1e6, engineMedian / 1e3 / seeds);
        System.out.printf(Locale.ROOT, "  overhead:    %+8.1f %% (medians), %+6.1f µs/seed; %+.1f %% (mins)%n",
                100 * (engineMedian - directMedian) / directMedian, (engineMedian - directMedian) / 1e3 / seeds,
                100.0 * (min(engine) - min(direct)) / min(direct));
    }

    /** What one engine run costs whatever its seeds (discovery, launcher, plan, summary files): a 1-seed run. */
    private static void fixedCost(int warmupRounds) throws IOException {
        long[] engine = new long[MEASURED_ROUNDS * 3];
        for (int round = -warmupRounds * 10; round < engine.length; round++) {
            Path dir = Files.createTempDirectory("parigot-overhead");
            long started = System.nanoTime();
            throughEngine(1, Fixtures.OneDepositor.class, "failures", dir);
            long engineNanos = System.nanoTime() - started;
            delete(dir);
            if (round >= 0) {
                engine[round] = engineNanos;
            }
        }
        System.out.printf(Locale.ROOT, "fixed cost of one engine run (1 seed): %.2f ms (min %.2f ms)%n",
                median(engine) / 1e6, min(engine) / 1e6);
    }

    /** The scenario in a plain loop: a world per seed, configured as the engine configures it. */
    static int directLoop(int seeds, Consumer<Sim> scenario) {
        int failing = 0;
        for (int i = 0; i < seeds; i++) {
            Sim sim = Sim.create(SimConfig.builder().seed(Seed.FIRST.plus(i)).strategy("mix").echoLog(false)
                    .build());
            try {
                scenario.accept(sim);
            } catch (SimFailureException e) {
                failing++;
            }
        }
        return failing;
    }

    /** The scenario through the engine, its failure memory and summaries in {@code dir}. */
    static EngineExecutionResults throughEngine(int seeds, Class<?> fixture, String determinism, Path dir) {
        PrintStream out = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try {
            return EngineTestKit.engine(ParigotSimEngine.ID)
                    .enableImplicitConfigurationParameters(false)
                    .configurationParameter(Settings.SEEDS, Integer.toString(seeds))
                    .configurationParameter(Settings.PARALLELISM, "1")
                    .configurationParameter(Settings.DETERMINISM, determinism)
                    .configurationParameter(Settings.PROGRESS, "0")
                    .configurationParameter(Settings.REPORTS, dir.resolve("reports").toString())
                    .configurationParameter(Settings.REGRESSIONS, dir.resolve("regressions.txt").toString())
                    .selectors(selectClass(fixture))
                    .execute();
        } finally {
            System.setOut(out);
        }
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    private static long min(long[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
