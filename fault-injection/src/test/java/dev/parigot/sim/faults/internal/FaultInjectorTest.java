package dev.parigot.sim.faults.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.faults.internal.FaultInjector;
import dev.parigot.sim.faults.internal.FaultTarget;
import dev.parigot.sim.scheduler.ChoiceSource;
import dev.parigot.sim.scheduler.ChoiceStream;
import dev.parigot.sim.scheduler.Seed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The random process faults, partitions and clogs decided at each tick, against a fake world
 * that records what it was asked to do: nothing with no profile, only faultable nodes as
 * victims, durations within their ranges, partitions that split the world in two, and the same
 * decisions for the same seed.
 */
class FaultInjectorTest {

    /** A world of {@code size} nodes, of which those in {@code faultable} may be hit; records every request. */
    static final class FakeWorld implements FaultTarget {
        final int size;
        final boolean[] faultable;
        boolean partitioned;
        final List<String> actions = new ArrayList<>();

        FakeWorld(int size, int... faultableNodes) {
            this.size = size;
            this.faultable = new boolean[size];
            for (int n : faultableNodes) {
                faultable[n] = true;
            }
        }

        @Override
        public int nodeCount() {
            return size;
        }

        @Override
        public boolean faultable(int node) {
            return faultable[node];
        }

        @Override
        public boolean partitioned() {
            return partitioned;
        }

        @Override
        public void crash(int node, long restartAfterNanos) {
            actions.add("crash " + node + " " + restartAfterNanos);
        }

        @Override
        public void pause(int node, long forNanos) {
            actions.add("pause " + node + " " + forNanos);
        }

        @Override
        public void partition(int[] sideA, int[] sideB, boolean oneWay, long forNanos) {
            actions.add("partition " + Arrays.toString(sideA) + (oneWay ? " -> " : " <-> ") + Arrays.toString(sideB)
                    + " " + forNanos);
            partitioned = true;
        }

        @Override
        public void clog(int node, long forNanos) {
            actions.add("clog " + node + " " + forNanos);
        }
    }

    static final Duration MS = Duration.ofMillis(1);

    static FaultProfile everything(double perTick) {
        return FaultProfile.builder()
                .process(p -> p.crashes(perTick).restartDelay(Duration.ofMillis(1), Duration.ofMillis(5))
                        .pauses(perTick).pauseDuration(Duration.ofMillis(2), Duration.ofMillis(6)))
                .network(n -> n.partitions(perTick).partitionDuration(Duration.ofMillis(10), Duration.ofMillis(20))
                        .clogging(perTick).clogDuration(Duration.ofMillis(3), Duration.ofMillis(4)))
                .build();
    }

    static List<String> run(FaultProfile profile, long seed, int ticks, FakeWorld world) {
        FaultInjector injector = new FaultInjector(profile);
        ChoiceStream choices = ChoiceSource.seeded().recorded().open(Seed.of(seed));
        for (int i = 0; i < ticks; i++) {
            injector.tick(world, choices);
            world.partitioned = false; // healed between ticks
        }
        return world.actions;
    }

    @Property(tries = 50)
    void noProfileMeansNothingHappensAndNothingIsDrawn(@ForAll long seed) {
        FakeWorld world = new FakeWorld(4, 0, 1, 2, 3);
        FaultInjector injector = new FaultInjector(FaultProfile.NONE);
        ChoiceStream choices = ChoiceSource.seeded().recorded().open(Seed.of(seed));
        for (int i = 0; i < 100; i++) {
            injector.tick(world, choices);
        }
        assertThat(world.actions).isEmpty();
        assertThat(choices.position()).isZero();
    }

    @Property(tries = 100)
    void theSameSeedMakesTheSameDecisions(@ForAll long seed) {
        List<String> first = run(everything(0.3), seed, 50, new FakeWorld(5, 1, 2, 4));
        List<String> second = run(everything(0.3), seed, 50, new FakeWorld(5, 1, 2, 4));
        assertThat(second).isEqualTo(first);
    }

    @Test
    void differentSeedsMakeDifferentDecisions() {
        List<List<String>> runs = new ArrayList<>();
        for (long seed = 0; seed < 20; seed++) {
            runs.add(run(everything(0.3), seed, 50, new FakeWorld(5, 1, 2, 4)));
        }
        assertThat(runs.stream().distinct().count()).isEqualTo(20);
    }

