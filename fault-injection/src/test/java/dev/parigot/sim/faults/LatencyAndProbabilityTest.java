package dev.parigot.sim.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.scheduler.ChoiceSource;
import dev.parigot.sim.scheduler.ChoiceStream;
import dev.parigot.sim.scheduler.Seed;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * Latency windows stay within their bounds; a long tail never passes its cap and shows up about
 * as often as configured; probabilities 0 and 1 decide without drawing, so that a profile with a
 * fault off leaves the choice stream (and the trace) as if the fault did not exist.
 */
class LatencyAndProbabilityTest {

    static ChoiceStream stream(long seed) {
        return ChoiceSource.seeded().recorded().open(Seed.of(seed));
    }

    @Property(tries = 300)
    void fixedAndUniformWindowsAreTheirBoundsAndDrawNothing(
            @ForAll @LongRange(min = 0, max = 10_000_000_000L) long a,
            @ForAll @LongRange(min = 0, max = 10_000_000_000L) long b, @ForAll long seed) {
        long low = Math.min(a, b);
        long high = Math.max(a, b);
        ChoiceStream choices = stream(seed);
        long[] window = new long[2];

        Latency.uniform(low, high).window(choices, window);
        assertThat(window).containsExactly(low, high);
        Latency.fixed(a).window(choices, window);
        assertThat(window).containsExactly(a, a);

        assertThat(choices.position()).isZero();
        assertThat(Latency.uniform(low, high).maxNanos()).isEqualTo(high);
    }

    @Property(tries = 200)
    void longTailWindowsStayBetweenMinAndCap(
            @ForAll @LongRange(min = 0, max = 5_000_000) long min,
            @ForAll @LongRange(min = 0, max = 5_000_000) long extra,
            @ForAll @LongRange(min = 0, max = 5_000_000_000L) long capExtra,
            @ForAll @DoubleRange(min = 0, max = 1) double tail, @ForAll long seed) {
        long max = min + extra;
        long cap = max + capExtra;
        Latency latency = Latency.longTail(min, max, tail, cap);
        ChoiceStream choices = stream(seed);
        long[] window = new long[2];
        for (int i = 0; i < 200; i++) {
            latency.window(choices, window);
            assertThat(window[0]).isBetween(min, cap);
            assertThat(window[1]).isBetween(window[0], cap);
            boolean body = window[0] == min && window[1] == max;
            boolean tailed = window[0] == window[1] && window[0] >= max;
            assertThat(body || tailed).as("window [%d, %d] is the body [%d, %d] or one tail instant in [%d, %d]",
                    window[0], window[1], min, max, max, cap).isTrue();
        }
        assertThat(latency.maxNanos()).isEqualTo(cap);
    }

    @Test
    void longTailAppearsWithRoughlyItsProbabilityAndNeverPastTheCap() {
        long min = 100_000;
        long max = 1_000_000;
        long cap = 50_000_000;
        for (double tail : new double[] {0.01, 0.1, 0.5}) {
            Latency latency = Latency.longTail(min, max, tail, cap);
            ChoiceStream choices = stream(42);
            long[] window = new long[2];
            int draws = 100_000;
            int tails = 0;
            long longest = 0;
            for (int i = 0; i < draws; i++) {
                latency.window(choices, window);
                if (window[0] > max) {
                    tails++;
                }
                longest = Math.max(longest, window[1]);
            }
            double expected = tail * draws;
            // Binomial: five standard deviations either side.
            double slack = 5 * Math.sqrt(draws * tail * (1 - tail));
            assertThat((double) tails).as("tails at p=" + tail).isBetween(expected - slack, expected + slack);
            assertThat(longest).isLessThanOrEqualTo(cap).isGreaterThan(cap / 2);
        }
    }

    @Test
    void longTailReachesAcrossItsWholeRange() {
        // Tail delays cover the span between max and cap, down to near max and up to near the cap.
        Latency latency = Latency.longTail(0, 1_000_000, 1.0, 65_000_000);
        ChoiceStream choices = stream(7);
        long[] window = new long[2];
        long shortest = Long.MAX_VALUE;
        long longest = 0;
        for (int i = 0; i < 50_000; i++) {
            latency.window(choices, window);
            shortest = Math.min(shortest, window[0]);
            longest = Math.max(longest, window[0]);
        }
        assertThat(shortest).isLessThan(1_000_000 + 64_000_000 / 100);
        assertThat(longest).isGreaterThan(65_000_000 - 64_000_000 / 100);
    }

    @Test
    void tailOfZeroIsTheBodyAndDrawsNothing() {
        Latency latency = Latency.longTail(100, 200, 0, 10_000);
        ChoiceStream choices = stream(3);
        long[] window = new long[2];
        for (int i = 0; i < 1_000; i++) {
            latency.window(choices, window);
            assertThat(window).containsExactly(100, 200);
        }
        assertThat(choices.position()).isZero();
    }

    @Test
    void latencyDescriptionsReadAsTimes() {
        assertThat(Latency.fixed(1_500).describe()).isEqualTo("1.5 µs");
        assertThat(Latency.uniform(100_000, 1_000_000).describe()).isEqualTo("100.0 µs to 1.0 ms");
        assertThat(Latency.longTail(100_000, 1_000_000, 0.01, 50_000_000).describe())
                .isEqualTo("100.0 µs to 1.0 ms, tail 0.01000 up to 50.0 ms");
        assertThat(NetworkModel.defaultModel().describe()).isEqualTo("reliable, latency 100.0 µs to 1.0 ms");
    }

    @Property(tries = 100)
    void probabilityZeroNeverHappensAndOneAlwaysDoesWithoutDrawing(@ForAll long seed) {
        ChoiceStream choices = stream(seed);
        Probability never = Probability.of("x", 0);
        Probability always = Probability.of("x", 1);
        for (int i = 0; i < 100; i++) {
            assertThat(never.happens(choices)).isFalse();
            assertThat(always.happens(choices)).isTrue();
        }
        assertThat(choices.position()).isZero();
        assertThat(never.never()).isTrue();
        assertThat(Probability.NEVER.never()).isTrue();
        assertThat(always.never()).isFalse();
    }

    @Test
    void aProbabilityBetweenHappensAboutThatOftenWithOneDrawEach() {
        ChoiceStream choices = stream(11);
        Probability quarter = Probability.of("x", 0.25);
        int draws = 40_000;
        int hits = 0;
        for (int i = 0; i < draws; i++) {
            hits += quarter.happens(choices) ? 1 : 0;
        }
        assertThat(choices.position()).isEqualTo(draws);
        assertThat(hits).isBetween(10_000 - 500, 10_000 + 500);
    }

    @Test
    void probabilitiesAreKeptAsPartsPerMillion() {
        assertThat(Probability.of("x", 0.123456789).value()).isEqualTo(0.123457);
        assertThat(Probability.of("x", 4e-7).never()).as("rounds to 0 ppm").isTrue();
        assertThat(Probability.of("x", 0.01).toString()).isEqualTo("0.01000");
        assertThat(Probability.NEVER.toString()).isEqualTo("0");
        assertThat(Probability.of("x", 0.4).scaled(3).value()).as("scaled, capped at 1").isEqualTo(1.0);
        assertThat(Probability.of("x", 0.4).scaled(0.5).value()).isEqualTo(0.2);
    }
}
