package dev.parigot.sim.junit.internal;

import static dev.parigot.sim.junit.internal.EngineRun.failedSeedReports;
import static dev.parigot.sim.junit.internal.EngineRun.failedSeeds;
import static dev.parigot.sim.junit.internal.EngineRun.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.junit.internal.Fixtures.LostUpdate;
import dev.parigot.sim.junit.internal.Fixtures.OneDepositor;
import dev.parigot.sim.kernel.Sim;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/**
 * {@code parigot.determinism}: failing seeds are re-run and say whether they failed the same
 * way ({@code failures}, the default); every seed is re-run and one whose trace changes fails
 * ({@code all}); nothing is re-run ({@code off}). The fixtures here read a counter outside the
 * world, so each run of a seed takes another path.
 */
class DeterminismOptionTest {
    @TempDir
    Path dir;

    @BeforeEach
    void resetCounters() {
        Drifting.RUNS.set(0);
        DriftingFailure.RUNS.set(0);
    }

    @Test
    void determinismAllFailsEverySeedWhoseRerunTakesAnotherPath() {
        EngineExecutionResults results = EngineRun.in(dir).set(Settings.DETERMINISM, "all")
                .set(Settings.PARALLELISM, "1").run(Drifting.class);

        assertThat(Drifting.RUNS).hasValue(6);
        assertThat(failedSeeds(results)).hasSize(3).allSatisfy(e -> assertThat(message(e))
                .contains("test code: the seed is not deterministic: NOT deterministic: a re-run of this seed passed;"
                        + " the traces diverge at step ")
                .contains("; first run: ").contains("; re-run: ")
                .contains("reads real time, real randomness or iteration order outside the world"));
    }

    @Test
    void determinismAllPassesDeterministicSeedsAndConfirmsFailingOnes() {
        EngineExecutionResults passing = EngineRun.in(dir.resolve("passing")).set(Settings.DETERMINISM, "all")
                .run(OneDepositor.class);
        passing.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));

        EngineExecutionResults all = EngineRun.in(dir.resolve("all")).set(Settings.DETERMINISM, "all")
                .set(Settings.FAILURES_REPORTED, "100").run(LostUpdate.class);
        EngineExecutionResults failures = EngineRun.in(dir.resolve("failures"))
                .set(Settings.FAILURES_REPORTED, "100").run(LostUpdate.class);
        assertThat(failedSeedReports(all)).isNotEmpty().containsExactlyElementsOf(failedSeedReports(failures));
    }

    @Test
    void defaultDeterminismRerunsNoPassingSeed() {
        EngineExecutionResults results = EngineRun.in(dir).run(Drifting.class);

        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        assertThat(Drifting.RUNS).hasValue(3);
    }

    @Test
    void defaultDeterminismRerunsAFailingSeedAndSaysWhereTheRerunDiverged() {
        EngineExecutionResults results = EngineRun.in(dir).set(Settings.PARALLELISM, "1").run(DriftingFailure.class);

        assertThat(DriftingFailure.RUNS).hasValue(6);
        assertThat(failedSeeds(results)).hasSize(3).allSatisfy(e -> assertThat(message(e))
                .contains("assertion failed in the test: the ledger was read")
                .contains("NOT deterministic: a re-run of this seed failed differently; the traces diverge at step ")
                .doesNotContain("re-run: the same failure"));
    }

    @Test
    void determinismOffRunsAFailingSeedOnceAndSaysNothingAboutIt() {
        EngineExecutionResults results = EngineRun.in(dir).set(Settings.DETERMINISM, "off")
                .set(Settings.PARALLELISM, "1").run(DriftingFailure.class);

        assertThat(DriftingFailure.RUNS).hasValue(3);
        assertThat(failedSeeds(results)).hasSize(3).allSatisfy(e -> assertThat(message(e))
                .contains("assertion failed in the test: the ledger was read").doesNotContain("re-run"));
    }

    /** Reads the ledger once or twice depending on how often it ran before: a different trace each run. */
    static class Drifting {
        static final AtomicInteger RUNS = new AtomicInteger();

        @ParigotSimTest(seeds = 3)
        void readsAsOftenAsACounterSays(Sim sim) {
            LedgerWorld.sequentialReads(sim, 1 + RUNS.getAndIncrement() % 2);
        }
    }

    /** As {@link Drifting}, and then fails: the re-run fails after a different number of steps. */
    static class DriftingFailure {
        static final AtomicInteger RUNS = new AtomicInteger();

        @ParigotSimTest(seeds = 3)
        void failsAfterACounterDependentRun(Sim sim) {
            int reads = 1 + RUNS.getAndIncrement() % 2;
            LedgerWorld.sequentialReads(sim, reads);
            throw new AssertionError("the ledger was read " + reads + " times");
        }
    }
}