    @Property(tries = 100)
    void victimsAreFaultableAndDurationsWithinTheirRanges(@ForAll long seed) {
        List<String> actions = run(everything(1.0), seed, 20, new FakeWorld(6, 1, 3, 4));
        assertThat(actions).isNotEmpty();
        for (String action : actions) {
            String[] word = action.split(" ");
            switch (word[0]) {
                case "crash" -> {
                    assertThat(word[1]).isIn("1", "3", "4");
                    assertThat(Long.parseLong(word[2])).isBetween(1_000_000L, 5_000_000L);
                }
                case "pause" -> {
                    assertThat(word[1]).isIn("1", "3", "4");
                    assertThat(Long.parseLong(word[2])).isBetween(2_000_000L, 6_000_000L);
                }
                case "clog" -> {
                    assertThat(word[1]).isIn("1", "3", "4");
                    assertThat(Long.parseLong(word[2])).isBetween(3_000_000L, 4_000_000L);
                }
                case "partition" -> assertThat(Long.parseLong(word[word.length - 1])).isBetween(10_000_000L,
                        20_000_000L);
                default -> throw new AssertionError("unexpected action " + action);
            }
        }
        // Probability 1: each tick crashes, pauses and clogs once.
        assertThat(actions.stream().filter(a -> a.startsWith("crash"))).hasSize(20);
        assertThat(actions.stream().filter(a -> a.startsWith("pause"))).hasSize(20);
        assertThat(actions.stream().filter(a -> a.startsWith("clog"))).hasSize(20);
    }

    @Test
    void withNoFaultableNodeNoProcessFaultHappens() {
        List<String> actions = run(FaultProfile.builder()
                .process(p -> p.crashes(1).restartDelay(MS, MS).pauses(1).pauseDuration(MS, MS))
                .network(n -> n.clogging(1).clogDuration(MS, MS))
                .build(), 9, 20, new FakeWorld(3));
        assertThat(actions).isEmpty();
    }

    @Property(tries = 200)
    void aPartitionSplitsEveryNodeIntoTwoNonEmptySides(@ForAll long seed) {
        FakeWorld world = new FakeWorld(5);
        List<int[][]> splits = new ArrayList<>();
        FaultTarget recorder = new FaultTarget() {
            @Override
            public int nodeCount() {
                return world.nodeCount();
            }

            @Override
            public boolean faultable(int node) {
                return false;
            }

            @Override
            public boolean partitioned() {
                return false;
            }

            @Override
            public void crash(int node, long restartAfterNanos) {
            }

            @Override
            public void pause(int node, long forNanos) {
            }

            @Override
            public void partition(int[] sideA, int[] sideB, boolean oneWay, long forNanos) {
                splits.add(new int[][] {sideA, sideB});
            }

            @Override
            public void clog(int node, long forNanos) {
            }
        };
        FaultInjector injector = new FaultInjector(FaultProfile.builder()
                .network(n -> n.partitions(1).partitionDuration(MS, MS)).build());
        ChoiceStream choices = ChoiceSource.seeded().recorded().open(Seed.of(seed));
        for (int i = 0; i < 10; i++) {
            injector.tick(recorder, choices);
        }
        // Each tick splits 5 nodes at random; both sides empty of one is 2 in 32, so most ticks partition.
        assertThat(splits).isNotEmpty();
        for (int[][] split : splits) {
            assertThat(split[0]).isNotEmpty();
            assertThat(split[1]).isNotEmpty();
            int[] all = new int[split[0].length + split[1].length];
            System.arraycopy(split[0], 0, all, 0, split[0].length);
            System.arraycopy(split[1], 0, all, split[0].length, split[1].length);
            Arrays.sort(all);
            assertThat(all).containsExactly(0, 1, 2, 3, 4);
        }
    }

    @Test
    void noNewPartitionWhileTheWorldIsPartitioned() {
        FakeWorld world = new FakeWorld(4);
        world.partitioned = true;
        FaultInjector injector = new FaultInjector(FaultProfile.builder()
                .network(n -> n.partitions(1).partitionDuration(MS, MS)).build());
        ChoiceStream choices = ChoiceSource.seeded().recorded().open(Seed.of(1));
        for (int i = 0; i < 20; i++) {
            injector.tick(world, choices);
        }
        assertThat(world.actions).isEmpty();
    }

    @Test
    void bothOneWayAndTwoWayPartitionsHappen() {
        List<String> actions = run(FaultProfile.builder()
                .network(n -> n.partitions(1).partitionDuration(MS, MS)).build(), 4, 200, new FakeWorld(4));
        assertThat(actions).anyMatch(a -> a.contains(" -> ")).anyMatch(a -> a.contains(" <-> "));
    }

    @Test
    void aFaultAtProbabilityAHalfHappensOnAboutHalfTheTicks() {
        List<String> actions = run(FaultProfile.builder()
                .process(p -> p.crashes(0.5).restartDelay(MS, MS)).build(), 21, 2_000,
                new FakeWorld(3, 0, 1, 2));
        assertThat(actions).hasSizeBetween(900, 1_100);
        for (int node = 0; node < 3; node++) {
            String prefix = "crash " + node + " ";
            assertThat(actions.stream().filter(a -> a.startsWith(prefix)).count()).as("victim " + node)
                    .isBetween(250L, 420L);
        }
    }
}
