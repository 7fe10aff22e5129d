package dev.parigot.sim.junit.internal;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.scheduler.Seed;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Test classes for the engine to run, shared by several tests. Nested and without a Test suffix
 * so that Surefire never runs them itself; tests select them through {@link EngineRun}.
 */
final class Fixtures {
    private Fixtures() {
    }

    /** Two clients race a read-modify-write on the ledger: some seeds lose a deposit, others do not. */
    static class LostUpdate {
        @ParigotSimTest(seeds = 40)
        void depositsAreNotLost(Sim sim) {
            LedgerWorld.lostUpdate(sim);
        }
    }

    /** A client that writes one log line per seed: for where the worlds' logs go. */
    static class LogsALine {
        @ParigotSimTest(seeds = 5)
        void logs(Sim sim) {
            sim.client("talker").log(dev.parigot.sim.kernel.LogLine.Level.INFO, "hello from " + sim.seed());
            sim.run();
        }
    }

    /** One client, nothing to race: every seed passes. */
    static class OneDepositor {
        @ParigotSimTest(seeds = 25)
        void balanceIsTheDeposit(Sim sim) {
            LedgerWorld.deposits(sim, 1);
        }
    }

    /** Fails exactly the seeds in {@link #FAILING}; records every seed it runs, in order. */
    static class FailsOnListedSeeds {
        static final Set<Seed> FAILING = ConcurrentHashMap.newKeySet();
        static final Queue<Seed> RUN = new ConcurrentLinkedQueue<>();

        static void reset() {
            FAILING.clear();
            RUN.clear();
        }

        static List<Seed> run() {
            return List.copyOf(RUN);
        }

        @ParigotSimTest(seeds = 5)
        void failsWhenListed(Sim sim, Seed seed) {
            RUN.add(seed);
            LedgerWorld.deposits(sim, 1);
            if (FAILING.contains(seed)) {
                throw new AssertionError("seed " + seed + " is listed to fail");
            }
        }
    }

    /**
     * Fails only under faults, and only when the test parameter {@code counter.increments} asks
     * for increments (none by default): a replay that drops either passes.
     */
    static class CountsUnderFaults {
        @ParigotSimTest(seeds = 30)
        void everyAcknowledgedIncrementCountsOnce(Sim sim) {
            LedgerWorld.increments(sim, Integer.parseInt(sim.parameter("counter.increments", "0")));
        }
    }

    /** As {@link CountsUnderFaults}, with the faults, the strategy and the parameter in the annotation. */
    static class AnnotatedFaults {
        @ParigotSimTest(seeds = 30, strategy = "pct:3", faults = "swarm", parameters = "counter.increments=40")
        void everyAcknowledgedIncrementCountsOnce(Sim sim) {
            LedgerWorld.increments(sim, Integer.parseInt(sim.parameter("counter.increments", "0")));
        }
    }

    /** A WASM guest boots, then the test fails: a failure with a module digest. */
    static class RunsAGuest {
        static final GuestModule ECHO = GuestModule.fromResource(RunsAGuest.class, "/guests/echo.wasm");

        @ParigotSimTest(seeds = 2)
        void failsOnceTheGuestIsUp(Sim sim) {
            sim.add(ECHO).boot();
            sim.run();
            throw new AssertionError("the guest is up");
        }
    }

    /**
     * Records the world each seed ran in ("seed strategy note"); fails when the test parameter
     * {@code note} is given.
     */
    static class RecordsWorld {
        static final Queue<String> RUN = new ConcurrentLinkedQueue<>();

        static List<String> run() {
            return List.copyOf(RUN);
        }

        @ParigotSimTest(seeds = 1)
        void failsWhenANoteIsGiven(Sim sim, Seed seed) {
            String note = sim.parameter("note", "none");
            RUN.add(seed + " " + sim.config().strategyName() + " " + note);
            LedgerWorld.deposits(sim, 1);
            if (!note.equals("none")) {
                throw new AssertionError("asked to fail: " + note);
            }
        }
    }

    /** Records, per seed, how its guest nodes booted and the trace hash ("seed restored scratch hash"). */
    static class CountsBoots {
        static final Queue<String> RUN = new ConcurrentLinkedQueue<>();
        static final GuestModule ECHO = GuestModule.fromResource(CountsBoots.class, "/guests/echo.wasm");

        @ParigotSimTest(seeds = 6)
        void bootsTwoEchoes(Sim sim, Seed seed) {
            sim.add(ECHO, dev.parigot.sim.kernel.NodeOptions.named("e1"))
                    .add(ECHO, dev.parigot.sim.kernel.NodeOptions.named("e2"));
            for (int i = 0; i < 3; i++) {
                sim.client("c" + i).call("test.v1.Echo", "Echo", new byte[] {(byte) i});
            }
            sim.run();
            RUN.add(seed + " " + sim.bootsRestored() + " " + sim.bootsFromScratch() + " " + sim.trace().hashText());
        }
    }
}
