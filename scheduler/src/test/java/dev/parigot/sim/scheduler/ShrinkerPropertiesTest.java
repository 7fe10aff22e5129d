package dev.parigot.sim.scheduler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ShrinkerPropertiesTest {

    /** A failure that stays a failure when any drawn value grows (each holds for the original). */
    enum Monotone {
        SUM_AT_LEAST, NONZEROS_AT_LEAST, VALUE_AT_LEAST;

        Predicate<int[]> of(int[] original, int percent) {
            return switch (this) {
                case SUM_AT_LEAST -> {
                    int t = Arrays.stream(original).sum() * percent / 100;
                    yield d -> Arrays.stream(d).sum() >= t;
                }
                case NONZEROS_AT_LEAST -> {
                    long t = Arrays.stream(original).filter(v -> v != 0).count() * percent / 100;
                    yield d -> Arrays.stream(d).filter(v -> v != 0).count() >= t;
                }
                case VALUE_AT_LEAST -> {
                    int at = percent % original.length;
                    int t = original[at] * percent / 100;
                    yield d -> d[at] >= t;
                }
            };
        }
    }

    static ChoiceRecording recording(long seed, List<Integer> bounds) {
        SeededChoices stream = new SeededChoices(Seed.of(seed));
        bounds.forEach(stream::choose);
        return stream.recording();
    }

    static int[] ints(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    @Property(tries = 200)
    void theShrunkRecordingStillFailsAndIsNeverLarger(@ForAll long seed,
            @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 2, max = 50) Integer> bounds,
            @ForAll Monotone kind, @ForAll @IntRange(max = 100) int percent) {
        ChoiceRecording original = recording(seed, bounds);
        Shrinker.Reproducer world = ShrinkerTest.world(ints(bounds), kind.of(original.values(), percent));

        List<ChoiceRecording> candidates = new ArrayList<>();
        List<ChoiceRecording> kept = new ArrayList<>();

        ShrinkResult result = ShrinkerTest.FROZEN.withObserver(kept::add).shrink(original, c -> {
            candidates.add(c);
            return world.attempt(c);
        });

        assertThat(result.stop()).isEqualTo(ShrinkResult.Stop.MINIMAL);
        assertThat(candidates.subList(1, candidates.size())).allSatisfy(c ->
                assertThat(ChoiceRecording.compareShortlex(c, original.trimmed())).isNegative());
        for (int i = 1; i < kept.size(); i++) {
            assertThat(ChoiceRecording.compareShortlex(kept.get(i), kept.get(i - 1))).isNegative();
        }
        assertThat(world.attempt(result.shrunk())).isPresent();
        assertThat(ChoiceRecording.compareShortlex(result.shrunk(), original.trimmed())).isLessThanOrEqualTo(0);
        assertThat(result.shrunk()).isEqualTo(result.shrunk().trimmed());
    }

    @Property(tries = 200)
    void shrinkingTwiceMakesTheSameAttemptsAndTheSameResult(@ForAll long seed,
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 2, max = 20) Integer> bounds,
            @ForAll Monotone kind, @ForAll @IntRange(max = 100) int percent) {
        ChoiceRecording original = recording(seed, bounds);
        Shrinker.Reproducer world = ShrinkerTest.world(ints(bounds), kind.of(original.values(), percent));
        List<ChoiceRecording> first = new ArrayList<>();
        List<ChoiceRecording> second = new ArrayList<>();

        ShrinkResult a = ShrinkerTest.FROZEN.shrink(original, c -> {
            first.add(c);
            return world.attempt(c);
        });
        ShrinkResult b = ShrinkerTest.FROZEN.shrink(original, c -> {
            second.add(c);
            return world.attempt(c);
        });

        assertThat(second).isEqualTo(first);
        assertThat(b).isEqualTo(a);
        assertThat(ShrinkerTest.FROZEN.shrink(a.shrunk(), world).shrunk()).isEqualTo(a.shrunk());
    }

    @Property(tries = 200)
    void theAttemptBudgetIsNeverExceeded(@ForAll long seed,
            @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 2, max = 50) Integer> bounds,
            @ForAll Monotone kind, @ForAll @IntRange(max = 100) int percent, @ForAll @IntRange(max = 60) int cap) {
        ChoiceRecording original = recording(seed, bounds);
        Shrinker.Reproducer world = ShrinkerTest.world(ints(bounds), kind.of(original.values(), percent));
        int[] calls = {0};

        ShrinkResult result = ShrinkerTest.FROZEN.withAttemptsMax(cap).shrink(original, c -> {
            calls[0]++;
            return world.attempt(c);
        });

        assertThat(result.attempts()).isEqualTo(calls[0]).isLessThanOrEqualTo(cap);
        if (result.stop() == ShrinkResult.Stop.ATTEMPT_BUDGET) {
            assertThat(result.attempts()).isEqualTo(cap);
        } else {
            assertThat(result.stop()).isEqualTo(ShrinkResult.Stop.MINIMAL);
        }
        assertThat(world.attempt(result.shrunk())).isPresent();
    }
}
