package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Replicas that require their own service are peers; Java services are told apart by object. */
class PeerTest {

    /** A peer that forwards "Hop" to the replica named in the payload, and answers "Here". */
    static JavaService peer() {
        return JavaService.builder("peer.v1.Peer")
                .requires("peer.v1.Peer")
                .rawMethod("Here", (bytes, call) -> call.reply(Status.OK,
                        call.context().node().getBytes(StandardCharsets.UTF_8)))
                .rawMethod("Hop", (bytes, call) -> call.context()
                        .call("peer.v1.Peer@" + new String(bytes, StandardCharsets.UTF_8), "Here", new byte[0])
                        .whenDone(r -> call.reply(r.status(), r.isOk() ? r.get() : new byte[0])))
                .build();
    }

    @Test
    void replicasThatRequireTheirOwnServiceBootAsPeersAndCallEachOther() {
        Sim sim = Sim.create(Guests.config(3).build());
        JavaService peer = peer();
        for (String name : List.of("p1", "p2", "p3")) {
            sim.add(name, peer);
        }
        TestClient client = sim.client("client");
        SimFuture<byte[]> reply = client.call("peer.v1.Peer@p1", "Hop", "p3".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(sim.await(reply), StandardCharsets.UTF_8)).isEqualTo("p3");
        List<String> path = new ArrayList<>();
        sim.trace().last(100).stream().filter(s -> s.kind() == StepKind.CALL)
                .forEach(s -> path.add(s.source() + "->" + s.target()));
        assertThat(path).containsExactly("client->p1", "p1->p3");
    }

    @Test
    void twoDifferentJavaServicesExportingOneNameFailBoot() {
        Sim sim = Sim.create(Guests.config(1).build());
        sim.add("a", peer());
        sim.add("b", peer());
        assertThatThrownBy(sim::boot)
                .isInstanceOf(SimFailureException.class)
                .hasMessageContaining("service peer.v1.Peer is exported by node 'a'")
                .hasMessageContaining("and by node 'b'")
                .hasMessageContaining("replicas of one service must run the same module");
    }

    @Test
    void aJavaReplyOverThePayloadLimitFailsTheWorldNamingTheLimit() {
        Sim sim = Sim.create(Guests.config(1).payloadBytesLimit(1024).build());
        sim.add("big", JavaService.builder("big.v1.Big")
                .rawMethod("Get", (bytes, call) -> call.reply(Status.OK, new byte[2048])).build());
        SimFuture<byte[]> reply = sim.client("client").call("big.v1.Big", "Get", new byte[0]);
        assertThatThrownBy(() -> sim.await(reply))
                .isInstanceOf(SimFailureException.class)
                .hasMessageContaining("replied to big.v1.Big/Get with 2,048 bytes, over the limit of 1,024 bytes");
        assertThat(sim.failure().orElseThrow().kind()).isEqualTo(FailureKind.TEST_CODE);
    }
}
