package dev.parigot.sim.faults.internal;

import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.faults.TimeText;
import dev.parigot.sim.scheduler.ChoiceStream;

/**
 * A node's view of virtual time under clock faults: offset by a skew and running fast or slow by
 * a drift, both drawn once per node. Never negative, and monotonic (drift stays above -100%).
 *
 * <p>Under skew faults every clock of the world starts {@code start} (the profile's largest
 * skew) after the instant virtual time starts at, so that a clock behind by the largest skew
 * starts at that instant instead of before it: no clock has to be held at 0 while it would read
 * a negative time, which would stop its timers. Clocks still differ from each other by their
 * skews.
 */
public final class NodeClock {
    public static final NodeClock EXACT = new NodeClock(0, 0);

    private final long skewNanos;
    private final long driftPpm;
    private final long startNanos;

    /** A clock skewed by {@code skewNanos} that starts at the instant virtual time starts at. */
    public NodeClock(long skewNanos, long driftPpm) {
        this(skewNanos, driftPpm, 0);
    }

    /** A clock skewed by {@code skewNanos} that starts {@code startNanos} after virtual time's first instant. */
    public NodeClock(long skewNanos, long driftPpm, long startNanos) {
        this.skewNanos = skewNanos;
        this.driftPpm = driftPpm;
        this.startNanos = startNanos;
    }

    /** Draws a clock for one node (two choices), or {@link #EXACT} if the profile has no clock faults. */
    public static NodeClock draw(FaultProfile profile, ChoiceStream choices) {
        long skewMax = profile.clock().skewMax().toNanos();
        long driftMax = Math.round(profile.clock().driftPpmMax());
        if (skewMax == 0 && driftMax == 0) {
            return EXACT;
        }
        long skew = skewMax == 0 ? 0 : signed(choices, skewMax);
        long drift = driftMax == 0 ? 0 : signed(choices, driftMax);
        return new NodeClock(skew, drift, skewMax);
    }

    /** A value in [-max, max], 0 being choice 0 (no fault). */
    private static long signed(ChoiceStream choices, long max) {
        long bound = Math.min(max, 1L << 29);
        long step = Math.max(1, max / bound);
        int c = choices.choose((int) (2 * bound + 1));
        long v = c == 0 ? 0 : (c <= bound ? c : -(c - bound));
        return v * step;
    }

    public long read(long virtualNanos) {
        return Math.max(0, unclamped(virtualNanos));
    }

    /** The reading before a negative skew is clamped at 0. */
    private long unclamped(long virtualNanos) {
        return startNanos + virtualNanos + skewNanos + virtualNanos / 1_000_000 * driftPpm
                + (virtualNanos % 1_000_000) * driftPpm / 1_000_000;
    }

    /**
     * How much virtual time passes from {@code virtualNowNanos} until this clock reads
     * {@code localNanos} more than it reads now. As {@link #trueDuration(long)}, except while a
     * negative skew still holds the clock at 0: then the clock must first climb back to 0.
     */
    public long trueDuration(long virtualNowNanos, long localNanos) {
        long behind = -unclamped(virtualNowNanos);
        if (localNanos <= 0 || behind <= 0) {
            return trueDuration(localNanos);
        }
        return trueDuration(localNanos > Long.MAX_VALUE - behind ? Long.MAX_VALUE : localNanos + behind);
    }

    /**
     * How much virtual time passes while this clock advances by {@code localNanos}: a timer set
     * by a slow node fires late, as it would on a real machine. Rounded up, so that when the timer
     * fires the node's own clock has moved at least that far.
     */
    public long trueDuration(long localNanos) {
        if (driftPpm == 0 || localNanos <= 0) {
            return localNanos;
        }
        double t = Math.ceil(localNanos * 1_000_000.0 / (1_000_000.0 + driftPpm));
        return t >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) t + 1;
    }

    /** How long after virtual time's first instant this clock starts (before its skew). */
    long startNanos() {
        return startNanos;
    }

    /** Whether this clock has neither skew nor drift (it may still start later than virtual time). */
    public boolean exact() {
        return skewNanos == 0 && driftPpm == 0;
    }

    @Override
    public String toString() {
        return "skew " + TimeText.of(Math.abs(skewNanos)) + (skewNanos < 0 ? " behind" : " ahead") + ", drift "
                + driftPpm + " ppm";
    }
}
