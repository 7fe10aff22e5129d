package dev.parigot.sim.scheduler;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import java.util.function.LongSupplier;

/**
 * One shrink of one recording (see {@link Shrinker} for the passes, the order and the budget):
 * the best recording so far, the attempts spent, and the passes that edit the best into
 * candidates. Every candidate goes through {@link #attempt}, the one place that spends the budget
 * and keeps a smaller drawn recording.
 */
final class ShrinkRun {
    private static final int TRUNCATE_STEPS_MAX = 8;

    private final Shrinker.Reproducer reproducer;
    private final long attemptsMax;
    private final long timeBudgetNanos;
    private final LongSupplier clockNanos;
    private final Consumer<ChoiceRecording> onAccepted;
    private final long startNanos;
    /** Fingerprints of the candidates tried since the best last changed (membership only, never iterated). */
    private final Set<Long> tried = new HashSet<>();

    private ChoiceRecording best;
    private long attempts;
    private long accepted;
    private ShrinkResult.Stop stop; // null while shrinking

    ShrinkRun(Shrinker.Reproducer reproducer, long attemptsMax, long timeBudgetNanos, LongSupplier clockNanos,
            Consumer<ChoiceRecording> onAccepted) {
        this.reproducer = reproducer;
        this.attemptsMax = attemptsMax;
        this.timeBudgetNanos = timeBudgetNanos;
        this.clockNanos = clockNanos;
        this.onAccepted = onAccepted;
        this.startNanos = clockNanos.getAsLong();
    }

    ShrinkResult shrink(ChoiceRecording original) {
        best = original.trimmed();
        if (!budgetSpent()) {
            attempts++;
            Optional<ChoiceRecording> drawn = replay(original);
            if (drawn.isEmpty()) {
                stop = ShrinkResult.Stop.NOT_REPRODUCED;
            } else {
                offer(drawn.get());
            }
        }
        while (stop == null) {
            ChoiceRecording before = best;
            truncate();
            zeroBlocks();
            deleteBlocks();
            lowerValues();
            moveValuesLater();
            lowerAndDeleteFollowing();
            if (stop == null && best == before) {
                stop = ShrinkResult.Stop.MINIMAL;
            }
        }
        return new ShrinkResult(best, original, attempts, accepted, clockNanos.getAsLong() - startNanos, stop);
    }

    /** Binary search for the shortest failing prefix, then a few shorter prefixes one at a time. */
    private void truncate() {
        int lo = 0;
        while (lo < best.size() && stop == null) {
            int mid = (lo + best.size()) >>> 1;
            if (!attempt(best.prefix(mid))) {
                lo = mid + 1;
            }
        }
        int k = 1;
        while (k <= TRUNCATE_STEPS_MAX && k <= best.size() && stop == null) {
            k = attempt(best.prefix(best.size() - k)) ? 1 : k + 1;
        }
    }

    /**
     * Deletes runs of consecutive choices, from the end toward the start: at each end, the longest
     * run ending there whose deletion still fails ({@link #longest}).
     */
    private void deleteBlocks() {
        int end = best.size();
        while (end > 0 && stop == null) {
            ChoiceRecording base = best;
            int e = end;
            int deleted = longest(n -> attempt(deleted(base, e - n, n)), e);
            end = Math.min(e - Math.max(deleted, 1), best.size());
        }
    }

    /**
     * Sets runs of choices to 0, from the start toward the end: at each nonzero choice, the
     * longest run starting there whose zeroing still fails.
     */
    private void zeroBlocks() {
        for (int i = 0; i < best.size() && stop == null; i++) {
            if (best.value(i) != 0) {
                ChoiceRecording base = best;
                int from = i;
                longest(n -> attempt(zeroed(base, from, n)), base.size() - from);
            }
        }
    }

    /** Lowers each nonzero value: 0 first, then a binary search between 0 and the value. */
    private void lowerValues() {
        for (int i = 0; i < best.size() && stop == null; i++) {
            int hi = best.value(i);
            if (hi == 0 || attempt(withValue(best, i, 0))) {
                continue;
            }
            int lo = 0; // known to pass, or to fail another way
            while (lo + 1 < hi && stop == null) {
                int mid = lo + (hi - lo) / 2;
                if (!attempt(withValue(best, i, mid))) {
                    lo = mid;
                } else if (i < best.size()) {
                    hi = best.value(i);
                } else {
                    break;
                }
            }
        }
    }

    /** Moves as much of each value as fits into the next choice, so that value gathers late. */
    private void moveValuesLater() {
        for (int i = 0; i + 1 < best.size() && stop == null; i++) {
            int room = best.bound(i + 1) - 1 - best.value(i + 1);
            int amount = Math.min(best.value(i), room);
            if (amount > 0) {
                int[] values = best.values();
                values[i] -= amount;
                values[i + 1] += amount;
                attempt(new ChoiceRecording(best.bounds(), values));
            }
        }
    }

