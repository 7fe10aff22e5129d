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
 * replays the first failing seed, checks determinism, hunts the five bugs that only faults reveal (the replicated store's two by swarm alone)
 * and runs the ping-pong workload.
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

        // 4. Bugs that only faults reveal.
        boolean faultsOk = true;
        faultsOk &= faultSample("payments (retry charges twice)", FaultSamples.slowNetwork(), FaultSamples::payOnce,
                base, first, 200);
        faultsOk &= faultSample("kv (crash loses an acknowledged write)", dev.parigot.sim.faults.FaultProfile.NONE,
                FaultSamples::acknowledgedWritesSurviveACrash, base, first, 200);
        faultsOk &= faultSample("lease (partition, two leaders)", FaultSamples.partitions(),
                FaultSamples::atMostOneLeader, base, first, 100);
        // The replicated store injects nothing itself: swarm over the default profile finds both bugs.
        SimConfig swarm = base.toBuilder().swarm(true).build();
        faultsOk &= faultSample("rkv under swarm (reply before fsync)", dev.parigot.sim.faults.FaultProfile.defaults(),
                (sim, fixedVariant) -> DurabilitySamples.ackedWritesSurvive(sim, fixedVariant
                        ? DurabilitySamples.Variant.FIXED : DurabilitySamples.Variant.ACK_EARLY), swarm, first, 300);
        faultsOk &= faultSample("rkv under swarm (trusts unsynced data after a restart)",
                dev.parigot.sim.faults.FaultProfile.defaults(),
                (sim, fixedVariant) -> DurabilitySamples.ackedWritesSurvive(sim, fixedVariant
                        ? DurabilitySamples.Variant.FIXED : DurabilitySamples.Variant.TRUST_UNSYNCED), swarm, first,
                300);

        // 5. Ping-pong, once to warm the JIT up, then measured.
        long rounds = 200_000;
        PingPongSample.rounds(Sim.create(base.toBuilder().stepsMax(10_000_000).build()), rounds);
        long t0 = System.nanoTime();
        Sim pingPong = Sim.create(base.toBuilder().stepsMax(10_000_000).build());
        long done = PingPongSample.rounds(pingPong, rounds);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "%nping-pong: %,d rounds, %,d steps in %.2f s of wall-clock time"
                + " (%,.0f steps/s; a short run: the JIT takes seconds to reach full speed, measured rates are in"
                + " docs/benchmarks.md)%n", done, pingPong.steps(), seconds,
                pingPong.steps() / seconds);

        boolean ok = buggy.failures > 0 && buggy.failures < seeds && fixed.failures == 0 && check.deterministic()
                && done == rounds && faultsOk;
        System.out.println(ok ? "\nsamples OK: the bug is found by some seeds, the fix passes every seed"
                : "\nsamples NOT OK");
        if (!ok) {
            System.exit(1);
        }
    }

    /** Runs a fault sample's buggy and fixed variants over {@code seeds} seeds; true if only the buggy one fails. */
    private static boolean faultSample(String name, dev.parigot.sim.faults.FaultProfile faults,
            java.util.function.BiConsumer<Sim, Boolean> scenario, SimConfig base, Seed first, int seeds) {
        int[] failures = new int[2];
        SimFailure example = null;
        for (int variant = 0; variant < 2; variant++) {
            boolean fixedVariant = variant == 1;
            for (int i = 0; i < seeds; i++) {
                Sim sim = DeterminismCheck.runOnce(base.toBuilder().seed(first.plus(i)).faults(faults).build(),
                        w -> scenario.accept(w, fixedVariant));
                if (sim.failure().isPresent()) {
                    failures[variant]++;
                    if (example == null) {
                        example = sim.failure().get();
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n%s: buggy fails %d of %d seeds, fixed fails %d%n", name, failures[0], seeds,
                failures[1]);
        if (example != null) {
            System.out.println("  first failure: seed " + example.seed() + ", " + example.reason());
        }
        return failures[0] > 0 && failures[1] == 0;
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
