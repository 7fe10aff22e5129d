package dev.parigot.sim.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class StrategiesTest {

    record Fixed(int size) implements Candidates {
        @Override
        public int actor(int index) {
            return index;
        }
    }

    @Test
    void fifoAlwaysPicksTheFirstAndDrawsNothing() {
        Strategy fifo = Strategies.fifo();
        ChoiceStream choices = ChoiceSource.seeded().open(Seed.of(9));
        for (int i = 1; i < 10; i++) {
            assertThat(fifo.pick(new Fixed(i), choices)).isZero();
        }
        assertThat(choices.position()).isZero();
    }

    @Property
    void replayOfARandomWalkMakesTheSamePicks(@ForAll long seed, @ForAll @IntRange(min = 1, max = 50) int width) {
        Strategy walk = Strategies.randomWalk();
        ChoiceStream choices = ChoiceSource.seeded().recorded().open(Seed.of(seed));
        int[] picks = new int[40];
        for (int i = 0; i < picks.length; i++) {
            picks[i] = walk.pick(new Fixed(1 + (i * 7 + width) % width), choices);
        }
        Strategy again = Strategies.randomWalk();
        ChoiceStream replayed = ChoiceSource.replay(choices.recording()).open(Seed.of(seed + 1));
        for (int i = 0; i < picks.length; i++) {
            assertThat(again.pick(new Fixed(1 + (i * 7 + width) % width), replayed)).isEqualTo(picks[i]);
        }
        assertThat(((ReplayedChoices) replayed).divergence()).isEmpty();
    }

    @Test
    void randomWalkVisitsEveryCandidate() {
        Strategy walk = Strategies.randomWalk();
        ChoiceStream choices = ChoiceSource.seeded().open(Seed.of(1));
        boolean[] seen = new boolean[5];
        for (int i = 0; i < 200; i++) {
            seen[walk.pick(new Fixed(5), choices)] = true;
        }
        assertThat(seen).containsOnly(true);
    }

    @Test
    void unknownStrategyNameListsTheKnownOnes() {
        assertThat(Strategies.named("FIFO").name()).isEqualTo("fifo");
        assertThat(Strategies.named("random").name()).isEqualTo("random");
        assertThatThrownBy(() -> Strategies.named("pct9"))
                .hasMessage("unknown strategy 'pct9'; use one of [fifo, random, pct, pct:<depth>, mix]");
    }
}
