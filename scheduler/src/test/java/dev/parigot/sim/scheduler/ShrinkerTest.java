package dev.parigot.sim.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class ShrinkerTest {
    /** A shrinker whose clock never moves: only the attempt budget can end it. */
    static final Shrinker FROZEN = Shrinker.defaults().withClock(() -> 0L);

    /**
     * A world that draws one choice per bound from a replay of the candidate (so an edited candidate
     * is reduced modulo each bound and ends in zeros) and fails if {@code fails} holds for what it drew.
     */
    static Shrinker.Reproducer world(int[] bounds, Predicate<int[]> fails) {
        return candidate -> {
            ChoiceStream stream = ChoiceSource.replay(candidate).recorded().open(Seed.FIRST);
            int[] drawn = new int[bounds.length];
            for (int i = 0; i < bounds.length; i++) {
                drawn[i] = stream.choose(bounds[i]);
            }
            return fails.test(drawn) ? Optional.of(stream.recording()) : Optional.empty();
        };
    }

    /** {@code n} choices among {@code bound}, drawn from a seed. */
    static ChoiceRecording seeded(long seed, int n, int bound) {
        SeededChoices stream = new SeededChoices(Seed.of(seed));
        for (int i = 0; i < n; i++) {
            stream.choose(bound);
        }
        return stream.recording();
    }

    static int[] filled(int n, int value) {
        int[] a = new int[n];
        Arrays.fill(a, value);
        return a;
    }

    static int[] values(ChoiceRecording r) {
        return r.values();
    }

    @Test
    void aValueOfThreeAtAnEvenIndexFromFourOnShrinksToFourZerosThenThree() {
        int[] bounds = filled(40, 10);
        ChoiceRecording original = seeded(1, 40, 10);
        int[] v = original.values();
        v[30] = 7;
        original = ChoiceRecording.of(bounds, v);
        Predicate<int[]> fails = d -> {
            for (int i = 4; i < d.length; i += 2) {
                if (d[i] >= 3) {
                    return true;
                }
            }
            return false;
        };

        ShrinkResult result = FROZEN.shrink(original, world(bounds, fails));

        assertThat(values(result.shrunk())).containsExactly(0, 0, 0, 0, 3);
        assertThat(result.stop()).isEqualTo(ShrinkResult.Stop.MINIMAL);
        assertThat(result.original()).isEqualTo(original);
        assertThat(result.accepted()).isPositive().isLessThanOrEqualTo(result.attempts());
    }

    @Test
    void aSumAboveTwentyShrinksToTheShortlexSmallestThreeNineNine() {
        int[] bounds = filled(30, 10);
        ChoiceRecording original = seeded(7, 30, 10);
        ShrinkResult result = FROZEN.shrink(original, world(bounds, d -> Arrays.stream(d).sum() > 20));

        assertThat(values(result.shrunk())).containsExactly(3, 9, 9);
        assertThat(result.stop()).isEqualTo(ShrinkResult.Stop.MINIMAL);
    }

    @Test
    void aNonzeroChoiceKInARunOfAtLeastMChoicesShrinksToCountMAndOneAtK() {
        // The run draws a count among 20, then that many choices among 5; it fails if the count is at
        // least 6 and choice 4 (the count's choice is 0) is nonzero.
        Shrinker.Reproducer world = candidate -> {
            ChoiceStream stream = ChoiceSource.replay(candidate).recorded().open(Seed.FIRST);
            int count = stream.choose(20);
            int[] drawn = new int[count + 1];
            drawn[0] = count;
            for (int i = 1; i <= count; i++) {
                drawn[i] = stream.choose(5);
            }
            return count >= 6 && drawn[4] != 0 ? Optional.of(stream.recording()) : Optional.empty();
        };
        int[] bounds = new int[19];
        Arrays.fill(bounds, 5);
        bounds[0] = 20;
        int[] v = {18, 3, 4, 1, 2, 4, 0, 3, 1, 1, 2, 4, 4, 3, 0, 1, 2, 3, 4};
        ShrinkResult result = FROZEN.shrink(ChoiceRecording.of(bounds, v), world);

        // The run draws 7 choices; the trailing zeros are trimmed.
        assertThat(values(result.shrunk())).containsExactly(6, 0, 0, 0, 1);
        assertThat(world.attempt(result.shrunk())).isPresent();
    }

    @Test
    void keepsWhatTheReplayedRunDrewNotTheCandidate() {
        // The run stops drawing at its first fault (a value of 7 or more); it fails if that fault comes
        // at choice 3 or later. The original has its first fault at choice 12 and more after it.
        Shrinker.Reproducer world = candidate -> {
            ChoiceStream stream = ChoiceSource.replay(candidate).recorded().open(Seed.FIRST);
            for (int i = 0; i < 30; i++) {
                if (stream.choose(10) >= 7) {
                    return i >= 3 ? Optional.of(stream.recording()) : Optional.empty();
                }
            }
            return Optional.empty();
        };
        int[] v = {1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 8, 9, 9, 1, 7, 7, 0, 2, 8, 8, 1, 1, 1, 9, 2, 3, 4, 5};
        ChoiceRecording original = ChoiceRecording.of(filled(30, 10), v);
        List<ChoiceRecording> candidates = new ArrayList<>();
        List<ChoiceRecording> kept = new ArrayList<>();

        ShrinkResult result = FROZEN.withObserver(kept::add).shrink(original, c -> {
            candidates.add(c);
            return world.attempt(c);
        });

        assertThat(candidates.get(0)).isEqualTo(original);
        assertThat(kept.get(0).size()).isEqualTo(13);
        assertThat(candidates.subList(1, candidates.size())).allSatisfy(c -> assertThat(c.size()).isLessThanOrEqualTo(13));
        assertThat(values(result.shrunk())).containsExactly(0, 0, 0, 7);
        assertThat(kept).last().isEqualTo(result.shrunk());
        assertThat(result.accepted()).isEqualTo(kept.size());
    }

    @Test
    void twoChoicesThatMatterAmong812ShrinkToThemAloneInFewAttempts() {
        // A schedule whose failure needs choices 100 and 300 off their default, and nothing else.
        int[] bounds = filled(812, 4);
        int[] v = seeded(12, 812, 4).values();
        v[100] = 2;
        v[300] = 3;

        ShrinkResult result = FROZEN.shrink(ChoiceRecording.of(bounds, v), world(bounds, d -> d[100] != 0 && d[300] != 0));

        int[] expected = new int[301];
        expected[100] = 1;
        expected[300] = 1;
        assertThat(values(result.shrunk())).containsExactly(expected);
        assertThat(result.attempts()).isLessThan(100); // 64 when written: runs of zeros and deletions grow by doubling
    }

    @Test
    void longestFindsTheLargestLengthThatHoldsWithAboutTwoLog2Calls() {
        for (int max : new int[] {0, 1, 3, 4, 5, 100, 812}) {
            for (int t = 0; t <= max; t++) {
                int limit = t;
                int[] calls = {0};
                int found = ShrinkRun.longest(n -> {
                    calls[0]++;
                    assertThat(n).isBetween(1, max);
                    return n <= limit;
                }, max);
                assertThat(found).isEqualTo(t);
                assertThat(calls[0]).isLessThanOrEqualTo(5 + 2 * (32 - Integer.numberOfLeadingZeros(t)));
            }
        }
    }

    @Test
    void aDrawnRecordingNoSmallerThanTheBestIsNotKept() {
        ChoiceRecording original = ChoiceRecording.of(filled(3, 10), new int[] {1, 2, 3});
        ChoiceRecording larger = ChoiceRecording.of(filled(4, 10), new int[] {1, 1, 1, 1});

        ShrinkResult result = FROZEN.shrink(original, c -> Optional.of(larger));

        assertThat(result.shrunk()).isEqualTo(original);
        assertThat(result.accepted()).isZero();
        assertThat(result.stop()).isEqualTo(ShrinkResult.Stop.MINIMAL);
    }

    @Test
    void anEmptyFailingRecordingIsMinimalAfterOneAttempt() {
        ShrinkResult result = FROZEN.shrink(ChoiceRecording.EMPTY, Optional::of);

        assertThat(result.shrunk()).isEqualTo(ChoiceRecording.EMPTY);
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.stop()).isEqualTo(ShrinkResult.Stop.MINIMAL);
        assertThat(result.reproduced()).isTrue();
    }

    @Test
    void anOriginalThatDoesNotFailAgainIsReturnedUnshrunkAndSaysSo() {
        ChoiceRecording original = ChoiceRecording.of(new int[] {4, 4, 4}, new int[] {3, 1, 0});

        ShrinkResult result = FROZEN.shrink(original, c -> Optional.empty());

        assertThat(result.stop()).isEqualTo(ShrinkResult.Stop.NOT_REPRODUCED);
        assertThat(result.reproduced()).isFalse();
        assertThat(result.attempts()).isEqualTo(1);
        assertThat(result.shrunk()).isEqualTo(original.trimmed());
        assertThat(result.toString()).startsWith(
                "not shrunk: the original 3 choices did not fail the same way when replayed (1 attempt, ");
    }

    @Test
    void theTimeBudgetStopsTheShrinkAndSaysSo() {
        AtomicLong now = new AtomicLong();
        Shrinker shrinker = Shrinker.defaults().withTimeBudget(Duration.ofSeconds(5)).withClock(now::get);
        ChoiceRecording original = seeded(3, 100, 10);

        ShrinkResult result = shrinker.shrink(original, c -> {
            now.addAndGet(1_000_000_000L); // every replay takes a second
            return Optional.of(c);
        });

        assertThat(result.attempts()).isEqualTo(5);
        assertThat(result.stop()).isEqualTo(ShrinkResult.Stop.TIME_BUDGET);
        assertThat(result.budgetReached()).isTrue();
        assertThat(result.nanos()).isEqualTo(5_000_000_000L);
        assertThat(result.toString()).endsWith("(5.0 s), stopped by the time budget");
    }

    @Test
    void theAttemptBudgetStopsTheShrinkAndSaysSo() {
        ShrinkResult result = FROZEN.withAttemptsMax(7).shrink(seeded(3, 100, 10), Optional::of);

        assertThat(result.attempts()).isEqualTo(7);
        assertThat(result.stop()).isEqualTo(ShrinkResult.Stop.ATTEMPT_BUDGET);
        assertThat(result.toString()).endsWith("stopped by the attempt budget");
    }

    @Test
    void shrinkingOffMakesNoAttemptAndKeepsTheOriginal() {
        ChoiceRecording original = ChoiceRecording.of(new int[] {4, 4}, new int[] {3, 0});
        Shrinker.Reproducer refuses = c -> {
            throw new AssertionError("no attempt expected");
        };

        ShrinkResult byAttempts = Shrinker.off().shrink(original, refuses);
        ShrinkResult byTime = FROZEN.withTimeBudget(Duration.ZERO).shrink(original, refuses);

        assertThat(byAttempts.attempts()).isZero();
        assertThat(byAttempts.shrunk()).isEqualTo(original.trimmed());
        assertThat(byAttempts.stop()).isEqualTo(ShrinkResult.Stop.ATTEMPT_BUDGET);
        assertThat(byAttempts.toString()).isEqualTo("not shrunk: 2 choices kept, shrinking is off (no attempt budget)");
        assertThat(byTime.stop()).isEqualTo(ShrinkResult.Stop.TIME_BUDGET);
        assertThat(byTime.toString()).isEqualTo("not shrunk: 2 choices kept, shrinking is off (no time budget)");
    }

    @Test
    void aResultPrintsAsASentence() {
        ShrinkResult result = new ShrinkResult(seeded(1, 37, 5), seeded(1, 812, 5), 214, 12, 1_234_000_000L,
                ShrinkResult.Stop.MINIMAL);

        assertThat(result).hasToString("shrunk 812 choices to 37 in 214 attempts, 12 kept (1.2 s), budget not reached");
        assertThat(new ShrinkResult(seeded(1, 2, 5), seeded(1, 1234, 5), 10_000, 3, 40_000_000L,
                ShrinkResult.Stop.ATTEMPT_BUDGET))
                .hasToString("shrunk 1,234 choices to 2 in 10,000 attempts, 3 kept (40 ms), stopped by the attempt budget");
    }

    @Test
    void negativeBudgetsAreRefusedNamingHowToTurnShrinkingOff() {
        assertThatThrownBy(() -> Shrinker.defaults().withAttemptsMax(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pass 0 to turn shrinking off");
        assertThatThrownBy(() -> Shrinker.defaults().withTimeBudget(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Duration.ZERO");
    }

    @Test
    void aReproducerAnsweringNullIsNamed() {
        assertThatThrownBy(() -> FROZEN.shrink(seeded(1, 3, 5), c -> null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("answer Optional.empty()");
    }

    @Test
    void trimmedDropsOnlyTrailingZeros() {
        ChoiceRecording r = ChoiceRecording.of(new int[] {3, 3, 3, 3}, new int[] {0, 2, 0, 0});

        ChoiceRecording trimmed = r.trimmed();

        assertThat(trimmed).isEqualTo(ChoiceRecording.of(new int[] {3, 3}, new int[] {0, 2}));
        assertThat(trimmed.trimmed()).isSameAs(trimmed);
        assertThat(ChoiceRecording.of(new int[] {3}, new int[] {0}).trimmed()).isEqualTo(ChoiceRecording.EMPTY);
    }

    @Test
    void shortlexPutsFewerChoicesFirstThenSmallerValuesIgnoringBounds() {
        ChoiceRecording shortHigh = ChoiceRecording.of(new int[] {10}, new int[] {9});
        ChoiceRecording longLow = ChoiceRecording.of(new int[] {10, 10}, new int[] {0, 1});
        ChoiceRecording longLowOtherBounds = ChoiceRecording.of(new int[] {5, 7}, new int[] {0, 1});
        ChoiceRecording longHigher = ChoiceRecording.of(new int[] {10, 10}, new int[] {1, 0});

        assertThat(ChoiceRecording.compareShortlex(shortHigh, longLow)).isNegative();
        assertThat(ChoiceRecording.compareShortlex(longLow, longHigher)).isNegative();
        assertThat(ChoiceRecording.compareShortlex(longHigher, longLow)).isPositive();
        assertThat(ChoiceRecording.compareShortlex(longLow, longLowOtherBounds)).isZero();
    }
}
