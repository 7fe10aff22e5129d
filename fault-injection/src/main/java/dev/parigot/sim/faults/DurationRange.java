package dev.parigot.sim.faults;

import dev.parigot.sim.scheduler.ChoiceStream;
import java.time.Duration;
import java.util.Objects;

/**
 * How long a fault lasts (a partition, a clog, a pause) or how long a crashed node waits to
 * restart: a duration in [min, max], validated where it is given with an error that names the
 * setting, and drawn from the choice stream (choice 0 gives min).
 */
public final class DurationRange {
    private final Duration min;
    private final Duration max;

    private DurationRange(Duration min, Duration max) {
        this.min = min;
        this.max = max;
    }

    /** Validates [min, max]; every error names {@code setting}. */
    static DurationRange of(String setting, Duration min, Duration max) {
        requireNanos(setting + " min", min);
        requireNanos(setting + " max", max);
        if (min.isNegative() || max.isNegative()) {
            throw new IllegalArgumentException(setting + " [" + min + ", " + max + "] is negative; durations are"
                    + " zero or more");
        }
        if (max.compareTo(min) < 0) {
            throw new IllegalArgumentException(setting + " min " + min + " is above max " + max + "; swap them");
        }
        return new DurationRange(min, max);
    }

    /** The shortest duration (choice 0 draws it). */
    public Duration min() {
        return min;
    }

    /** The longest duration. */
    public Duration max() {
        return max;
    }

    /** A duration in [min, max] in nanoseconds: one choice, none if min equals max; choice 0 gives min. */
    public long drawNanos(ChoiceStream choices) {
        long lo = min.toNanos();
        long span = max.toNanos() - lo;
        if (span <= 0) {
            return lo;
        }
        if (span < (1 << 30)) {
            return lo + choices.choose((int) span + 1);
        }
        long step = span / (1 << 30);
        return lo + (long) choices.choose(1 << 30) * step;
    }

    /** "5.0 ms..100.0 ms". */
    String describe() {
        return TimeText.of(min.toNanos()) + ".." + TimeText.of(max.toNanos());
    }

    /** A duration must be given, and fit virtual time (nanoseconds in a long), or it fails later, unnamed. */
    static void requireNanos(String setting, Duration value) {
        if (value == null) {
            throw new IllegalArgumentException(setting + " is missing (null); give a duration, e.g."
                    + " Duration.ofMillis(10)");
        }
        try {
            value.toNanos();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(setting + " " + value + " is too long: virtual time counts"
                    + " nanoseconds in a long, up to about 292 years; give a shorter duration", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DurationRange r && r.min.equals(min) && r.max.equals(max);
    }

    @Override
    public int hashCode() {
        return Objects.hash(min, max);
    }

    @Override
    public String toString() {
        return describe();
    }
}
