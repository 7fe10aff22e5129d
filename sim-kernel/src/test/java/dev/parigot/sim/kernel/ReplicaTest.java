package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Several nodes of one module: `service@node` reaches one replica, the plain name one chosen by the seed. */
class ReplicaTest {
    static final GuestModule ECHO = Guests.load("echo");

    static Sim threeEchoes(long seed) {
        return Sim.create(Guests.config(seed).build())
                .add(ECHO, NodeOptions.named("e1"))
                .add(ECHO, NodeOptions.named("e2"))
                .add(ECHO, NodeOptions.named("e3"));
    }

    static List<String> callTargets(Sim sim) {
        List<String> targets = new ArrayList<>();
        for (TraceStep s : sim.trace().last(Integer.MAX_VALUE)) {
            if (s.kind() == StepKind.CALL) {
                targets.add(s.target());
            }
        }
        return targets;
    }

    @Test
    void replicasOfOneModuleEachExportTheService() {
        Sim sim = threeEchoes(1);
        sim.boot();

        assertThat(sim.nodes()).containsExactly("e1", "e2", "e3");
        for (String node : List.of("e1", "e2", "e3")) {
            assertThat(sim.exportsOf(node)).containsExactly("test.v1.Echo");
        }
    }

    @Test
    void serviceAtNodeReachesThatReplicaOnly() {
        for (long seed = 1; seed <= 5; seed++) {
            Sim sim = threeEchoes(seed);
            TestClient client = sim.client("client");
            List<SimFuture<byte[]>> replies = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                replies.add(client.call("test.v1.Echo@e2", "Echo", new byte[] {(byte) i}));
            }
            sim.run();

            for (int i = 0; i < 6; i++) {
                assertThat(replies.get(i).get()).containsExactly(i);
            }
            assertThat(callTargets(sim)).as("seed %d", seed).hasSize(6).containsOnly("e2");
            // The callee sees the plain service name (the SDK routes `service@node` by it too).
            assertThat(sim.trace().last(100)).filteredOn(s -> s.kind() == StepKind.CALL)
                    .allSatisfy(s -> assertThat(s.method()).isEqualTo("test.v1.Echo/Echo"));
        }
    }

    @Test
    void plainNameIsSpreadOverEveryReplica() {
        Sim sim = threeEchoes(7);
        TestClient client = sim.client("client");
        for (int i = 0; i < 30; i++) {
            client.call("test.v1.Echo", "Echo", new byte[0]);
        }
        sim.run();

        assertThat(callTargets(sim)).hasSize(30).contains("e1", "e2", "e3");
    }

    @Test
    void replicaChosenForThePlainNameDependsOnTheSeed() {
        Set<String> firstTargets = new LinkedHashSet<>();
        for (long seed = 1; seed <= 20; seed++) {
            Sim sim = threeEchoes(seed);
            sim.await(sim.client("client").call("test.v1.Echo", "Echo", new byte[0]));
            firstTargets.add(callTargets(sim).get(0));
            // ... and is the same when the seed is run again.
            Sim again = threeEchoes(seed);
            again.await(again.client("client").call("test.v1.Echo", "Echo", new byte[0]));
            assertThat(callTargets(again)).isEqualTo(callTargets(sim));
        }

        assertThat(firstTargets).as("replicas reached by the first call over 20 seeds")
                .containsExactlyInAnyOrder("e1", "e2", "e3");
    }

    @Test
    void unknownReplicaGivesNotFoundNamingTheNodeAndService() {
        Sim sim = threeEchoes(1);
        TestClient client = sim.client("client");

        SimFuture<byte[]> reply = client.call("test.v1.Echo@e9", "Echo", new byte[0]);

        assertThat(reply.isDone()).as("refused at once, no message sent").isTrue();
        assertThat(reply.status()).isEqualTo(Status.NOT_FOUND);
        assertThat(reply.detail()).isEqualTo("no node 'e9' exports test.v1.Echo");
        assertThatThrownBy(reply::get)
                .isInstanceOf(SimFuture.CallFailedException.class)
                .hasMessage("call failed with status NOT_FOUND: no node 'e9' exports test.v1.Echo");
        sim.run();
        assertThat(callTargets(sim)).isEmpty();
    }

    @Test
    void nodeThatDoesNotExportTheServiceIsNotFoundEvenIfItExists() {
        Sim sim = threeEchoes(1).add(Guests.load("hang"));
        TestClient client = sim.client("client");

        SimFuture<byte[]> reply = client.call("test.v1.Echo@hang", "Echo", new byte[0]);

        assertThat(reply.status()).isEqualTo(Status.NOT_FOUND);
        assertThat(reply.detail()).isEqualTo("no node 'hang' exports test.v1.Echo");
    }

    @Test
    void unknownServiceGivesNotFound() {
        Sim sim = threeEchoes(1);

        SimFuture<byte[]> reply = sim.client("client").call("nope.v1.Nothing", "X", new byte[0]);

        assertThat(reply.status()).isEqualTo(Status.NOT_FOUND);
        assertThat(reply.detail()).isEqualTo("no node exports nope.v1.Nothing");
    }

    @Test
    void nodeNamesThatWouldBreakAddressingAreRefused() {
        assertThatThrownBy(() -> NodeOptions.named("e@1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'e@1' is not a node name")
                .hasMessageContaining("without '@' or '/'");
        assertThatThrownBy(() -> NodeOptions.named(" "))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NodeOptions.named("w2").env("PARIGOT_NODE", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PARIGOT_NODE is set by the kernel");
    }
}
