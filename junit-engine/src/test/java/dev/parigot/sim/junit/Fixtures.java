package dev.parigot.sim.junit;

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
}
