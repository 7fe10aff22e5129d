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

/** A strategy of the test's own, named by its static method: every world gets a fresh one, and a failure replays. */
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
}
