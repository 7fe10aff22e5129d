package dev.parigot.sim.scheduler;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Shrinks the choice recording of a failing run to a smaller one that fails the same way, as
 * Hypothesis and jqwik shrink: edit the recording, replay it, keep the edit if the run still
 * fails. Any edited recording replays to some legal run ({@link ChoiceSource#replay}: past its end
 * every choice is 0, a value drawn among fewer options is reduced modulo them), so every edit is
 * worth a try.
 *
 * <p><b>The order.</b> The best recording so far is the smallest in shortlex order: fewer choices
 * first, then the smaller value at the first choice where two differ (bounds do not count).
 * Recordings are compared trimmed of their trailing zero choices, which replay the same. An
 * attempt is kept only if the recording its run <em>drew</em> (which may be shorter than or differ
 * from the candidate) is strictly smaller than the best, so shrinking always ends.
 *
 * <p><b>The passes</b>, in this order, repeated until a whole round keeps nothing or a budget runs
 * out. Where a pass looks for a run of choices to edit, it takes the longest run that still fails,
 * trying lengths 1 to 4, then doubling, then a binary search (Hypothesis's {@code find_integer}):
 * one attempt where nothing can go, a few where hundreds of choices can.
 * <ol>
 *   <li>end earlier: binary search for the shortest failing prefix, then drop the last one to
 *       eight choices one length at a time;</li>
 *   <li>zero runs of choices, each starting at a nonzero one, from the start toward the end.
 *       Choice 0 is the boring default everywhere (earliest event, no fault), so zeroing a choice
 *       is what drops a fault or a reordering from the run. Zeroing comes before deleting because
 *       it keeps every later choice at its place in the run;</li>
 *   <li>delete runs of consecutive choices, from the end toward the start (a late deletion
 *       shifts fewer of the choices after it);</li>
 *   <li>lower each nonzero value: try 0, then binary search between 0 and the value;</li>
 *   <li>move value later: lower a choice by as much as the next one can grow (an earlier smaller
 *       value is smaller in shortlex), so that value gathers where it can be deleted or zeroed;</li>
 *   <li>lower a value by one and delete the longest run of choices after it that still fails
 *       (a smaller count of something draws fewer choices for it).</li>
 * </ol>
 * A candidate that is no smaller than the best, or the same as one already tried since the best
 * last changed, costs no attempt.
 *
 * <p><b>The budget</b>: at most {@link #withAttemptsMax a number of attempts} and {@link
 * #withTimeBudget a time}, whichever ends first; either at 0 turns shrinking {@link #off()}. The
 * shrinker runs outside any simulated world, so it may read a wall clock: {@link #withClock} takes
 * one (nanoseconds; {@code System::nanoTime} by default), for tests to pass a fake.
 *
 * <p><b>Determinism.</b> The same recording and the same answers give the same attempts in the same
 * order and the same result; no randomness and no hash order is involved. Only where a time budget
 * cuts the sequence depends on the clock.
 *
 * <p><b>The first attempt</b> replays the original recording. If that does not fail the same way,
 * nothing is shrunk: the result says so ({@link ShrinkResult.Stop#NOT_REPRODUCED}) and holds the
 * original, trimmed.
 *
 * <p>Immutable: the {@code with} methods return a new shrinker.
 */
public final class Shrinker {
    /** Default time budget: five seconds. */
    public static final Duration TIME_BUDGET_DEFAULT = Duration.ofSeconds(5);
    /** Default attempt budget: large enough that the time budget ends most shrinks. */
    public static final long ATTEMPTS_MAX_DEFAULT = 100_000;

    /**
     * Replays a candidate recording and answers whether the run failed the same way as the
     * original (the caller decides what "the same way" means: the same failure kind, message,
     * assertion...).
     */
    @FunctionalInterface
    public interface Reproducer {
        /**
         * Replays {@code candidate} ({@code ChoiceSource.replay(candidate).recorded()}); present,
         * with the recording the run actually drew, if it failed the same way; empty if it passed
         * or failed another way. Never null.
         */
        Optional<ChoiceRecording> attempt(ChoiceRecording candidate);
    }

    private static final Shrinker DEFAULTS =
            new Shrinker(TIME_BUDGET_DEFAULT, ATTEMPTS_MAX_DEFAULT, System::nanoTime, best -> { });

    private final Duration timeBudget;
    private final long attemptsMax;
    private final LongSupplier clockNanos;
    private final Consumer<ChoiceRecording> onAccepted;

    private Shrinker(Duration timeBudget, long attemptsMax, LongSupplier clockNanos,
            Consumer<ChoiceRecording> onAccepted) {
        this.timeBudget = timeBudget;
        this.attemptsMax = attemptsMax;
        this.clockNanos = clockNanos;
        this.onAccepted = onAccepted;
    }

    /** Five seconds, at most {@value #ATTEMPTS_MAX_DEFAULT} attempts, the JVM's nano clock. */
    public static Shrinker defaults() {
        return DEFAULTS;
    }

    /** A shrinker that makes no attempt: its result is the original, trimmed. */
    public static Shrinker off() {
        return DEFAULTS.withAttemptsMax(0);
    }

    /** At most {@code budget} of time for one shrink (zero: off). */
    public Shrinker withTimeBudget(Duration budget) {
        Objects.requireNonNull(budget, "budget");
        if (budget.isNegative()) {
            throw new IllegalArgumentException("a time budget of " + budget
                    + " is negative; pass Duration.ZERO to turn shrinking off");
        }
        return new Shrinker(budget, attemptsMax, clockNanos, onAccepted);
    }

    /** At most {@code attempts} replays for one shrink, the original's included (zero: off). */
    public Shrinker withAttemptsMax(long attempts) {
        if (attempts < 0) {
            throw new IllegalArgumentException("an attempt budget of " + attempts
                    + " is negative; pass 0 to turn shrinking off");
        }
        return new Shrinker(timeBudget, attempts, clockNanos, onAccepted);
    }

    /** The clock the time budget is measured by, in nanoseconds ({@code System::nanoTime} by default). */
    public Shrinker withClock(LongSupplier nanos) {
        return new Shrinker(timeBudget, attemptsMax, Objects.requireNonNull(nanos, "nanos"), onAccepted);
    }

    /** Called with each new best recording (trimmed), in order, as the shrink keeps it. */
    public Shrinker withObserver(Consumer<ChoiceRecording> onAccepted) {
        return new Shrinker(timeBudget, attemptsMax, clockNanos, Objects.requireNonNull(onAccepted, "onAccepted"));
    }

    /**
     * The most time one shrink may take, measured by this shrinker's clock (wall-clock
     * {@code System::nanoTime} by default; default {@link #TIME_BUDGET_DEFAULT}, 5 s; zero: off).
     */
    public Duration timeBudget() {
        return timeBudget;
    }

    /**
     * The most replays one shrink may ask for, the original's included (default
     * {@link #ATTEMPTS_MAX_DEFAULT}; zero: off).
     */
    public long attemptsMax() {
        return attemptsMax;
    }

    /**
     * Shrinks {@code failing}, the recording of a run that failed, asking {@code reproducer}
     * whether each candidate fails the same way. Returns within the budget (plus one attempt's
     * time); whatever the reproducer throws propagates.
     */
    public ShrinkResult shrink(ChoiceRecording failing, Reproducer reproducer) {
        Objects.requireNonNull(failing, "failing");
        Objects.requireNonNull(reproducer, "reproducer");
        long timeNanos = timeBudget.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0
                ? Long.MAX_VALUE : timeBudget.toNanos();
        return new ShrinkRun(reproducer, attemptsMax, timeNanos, clockNanos, onAccepted).shrink(failing);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Shrinker[at most %,d attempts and %s]", attemptsMax, timeBudget);
    }
}