    /**
     * Lowers each nonzero value by one and deletes the longest run of choices after it that still
     * fails (a smaller count of something draws fewer choices for it), from the end toward the start.
     */
    private void lowerAndDeleteFollowing() {
        for (int i = best.size() - 2; i >= 0 && stop == null; i = Math.min(i - 1, best.size() - 2)) {
            if (best.value(i) > 0) {
                ChoiceRecording lowered = withValue(best, i, best.value(i) - 1);
                int from = i + 1;
                longest(n -> attempt(deleted(lowered, from, n)), lowered.size() - from);
            }
        }
    }

    /**
     * The largest {@code n} in {@code 0..max} for which {@code holds} answers true, taking it as true
     * for 0 and mostly monotone: 1 to 4 one at a time, then doubling, then a binary search
     * (Hypothesis's {@code find_integer}). Costs one call when 1 already fails, and about
     * 2 log2(n) when n can go far.
     */
    static int longest(IntPredicate holds, int max) {
        int lo = 0;
        while (lo < Math.min(4, max)) {
            if (!holds.test(lo + 1)) {
                return lo;
            }
            lo++;
        }
        if (lo == max) {
            return lo;
        }
        int hi = lo;
        while (true) {
            hi = (int) Math.min((long) hi * 2, max);
            if (!holds.test(hi)) {
                break;
            }
            lo = hi;
            if (hi == max) {
                return hi;
            }
        }
        while (lo + 1 < hi) { // holds(lo), not holds(hi)
            int mid = (lo + hi) >>> 1;
            if (holds.test(mid)) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Replays {@code candidate} if it is smaller than the best, not tried since the best last
     * changed, and the budget allows; keeps what its run drew if that failed the same way and is
     * smaller. True if the best changed.
     */
    private boolean attempt(ChoiceRecording candidate) {
        ChoiceRecording trimmed = candidate.trimmed();
        if (stop != null || ChoiceRecording.compareShortlex(trimmed, best) >= 0
                || !tried.add(fingerprint(trimmed)) || budgetSpent()) {
            return false;
        }
        attempts++;
        return replay(trimmed).map(this::offer).orElse(false);
    }

    private Optional<ChoiceRecording> replay(ChoiceRecording candidate) {
        return Objects.requireNonNull(reproducer.attempt(candidate),
                "the reproducer answered null; answer Optional.empty() for a run that did not fail the same way");
    }

    /** Keeps {@code drawn} (trimmed) as the best if it is strictly smaller. */
    private boolean offer(ChoiceRecording drawn) {
        ChoiceRecording trimmed = drawn.trimmed();
        if (ChoiceRecording.compareShortlex(trimmed, best) >= 0) {
            return false;
        }
        best = trimmed;
        accepted++;
        tried.clear();
        onAccepted.accept(best);
        return true;
    }

    /** Sets {@link #stop} and answers true once either budget is used up. */
    private boolean budgetSpent() {
        if (attempts >= attemptsMax) {
            stop = ShrinkResult.Stop.ATTEMPT_BUDGET;
        } else if (clockNanos.getAsLong() - startNanos >= timeBudgetNanos) {
            stop = ShrinkResult.Stop.TIME_BUDGET;
        }
        return stop != null;
    }

    private static ChoiceRecording deleted(ChoiceRecording r, int from, int count) {
        int[] bounds = r.bounds();
        int[] values = r.values();
        int n = r.size() - count;
        System.arraycopy(bounds, from + count, bounds, from, n - from);
        System.arraycopy(values, from + count, values, from, n - from);
        return new ChoiceRecording(Arrays.copyOf(bounds, n), Arrays.copyOf(values, n));
    }

    private static ChoiceRecording zeroed(ChoiceRecording r, int from, int count) {
        int[] values = r.values();
        Arrays.fill(values, from, from + count, 0);
        return new ChoiceRecording(r.bounds(), values);
    }

    private static ChoiceRecording withValue(ChoiceRecording r, int i, int value) {
        int[] values = r.values();
        values[i] = value;
        return new ChoiceRecording(r.bounds(), values);
    }

    /** A 64-bit fingerprint of the values and bounds (SplitMix64's finaliser over each). */
    private static long fingerprint(ChoiceRecording r) {
        long h = r.size();
        for (int i = 0; i < r.size(); i++) {
            h = mix(h + ((long) r.bound(i) << 32 | r.value(i)));
        }
        return h;
    }

    private static long mix(long z) {
        z += 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
