package dev.parigot.sim.faults.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.faults.internal.NodeClock;
import dev.parigot.sim.scheduler.ChoiceSource;
import dev.parigot.sim.scheduler.ChoiceStream;
import dev.parigot.sim.scheduler.Seed;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * A node's clock under skew and drift: never negative, never going back, and a timer that waits
 * {@code trueDuration} of virtual time always finds the node's own clock moved at least as far as
 * it asked, even while a negative skew still holds the clock at zero.
 */
class NodeClockTest {
    static final long HOUR = 3_600_000_000_000L;

    @Property(tries = 1_000)
    void aClockNeverGoesBackAndIsNeverNegative(
            @ForAll @LongRange(min = -1_000_000_000L, max = 1_000_000_000L) long skew,
            @ForAll @IntRange(min = -99_999, max = 99_999) int drift,
            @ForAll @LongRange(min = 0, max = HOUR) long a, @ForAll @LongRange(min = 0, max = HOUR) long b) {
        NodeClock clock = new NodeClock(skew, drift);
        long earlier = Math.min(a, b);
        long later = Math.max(a, b);
        assertThat(clock.read(earlier)).isNotNegative();
        assertThat(clock.read(later)).isGreaterThanOrEqualTo(clock.read(earlier));
        assertThat(clock.read(later + 1)).isGreaterThanOrEqualTo(clock.read(later));
    }

    @Property(tries = 2_000)
    void afterTrueDurationTheLocalClockHasAdvancedAtLeastTheDelay(
            @ForAll @LongRange(min = -1_000_000_000L, max = 1_000_000_000L) long skew,
            @ForAll @IntRange(min = -99_999, max = 99_999) int drift,
            @ForAll @LongRange(min = 0, max = HOUR) long now,
            @ForAll @LongRange(min = 0, max = 10_000_000_000L) long delay) {
        NodeClock clock = new NodeClock(skew, drift);
        long wait = clock.trueDuration(now, delay);
        assertThat(wait).isNotNegative();
        assertThat(clock.read(now + wait) - clock.read(now))
                .as("local clock advance after waiting %d ns for %d ns, from %d", wait, delay, now)
                .isGreaterThanOrEqualTo(delay);
    }

    @Property(tries = 2_000)
    void trueDurationIsTheDelayScaledByTheDriftPlusAtMostTwoNanoseconds(
            @ForAll @IntRange(min = -99_999, max = 99_999) int drift,
            @ForAll @LongRange(min = 0, max = 10_000_000_000L) long delay) {
        NodeClock clock = new NodeClock(0, drift);
        double exact = delay * 1_000_000.0 / (1_000_000.0 + drift);
        assertThat((double) clock.trueDuration(delay)).isBetween(exact, exact + 2.0);
        assertThat(clock.trueDuration(0, delay)).isEqualTo(clock.trueDuration(delay));
    }

    @Test
    void aNegativeSkewHoldsTheClockAtZeroAndATimerWaitsUntilItHasMovedOn() {
        NodeClock behind = new NodeClock(-30_000_000, 0);
        assertThat(behind.read(0)).isZero();
        assertThat(behind.read(29_999_999)).isZero();
        assertThat(behind.read(30_000_001)).isEqualTo(1);
        // A 10 ms timer set at 0 fires once the clock reads 10 ms: 40 ms of virtual time.
        long wait = behind.trueDuration(0, 10_000_000);
        assertThat(wait).isEqualTo(40_000_000);
        assertThat(behind.read(wait)).isEqualTo(10_000_000);
        // Set once the clock runs, the same timer waits 10 ms.
        assertThat(behind.trueDuration(35_000_000, 10_000_000)).isEqualTo(10_000_000);
        assertThat(behind.trueDuration(0, 0)).isZero();
    }

    @Test
    void underSkewFaultsNoClockIsHeldAtZeroSoATimerWaitsItsDelayFromTheStart() {
        FaultProfile profile = FaultProfile.builder().clock(c -> c.skewMax(Duration.ofMillis(200))).build();
        boolean farBehind = false;
        for (long seed = 0; seed < 300; seed++) {
            NodeClock clock = NodeClock.draw(profile, ChoiceSource.seeded().recorded().open(Seed.of(seed)));
            long skew = skewAndDrift(clock)[0];
            farBehind |= skew < -150_000_000L;
            // Every clock starts the largest skew after virtual time's start, plus its own skew.
            assertThat(clock.startNanos()).isEqualTo(200_000_000L);
            assertThat(clock.read(0)).isEqualTo(200_000_000L + skew).isNotNegative();
            // A 10 ms timer set at the start fires 10 ms later, however far behind the clock is.
            assertThat(clock.trueDuration(0, 10_000_000)).isEqualTo(10_000_000);
        }
        assertThat(farBehind).isTrue();
    }

