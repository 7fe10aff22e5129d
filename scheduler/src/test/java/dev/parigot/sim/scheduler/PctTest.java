package dev.parigot.sim.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * PCT (priority-based scheduling with d-1 priority change points) and the default mix: picks
 * are always legal, a seed always makes the same picks, depth 1 runs one actor's events before
 * any other's, change points really reorder, and "mix" chooses random walk or a PCT depth per
 * seed. Bad names are refused with the forms that work.
 */
class PctTest {

    /** Candidates as the kernel shows them: each pending event's actor, in canonical order. */
    record Pending(List<Integer> actors) implements Candidates {
        @Override
        public int size() {
            return actors.size();
        }

        @Override
        public int actor(int index) {
            return actors.get(index);
        }
    }

    /**
     * Runs a queue of events (one actor each, in canonical order) to the end under
     * {@code strategy}: each step removes the picked event. Returns the events in run order.
     */
    static List<Integer> drain(Strategy strategy, List<Integer> actorsInOrder, long seed) {
        ChoiceStream choices = ChoiceSource.seeded().open(Seed.of(seed));
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < actorsInOrder.size(); i++) {
            ids.add(i);
        }
        List<Integer> order = new ArrayList<>();
        while (!ids.isEmpty()) {
            List<Integer> actors = ids.stream().map(actorsInOrder::get).toList();
            int pick = strategy.pick(new Pending(actors), choices);
            assertThat(pick).isBetween(0, ids.size() - 1);
            order.add(ids.remove(pick));
        }
        return order;
    }

    @Property(tries = 300)
    void pctAlwaysPicksACandidate(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5) int depth,
            @ForAll @Size(min = 1, max = 60) List<@IntRange(min = 0, max = 12) Integer> actors) {
        Strategy pct = Strategies.pct(depth, 20);
        ChoiceStream choices = ChoiceSource.seeded().open(Seed.of(seed));
        for (int step = 0; step < 100; step++) {
            int size = 1 + (step * 7) % actors.size();
            int pick = pct.pick(new Pending(actors.subList(0, size)), choices);
            assertThat(pick).isBetween(0, size - 1);
        }
    }

    @Property(tries = 200)
    void theSameSeedMakesTheSamePicks(@ForAll long seed, @ForAll @IntRange(min = 1, max = 4) int depth,
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 6) Integer> actors) {
        List<Integer> first = drain(Strategies.pct(depth, 30), actors, seed);
        List<Integer> second = drain(Strategies.pct(depth, 30), actors, seed);
        assertThat(second).isEqualTo(first);
    }

    @Property(tries = 300)
    void depthOneRunsAllOfAnActorsEventsBeforeAnyOtherActorsAndInTheirOrder(@ForAll long seed,
            @ForAll @Size(min = 1, max = 40) List<@IntRange(min = 0, max = 5) Integer> actors) {
        List<Integer> order = drain(Strategies.pct(1, 1_000), actors, seed);
        // Grouped by actor: once an actor's run ends it never comes back (fixed priorities).
        List<Integer> actorRuns = new ArrayList<>();
        for (int id : order) {
            int actor = actors.get(id);
            if (actorRuns.isEmpty() || actorRuns.get(actorRuns.size() - 1) != actor) {
                assertThat(actorRuns).as("actor %d runs again after another actor ran", actor).doesNotContain(actor);
                actorRuns.add(actor);
            }
        }
        // Within one actor, its events run in canonical order (earliest first).
        for (int actor : actorRuns) {
            List<Integer> mine = order.stream().filter(id -> actors.get(id) == actor).toList();
            assertThat(mine).isSorted();
        }
    }

    @Test
    void depthOneGivesEachSeedItsOwnFixedActorOrder() {
        Set<List<Integer>> orders = new LinkedHashSet<>();
        List<Integer> actors = List.of(0, 1, 2, 0, 1, 2);
        for (long seed = 0; seed < 100; seed++) {
            List<Integer> order = drain(Strategies.pct(1, 1_000), actors, seed);
            orders.add(order.stream().map(actors::get).distinct().toList());
        }
        // Every one of the 3! actor orders is some seed's priority order.
        assertThat(orders).hasSize(6);
    }

    @Test
    void aChangePointDemotesTheRunningActorSoTheOrderChanges() {
        // Three actors always ready; depth 1 would run one actor forever. With depth 2 the change
        // point, among the first 5 steps, hands the CPU to another actor for good.
        int switched = 0;
        for (long seed = 0; seed < 200; seed++) {
            Strategy pct = Strategies.pct(2, 5);
            ChoiceStream choices = ChoiceSource.seeded().open(Seed.of(seed));
            List<Integer> picked = new ArrayList<>();
            for (int step = 0; step < 10; step++) {
                picked.add(pct.pick(new Pending(List.of(0, 1, 2)), choices));
            }
            int changes = 0;
            for (int i = 1; i < picked.size(); i++) {
                changes += picked.get(i).equals(picked.get(i - 1)) ? 0 : 1;
            }
            assertThat(changes).as("seed %d picked %s", seed, picked).isLessThanOrEqualTo(1);
            switched += changes;
            Strategy flat = Strategies.pct(1, 5);
            ChoiceStream flatChoices = ChoiceSource.seeded().open(Seed.of(seed));
            List<Integer> flatPicked = new ArrayList<>();
            for (int step = 0; step < 10; step++) {
                flatPicked.add(flat.pick(new Pending(List.of(0, 1, 2)), flatChoices));
            }
            assertThat(flatPicked.stream().distinct()).hasSize(1);
        }
        // The change point may fall on step 1 (before anything ran): then the order looks fixed.
        assertThat(switched).isBetween(120, 200);
    }

    @Test
    void deeperPctExploresMoreInterleavingsThanDepthOne() {
        List<Integer> actors = List.of(0, 1, 0, 1, 0, 1, 0, 1);
        Set<List<Integer>> flat = new LinkedHashSet<>();
        Set<List<Integer>> deep = new LinkedHashSet<>();
        for (long seed = 0; seed < 300; seed++) {
            flat.add(drain(Strategies.pct(1, 8), actors, seed));
            deep.add(drain(Strategies.pct(3, 8), actors, seed));
        }
        assertThat(flat).hasSize(2);
        assertThat(deep).hasSizeGreaterThan(6);
    }

    @Test
    void mixPicksRandomWalkOrAPctDepthPerSeed() {
        Set<String> names = new LinkedHashSet<>();
        for (long seed = 0; seed < 100; seed++) {
            Strategy mix = Strategies.mix();
            assertThat(mix.name()).isEqualTo("mix");
            ChoiceStream choices = ChoiceSource.seeded().open(Seed.of(seed));
            mix.pick(new Pending(List.of(0, 1)), choices);
            String chosen = mix.name();
            assertThat(chosen).isIn("mix/random", "mix/pct:1", "mix/pct:2", "mix/pct:3");
            names.add(chosen);

            Strategy again = Strategies.mix();
            again.pick(new Pending(List.of(0, 1)), ChoiceSource.seeded().open(Seed.of(seed)));
            assertThat(again.name()).as("seed %d", seed).isEqualTo(chosen);
        }
        assertThat(names).containsExactlyInAnyOrder("mix/random", "mix/pct:1", "mix/pct:2", "mix/pct:3");
    }

    @Property(tries = 100)
    void mixMakesTheSamePicksForTheSameSeed(@ForAll long seed,
            @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 4) Integer> actors) {
        assertThat(drain(Strategies.mix(), actors, seed)).isEqualTo(drain(Strategies.mix(), actors, seed));
    }

    @Test
    void pctNamesCarryTheirDepthAndParseBack() {
        assertThat(Strategies.named("pct").name()).isEqualTo("pct:3");
        assertThat(Strategies.named("pct:1").name()).isEqualTo("pct:1");
        assertThat(Strategies.named(" PCT:7 ").name()).isEqualTo("pct:7");
        assertThat(Strategies.named("pct:100").name()).isEqualTo("pct:100");
        assertThat(Strategies.named("mix").name()).isEqualTo("mix");
        assertThat(Strategies.pct(4, 10).name()).isEqualTo("pct:4");
        assertThat(Strategies.NAMES).contains("pct", "pct:<depth>", "mix");
    }

    @Test
    void badPctNamesAreRefusedShowingTheFormThatWorks() {
        for (String bad : List.of("pct:0", "pct:x", "pct:", "pct:-2", "pct:101", "pct:3.5")) {
            assertThatThrownBy(() -> Strategies.named(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'" + bad + "' is not a PCT strategy: write pct:<depth> with a depth from 1 to 100,"
                            + " e.g. pct:3");
        }
        assertThatThrownBy(() -> Strategies.pct(0, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PCT depth must be at least 1, got 0");
        assertThatThrownBy(() -> Strategies.pct(2, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PCT steps must be at least 1, got 0");
    }
}
