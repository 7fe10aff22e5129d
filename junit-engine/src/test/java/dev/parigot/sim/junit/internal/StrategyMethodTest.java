package dev.parigot.sim.junit.internal;

import static dev.parigot.sim.junit.internal.EngineRun.failedSeeds;
import static dev.parigot.sim.junit.internal.EngineRun.message;
import static dev.parigot.sim.junit.internal.EngineRun.traceHash;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.scheduler.Candidates;
import dev.parigot.sim.scheduler.ChoiceStream;
import dev.parigot.sim.scheduler.Strategy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.Event;

/**
 * A strategy and a network of the test's own, named by static methods of the test class: every
 * world gets a fresh strategy, and a failure replays under both.
 */
class StrategyMethodTest {
    @TempDir
    Path dir;

    static final AtomicInteger MADE = new AtomicInteger();

    /** Always the latest candidate: a strategy of the test's own, with per-world state (its step count). */
    static class LastFirst implements Strategy {
        int picks;

        @Override
        public String name() {
            return "last-first";
        }

        @Override
        public int pick(Candidates candidates, ChoiceStream choices) {
            picks++;
            return candidates.size() - 1;
        }
    }

    static class UsesItsOwnStrategy {
        static Strategy lastFirst() {
            MADE.incrementAndGet();
            return new LastFirst();
        }

        @ParigotSimTest(seeds = 6, strategy = "lastFirst")
        void failsAfterTheRace(Sim sim) {
            LedgerWorld.increments(sim, 5);
            throw new AssertionError("every seed fails, after steps whose order the strategy chose");
        }
    }

    @Test
    void theTestsStaticMethodMakesEachWorldsStrategyAndItsFailuresReplayUnderIt() {
        MADE.set(0);
        List<Event> failed = failedSeeds(EngineRun.in(dir.resolve("sweep")).run(UsesItsOwnStrategy.class));

        assertThat(failed).hasSize(6);
        String report = message(failed.get(0));
        assertThat(report).contains("(strategy last-first)")
                .contains("strategy = \"lastFirst\"");
        assertThat(MADE.get()).as("one strategy per world, and one call when the method was resolved")
                .isGreaterThanOrEqualTo(7);

        String seed = failed.get(0).getTestDescriptor().getDisplayName().replace("seed ", "");
        List<Event> replayed = failedSeeds(EngineRun.in(dir.resolve("replay")).set(Settings.SEED, seed)
                .set(Settings.STRATEGY, "lastFirst").run(UsesItsOwnStrategy.class));
        assertThat(replayed).hasSize(1);
        assertThat(traceHash(message(replayed.get(0)))).isEqualTo(traceHash(report));
    }

    static class UsesItsOwnNetwork {
        /** A slow, reliable network: every message takes 5 to 10 ms. */
        static dev.parigot.sim.faults.NetworkModel slow() {
            return dev.parigot.sim.faults.NetworkModel.latency(5_000_000L, 10_000_000L);
        }

        @ParigotSimTest(seeds = 4, network = "slow")
        void failsAfterTheRace(Sim sim) {
            LedgerWorld.increments(sim, 3);
            throw new AssertionError("slow: " + sim.nowNanos());
        }
    }

    @Test
    void theTestsNetworkMethodCarriesTheWorldsMessagesAndItsFailuresReplayUnderIt() {
        List<Event> failed = failedSeeds(EngineRun.in(dir.resolve("sweep")).run(UsesItsOwnNetwork.class));

        assertThat(failed).hasSize(4);
        String report = message(failed.get(0));
        // The calls go at once: a call and its result, each hop 5 ms or more (the default network: 1 ms at most).
        long virtualNanos = Long.parseLong(report.replaceAll("(?s).*slow: (\\d+).*", "$1"));
        assertThat(virtualNanos).isGreaterThanOrEqualTo(10_000_000L);
        assertThat(report).contains("network = \"slow\"");

        String seed = failed.get(0).getTestDescriptor().getDisplayName().replace("seed ", "");
        List<Event> replayed = failedSeeds(EngineRun.in(dir.resolve("replay")).set(Settings.SEED, seed)
                .run(UsesItsOwnNetwork.class));
        assertThat(traceHash(message(replayed.get(0)))).isEqualTo(traceHash(report));
        // Without its network the same seed runs another world.
        List<Event> otherwise = failedSeeds(EngineRun.in(dir.resolve("fast")).set(Settings.SEED, seed)
                .set(Settings.NETWORK, "").run(UsesItsOwnNetwork.class));
        assertThat(otherwise).hasSize(1);
        // With faults that bring their own network, the test's would not be used: refused, saying so.
        EngineRun.in(dir.resolve("both")).set(Settings.FAULTS, "default").run(UsesItsOwnNetwork.class).testEvents()
                .assertThatEvents().haveExactly(1, org.junit.platform.testkit.engine.EventConditions.finishedWithFailure(
                        org.junit.platform.testkit.engine.TestExecutionResultConditions.message(m -> m.startsWith(
                                "network \"slow\" would not be used: the faults \"default\" bring network faults"))));
    }
}
