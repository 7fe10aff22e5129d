package dev.parigot.sim.samples;

import dev.parigot.sim.kernel.DeterminismCheck;
import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.kernel.SimFailure;
import dev.parigot.sim.scheduler.Seed;
import java.util.Locale;

/**
 * The sample simulation suite as a program: sweeps seeds over the buggy and the fixed bank,
 * replays the first failing seed, checks determinism and runs the ping-pong workload.
 *
 * <pre>mvn -B -q install -DskipTests && mvn -B -q -pl samples exec:java [-Dparigot.seeds=1000]</pre>
 */
public final class RunSamples {
    private RunSamples() {
    }

    public static void main(String[] args) {
        int seeds = Integer.getInteger("parigot.seeds", 1000);
        Seed first = Seed.parse(System.getProperty("parigot.seed.first", Seed.FIRST.toString()));
        SimConfig base = SimConfig.builder().echoLog(false).build();
        System.out.println("Parigot Sim samples: " + seeds + " seeds from " + first + ", strategy "
                + base.strategyName());

        // 1. The buggy teller: some interleavings lose a deposit.
        Sweep buggy = sweep(base, first, seeds, BankSample.buggyTeller());
        System.out.printf(Locale.ROOT, "%nbank (buggy teller): %d of %d seeds fail (%.0f seeds/s)%n",
                buggy.failures, seeds, buggy.seedsPerSecond());
        if (buggy.firstFailure != null) {
            System.out.println(indent(buggy.firstFailure.describe()));
            SimConfig replay = base.withSeed(buggy.firstFailure.seed());
            Sim again = DeterminismCheck.runOnce(replay, sim -> BankSample.concurrentDeposits(sim,
                    BankSample.buggyTeller()));
            SimFailure second = again.failure().orElse(null);
            boolean same = second != null && second.reason().equals(buggy.firstFailure.reason())
                    && second.traceHash() == buggy.firstFailure.traceHash();
            System.out.println("  replaying " + buggy.firstFailure.seed() + ": "
                    + (same ? "the same failure, trace hash " + hex(second.traceHash()) : "DIFFERENT: " + second));
        }

        // 2. The fixed teller: every seed passes.
        Sweep fixed = sweep(base, first, seeds, BankSample.fixedTeller());
        System.out.printf(Locale.ROOT, "%nbank (fixed teller): %d of %d seeds fail (%.0f seeds/s, %,d steps)%n",
                fixed.failures, seeds, fixed.seedsPerSecond(), fixed.steps);

        // 3. The kernel checks itself.
        DeterminismCheck.Result check = DeterminismCheck.check(base.withSeed(first),
                sim -> BankSample.concurrentDeposits(sim, BankSample.buggyTeller()));
        System.out.println("\ndeterminism, seed " + first + ": " + check.describe());

        // 4. Ping-pong.
        long rounds = 200_000;
        long t0 = System.nanoTime();
        Sim pingPong = Sim.create(base.toBuilder().stepsMax(10_000_000).build());
        long done = PingPongSample.rounds(pingPong, rounds);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%nping-pong: %,d rounds, %,d steps in %.2f s of wall-clock time"
                + " (%,.0f steps/s, including boot and JIT warm-up)%n", done, pingPong.steps(), seconds,
                pingPong.steps() / seconds);

        boolean ok = buggy.failures > 0 && buggy.failures < seeds && fixed.failures == 0 && check.deterministic()
                && done == rounds;
        System.out.println(ok ? "\nsamples OK: the bug is found by some seeds, the fix passes every seed"
                : "\nsamples NOT OK");
        if (!ok) {
            System.exit(1);
        }
    }

    private static final class Sweep {
        int failures;
        long steps;
        double seconds;
        SimFailure firstFailure;
        int seeds;

        double seedsPerSecond() {
            return seeds / seconds;
        }
    }

    private static Sweep sweep(SimConfig base, Seed first, int seeds, GuestModule teller) {
        Sweep s = new Sweep();
        s.seeds = seeds;
        long t0 = System.nanoTime();
        for (int i = 0; i < seeds; i++) {
            Sim sim = DeterminismCheck.runOnce(base.withSeed(first.plus(i)),
                    w -> BankSample.concurrentDeposits(w, teller));
            s.steps += sim.steps();
            if (sim.failure().isPresent()) {
                s.failures++;
                if (s.firstFailure == null) {
                    s.firstFailure = sim.failure().get();
                }
            }
        }
        s.seconds = (System.nanoTime() - t0) / 1e9;
        return s;
    }

    private static String hex(long v) {
        return String.format(Locale.ROOT, "%016x", v);
    }

    private static String indent(String text) {
        return "  " + text.strip().replace("\n", "\n  ");
    }
}
