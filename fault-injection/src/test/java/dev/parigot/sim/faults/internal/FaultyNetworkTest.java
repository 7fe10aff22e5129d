package dev.parigot.sim.faults.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.faults.InjectedFault;
import dev.parigot.sim.faults.Latency;
import dev.parigot.sim.faults.Message;
import dev.parigot.sim.faults.NetworkModel;
import dev.parigot.sim.faults.internal.FaultyNetwork;
import dev.parigot.sim.faults.internal.LinkState;
import dev.parigot.sim.scheduler.ChoiceSource;
import dev.parigot.sim.scheduler.ChoiceStream;
import dev.parigot.sim.scheduler.Seed;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The faulty network decides each message's fate: lost to a partition or a drop, held back by a
 * clog, delivered in its latency window, perhaps twice. Partitions are directed; healing removes
 * them all; reordering only turns off the per-link FIFO promise.
 */
class FaultyNetworkTest {

    record Msg(int sourceIndex, int targetIndex) implements Message {
        @Override
        public Kind messageKind() {
            return Kind.CALL;
        }

        @Override
        public long callId() {
            return 1;
        }

        @Override
        public String source() {
            return "n" + sourceIndex;
        }

        @Override
        public String target() {
            return "n" + targetIndex;
        }

        @Override
        public String service() {
            return "test.v1.Echo";
        }

        @Override
        public String method() {
            return "Echo";
        }

        @Override
        public int payloadBytes() {
            return 0;
        }

        @Override
        public int status() {
            return 0;
        }
    }

    /** What the network did with one message. */
    static final class Fate implements NetworkModel.Deliveries {
        final List<long[]> windows = new ArrayList<>();
        final List<String> drops = new ArrayList<>();

        @Override
        public void deliver(long earliestNanos, long latestNanos) {
            windows.add(new long[] {earliestNanos, latestNanos});
        }

        @Override
        public void dropped(InjectedFault.Kind kind, String why) {
            drops.add(kind + " " + why);
        }
    }

    static Fate send(NetworkModel network, int from, int to, long now, ChoiceStream choices) {
        Fate fate = new Fate();
        network.transmit(new Msg(from, to), now, choices, fate);
        return fate;
    }

    static ChoiceStream stream(long seed) {
        return ChoiceSource.seeded().recorded().open(Seed.of(seed));
    }

    @Test
    void aPartitionDropsMessagesBetweenItsSidesOnlyInTheBlockedDirection() {
        LinkState links = new LinkState();
        NetworkModel network = new FaultyNetwork(
                FaultProfile.builder().network(n -> n.reorder(true)).build().network(), links);
        ChoiceStream choices = stream(1);
        links.block(new int[] {0}, new int[] {1, 2});
        assertThat(links.partitioned()).isTrue();

        assertThat(send(network, 0, 1, 0, choices).drops).containsExactly("DROP partition");
        assertThat(send(network, 0, 2, 0, choices).drops).containsExactly("DROP partition");
        assertThat(send(network, 1, 0, 0, choices).windows).hasSize(1);
        assertThat(send(network, 1, 2, 0, choices).windows).hasSize(1);

        links.heal();
        assertThat(links.partitioned()).isFalse();
        assertThat(send(network, 0, 1, 0, choices).windows).hasSize(1);
    }

    @Test
    void aNodeIsNeverPartitionedFromItself() {
        LinkState links = new LinkState();
        links.block(new int[] {0, 1}, new int[] {1, 2});
        assertThat(links.blocked(1, 1)).isFalse();
        assertThat(links.blocked(0, 1)).isTrue();
        assertThat(links.blocked(1, 2)).isTrue();
        assertThat(links.blocked(2, 1)).isFalse();
        assertThat(links.blocked(7, 9)).as("nodes it never heard of").isFalse();
    }

    @Test
    void aClogHoldsMessagesToAndFromTheNodeUntilItClears() {
        LinkState links = new LinkState();
        NetworkModel network = new FaultyNetwork(
                FaultProfile.builder().network(n -> n.latency(Latency.fixed(100)).reorder(true)).build().network(), links);
        ChoiceStream choices = stream(2);
        links.clogNode(1, 5_000);
        assertThat(send(network, 0, 1, 1_000, choices).windows.get(0)).containsExactly(5_100, 5_100);
        assertThat(send(network, 1, 2, 1_000, choices).windows.get(0)).containsExactly(5_100, 5_100);
        assertThat(send(network, 0, 2, 1_000, choices).windows.get(0)).containsExactly(1_100, 1_100);
        assertThat(send(network, 0, 1, 6_000, choices).windows.get(0)).as("after the clog")
                .containsExactly(6_100, 6_100);
        links.clogLink(2, 0, 9_000);
        links.clogNode(1, 100); // an earlier end never shortens a clog
        assertThat(send(network, 2, 0, 1_000, choices).windows.get(0)).containsExactly(9_100, 9_100);
        assertThat(send(network, 0, 2, 1_000, choices).windows.get(0)).containsExactly(1_100, 1_100);
        assertThat(links.clearFrom(0, 1, 1_000)).isEqualTo(5_000);
    }

