package dev.parigot.sim.scheduler;

import java.util.Locale;
import java.util.Objects;

/**
 * What one {@link Shrinker#shrink} did: the smallest recording found that fails the same way
 * ({@code shrunk}, trimmed of trailing zero choices), the recording it started from, how many
 * replays it asked for ({@code attempts}, the original's included) and how many of them it kept
 * ({@code accepted}), how long it took, and why it stopped. Its {@link #toString()} is a sentence.
 */
public record ShrinkResult(ChoiceRecording shrunk, ChoiceRecording original, long attempts, long accepted,
        long nanos, Stop stop) {

    /** Why a shrink stopped. */
    public enum Stop {
        /** A whole round of every pass kept nothing: no single step shrinks it further. */
        MINIMAL,
        /** The attempt budget ran out (at once if it is 0: shrinking off). */
        ATTEMPT_BUDGET,
        /** The time budget ran out (at once if it is 0: shrinking off). */
        TIME_BUDGET,
        /** The original recording, replayed, did not fail the same way; nothing was shrunk. */
        NOT_REPRODUCED
    }

    /**
     * Refuses a missing recording or stop reason.
     *
     * @throws NullPointerException if {@code shrunk}, {@code original} or {@code stop} is null
     */
    public ShrinkResult {
        Objects.requireNonNull(shrunk, "shrunk");
        Objects.requireNonNull(original, "original");
        Objects.requireNonNull(stop, "stop");
    }

    /** Whether a budget (of attempts or of time) ended the shrink. */
    public boolean budgetReached() {
        return stop == Stop.ATTEMPT_BUDGET || stop == Stop.TIME_BUDGET;
    }

    /** Whether the original failed the same way when replayed (false also when no attempt was made). */
    public boolean reproduced() {
        return stop != Stop.NOT_REPRODUCED && attempts > 0;
    }

    /**
     * "shrunk 812 choices to 37 in 214 attempts, 12 kept (1.2 s), budget not reached";
     * "... stopped by the time budget"; "not shrunk: the original 812 choices did not fail the same
     * way when replayed (1 attempt, 40 ms)"; "not shrunk: 812 choices kept, shrinking is off (no
     * attempt budget)".
     */
    @Override
    public String toString() {
        String budget = stop == Stop.ATTEMPT_BUDGET ? "attempt budget" : "time budget";
        if (stop == Stop.NOT_REPRODUCED) {
            return String.format(Locale.ROOT, "not shrunk: the original %,d choices did not fail the same way"
                    + " when replayed (%s, %s)", original.size(), count(attempts, "attempt"), time(nanos));
        }
        if (attempts == 0) {
            return String.format(Locale.ROOT, "not shrunk: %,d choices kept, shrinking is off (no %s)",
                    original.size(), budget);
        }
        return String.format(Locale.ROOT, "shrunk %,d choices to %,d in %s, %,d kept (%s), %s", original.size(),
                shrunk.size(), count(attempts, "attempt"), accepted, time(nanos),
                budgetReached() ? "stopped by the " + budget : "budget not reached");
    }

    private static String count(long n, String noun) {
        return String.format(Locale.ROOT, "%,d %s%s", n, noun, n == 1 ? "" : "s");
    }

    private static String time(long nanos) {
        if (nanos >= 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
        }
        if (nanos >= 1_000_000L) {
            return String.format(Locale.ROOT, "%d ms", nanos / 1_000_000L);
        }
        return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
    }
}