    @Test
    void exactClockReadsVirtualTime() {
        assertThat(NodeClock.EXACT.exact()).isTrue();
        assertThat(NodeClock.EXACT.read(123_456_789)).isEqualTo(123_456_789);
        assertThat(NodeClock.EXACT.trueDuration(5_000)).isEqualTo(5_000);
        assertThat(NodeClock.EXACT.trueDuration(77, 5_000)).isEqualTo(5_000);
        assertThat(new NodeClock(-5_000, 0).toString()).isEqualTo("skew 5.0 µs behind, drift 0 ppm");
        assertThat(new NodeClock(2_000_000, 30).toString()).isEqualTo("skew 2.0 ms ahead, drift 30 ppm");
    }

    @Test
    void withoutClockFaultsEveryNodeGetsTheExactClockAndNothingIsDrawn() {
        ChoiceStream choices = ChoiceSource.seeded().recorded().open(Seed.of(5));
        assertThat(NodeClock.draw(FaultProfile.NONE, choices)).isSameAs(NodeClock.EXACT);
        assertThat(choices.position()).isZero();
    }

    /** Skew and drift back out of readings far from zero, where nothing is clamped. */
    static long[] skewAndDrift(NodeClock clock) {
        long v = 1_000_000_000_000L;
        long drift = (clock.read(2 * v) - clock.read(v) - v) / 1_000_000;
        long skew = clock.read(v) - v - drift * 1_000_000 - clock.startNanos();
        return new long[] {skew, drift};
    }

    @Test
    void drawnClocksStayWithinTheConfiguredSkewAndDriftAndDifferPerNode() {
        FaultProfile profile = FaultProfile.builder()
                .clock(c -> c.skewMax(Duration.ofMillis(50)).driftPpmMax(5_000)).build();
        Set<Long> skews = new LinkedHashSet<>();
        boolean negative = false;
        for (long seed = 0; seed < 300; seed++) {
            ChoiceStream choices = ChoiceSource.seeded().recorded().open(Seed.of(seed));
            long[] sd = skewAndDrift(NodeClock.draw(profile, choices));
            assertThat(sd[0]).isBetween(-50_000_000L, 50_000_000L);
            assertThat(sd[1]).isBetween(-5_000L, 5_000L);
            assertThat(choices.position()).as("one choice for the skew, one for the drift").isEqualTo(2);
            skews.add(sd[0]);
            negative |= sd[0] < 0;
        }
        assertThat(skews).hasSizeGreaterThan(290);
        assertThat(negative).isTrue();
    }

    @Test
    void aLargeSkewIsDrawnInStepsThatStillSpanTheRange() {
        FaultProfile profile = FaultProfile.builder().clock(c -> c.skewMax(Duration.ofSeconds(100))).build();
        long largest = 0;
        for (long seed = 0; seed < 300; seed++) {
            long[] sd = skewAndDrift(NodeClock.draw(profile, ChoiceSource.seeded().recorded().open(Seed.of(seed))));
            assertThat(sd[0]).isBetween(-100_000_000_000L, 100_000_000_000L);
            assertThat(sd[1]).isZero();
            largest = Math.max(largest, Math.abs(sd[0]));
        }
        assertThat(largest).isGreaterThan(90_000_000_000L);
    }

    @Property(tries = 100)
    void theSameSeedDrawsTheSameClock(@ForAll long seed) {
        FaultProfile profile = FaultProfile.builder()
                .clock(c -> c.skewMax(Duration.ofMillis(50)).driftPpmMax(5_000)).build();
        NodeClock a = NodeClock.draw(profile, ChoiceSource.seeded().recorded().open(Seed.of(seed)));
        NodeClock b = NodeClock.draw(profile, ChoiceSource.seeded().recorded().open(Seed.of(seed)));
        assertThat(b.toString()).isEqualTo(a.toString());
    }
}