    @Property(tries = 50)
    void dropsAndDuplicatesHappenAboutAsOftenAsConfigured(@ForAll long seed) {
        NetworkModel network = new FaultyNetwork(FaultProfile.builder()
                .network(n -> n.drop(0.2).duplicate(0.3)).build().network(), new LinkState());
        ChoiceStream choices = stream(seed);
        int lost = 0;
        int twice = 0;
        int n = 5_000;
        for (int i = 0; i < n; i++) {
            Fate fate = send(network, 0, 1, 0, choices);
            if (!fate.drops.isEmpty()) {
                assertThat(fate.drops).containsExactly("DROP lost");
                assertThat(fate.windows).isEmpty();
                lost++;
            } else {
                assertThat(fate.windows).hasSizeBetween(1, 2);
                twice += fate.windows.size() - 1;
            }
        }
        assertThat(lost).isBetween(1_000 - 150, 1_000 + 150);
        assertThat(twice).isBetween(1_200 - 170, 1_200 + 170); // 30% of the 80% delivered
    }

    @Property(tries = 50)
    void everyWindowLiesWithinTheLatencyAfterNow(@ForAll long seed) {
        NetworkModel network = new FaultyNetwork(FaultProfile.builder()
                .network(n -> n.latency(Latency.longTail(1_000, 2_000, 0.2, 50_000))
                        .duplicate(0.5)).build().network(), new LinkState());
        ChoiceStream choices = stream(seed);
        for (int i = 0; i < 200; i++) {
            for (long[] w : send(network, 0, 1, 7_000, choices).windows) {
                assertThat(w[0]).isBetween(8_000L, 57_000L);
                assertThat(w[1]).isBetween(w[0], 57_000L);
            }
        }
    }

    @Test
    void reorderingTurnsOffFifoLinks() {
        assertThat(new FaultyNetwork(FaultProfile.builder()
                .network(n -> n.drop(0.1)).build().network(), new LinkState()).fifoLinks()).isTrue();
        assertThat(new FaultyNetwork(FaultProfile.builder()
                .network(n -> n.reorder(true)).build().network(), new LinkState()).fifoLinks()).isFalse();
        assertThat(NetworkModel.defaultModel().fifoLinks()).isTrue();
        assertThat(new FaultyNetwork(FaultProfile.builder()
                .network(n -> n.reorder(true).drop(0.5)).build().network(), new LinkState()).describe())
                .isEqualTo("latency 100.0 µs to 1.0 ms, drop 0.5000, reorder");
    }

    @Test
    void linkFaultsInFrontOfAnotherNetworkKeepItsLatencyAndOrder() {
        LinkState links = new LinkState();
        NetworkModel base = NetworkModel.latency(5_000, 7_000);
        NetworkModel network = FaultyNetwork.withLinks(base, links);
        ChoiceStream choices = stream(4);
        assertThat(send(network, 0, 1, 100, choices).windows.get(0)).containsExactly(5_100, 7_100);
        links.block(new int[] {0}, new int[] {1});
        assertThat(send(network, 0, 1, 100, choices).drops).containsExactly("DROP partition");
        assertThat(send(network, 1, 0, 100, choices).windows.get(0)).containsExactly(5_100, 7_100);
        links.heal();
        links.clogNode(1, 1_000);
        assertThat(send(network, 0, 1, 100, choices).windows.get(0)).containsExactly(6_000, 8_000);
        assertThat(network.fifoLinks()).isTrue();
        assertThat(network.describe()).isEqualTo(base.describe());
        assertThat(choices.position()).isZero();
    }

    @Test
    void aNetworkWithoutFaultsDrawsNothing() {
        NetworkModel network = new FaultyNetwork(FaultProfile.NONE.network(), new LinkState());
        ChoiceStream choices = stream(3);
        for (int i = 0; i < 100; i++) {
            assertThat(send(network, 0, 1, 0, choices).windows).hasSize(1);
        }
        assertThat(choices.position()).isZero();
    }
}
