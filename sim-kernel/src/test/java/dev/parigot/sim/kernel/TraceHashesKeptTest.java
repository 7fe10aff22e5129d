package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A trace keeps the hash after each of its first steps and, past them, after every 1,024th:
 * a world of billions of steps holds a few MiB of hashes, and two runs' first divergence is
 * still named, exactly at first, then to its block of 1,024 steps.
 */
class TraceHashesKeptTest {

    /** Records {@code n} steps; step {@code differentFrom} on (1-based, 0 for none) carries another id. */
    private static Trace trace(long everyStepHashed, long n, long differentFrom) {
        Trace t = new Trace(List.of("a", "b"), List.of(), 16, false, everyStepHashed);
        for (long step = 1; step <= n; step++) {
            long id = differentFrom > 0 && step >= differentFrom ? step + 1_000_000_000L : step;
            t.record(step * 1000, 0, 1, StepKind.CALL, id, -1, null, 0);
        }
        return t;
    }

    @Test
    void pastTheFirstStepsEveryThousandTwentyFourthHashIsKept() {
        Trace t = trace(100, 100 + 3 * 1024 + 500, 0);

        for (long step = 1; step <= 100; step++) {
            assertThat(t.keepsHashAfter(step)).isTrue();
        }
        assertThat(t.keepsHashAfter(101)).isFalse();
        assertThat(t.keepsHashAfter(100 + 1024)).isTrue();
        assertThat(t.keepsHashAfter(100 + 2 * 1024)).isTrue();
        assertThat(t.keepsHashAfter(100 + 3 * 1024 + 1)).isFalse();
        assertThat(t.keepsHashAfter(t.steps())).as("the last step's: the trace hash").isTrue();
        assertThat(t.hashAfter(t.steps())).isEqualTo(t.hash());
        assertThatThrownBy(() -> t.hashAfter(101)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("the hash after step 101 is not kept: past step 100 a trace keeps the hash after every"
                        + " 1024th step");
        // The kept hashes are the ones a trace that kept every step would have.
        Trace every = trace(Long.MAX_VALUE, t.steps(), 0);
        assertThat(t.hashAfter(100 + 2 * 1024)).isEqualTo(every.hashAfter(100 + 2 * 1024));
        assertThat(t.hashAfter(57)).isEqualTo(every.hashAfter(57));
        assertThat(t.hash()).isEqualTo(every.hash());
    }

    @Test
    void theFirstDivergenceIsExactAmongTheFirstStepsThenNamedToItsBlock() {
        long n = 100 + 3 * 1024 + 500;
        Trace same = trace(100, n, 0);

        assertThat(Trace.firstDivergence(same, trace(100, n, 0))).isEqualTo(-1);
        assertThat(Trace.firstDivergence(same, trace(100, n, 73))).isEqualTo(73);
        // Step 100 + 1024 + 300 lies in the block after the kept hash of step 100 + 1024.
        assertThat(Trace.firstDivergence(same, trace(100, n, 100 + 1024 + 300))).isEqualTo(100 + 1024 + 1);
        // In the last, unfinished block: only the last hashes tell.
        assertThat(Trace.firstDivergence(same, trace(100, n, 100 + 3 * 1024 + 7))).isEqualTo(100 + 3 * 1024 + 1);
        // A prefix: the step after it (its last hash equals the longer run's kept one), or its block.
        assertThat(Trace.firstDivergence(same, trace(100, 100 + 2 * 1024, 0))).isEqualTo(100 + 2 * 1024 + 1);
        assertThat(Trace.firstDivergence(same, trace(100, 100 + 2 * 1024 + 10, 0))).isEqualTo(100 + 2 * 1024 + 1);
    }

    @Test
    void withTheRealLimitALongRunKeepsAFewHashesPerThousandSteps() {
        long limit = 1L << 21;
        long n = limit + 5 * 1024;
        Trace a = trace(Trace.EVERY_STEP_HASHED, n, 0);

        assertThat(Trace.EVERY_STEP_HASHED).isEqualTo(limit);
        assertThat(a.keepsHashAfter(limit)).isTrue();
        assertThat(a.keepsHashAfter(limit + 1)).isFalse();
        assertThat(Trace.firstDivergence(a, trace(Trace.EVERY_STEP_HASHED, n, limit + 2 * 1024 + 5)))
                .isEqualTo(limit + 2 * 1024 + 1);
        assertThat(Trace.firstDivergence(a, trace(Trace.EVERY_STEP_HASHED, n, limit - 3))).isEqualTo(limit - 3);
    }
}
