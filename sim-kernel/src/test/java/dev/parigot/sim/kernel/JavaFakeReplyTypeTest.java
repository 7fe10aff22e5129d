package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parigot.sim.kernel.storage.v1.ReadReply;
import dev.parigot.sim.kernel.storage.v1.ReadRequest;
import dev.parigot.sim.kernel.storage.v1.StorageOuterClass;
import dev.parigot.sim.kernel.storage.v1.WriteReply;
import org.junit.jupiter.api.Test;

/** A Java fake typed from its .proto may only reply with each method's declared output type. */
class JavaFakeReplyTypeTest {
    static JavaService fake(boolean wrongType) {
        return JavaService.builder(StorageOuterClass.getDescriptor().findServiceByName("Storage"))
                .method("Read", ReadRequest.parser(), (req, call) -> call.reply(wrongType
                        ? WriteReply.getDefaultInstance() : ReadReply.newBuilder().setFound(false).build()))
                .build();
    }

    @Test
    void aReplyOfTheWrongMessageTypeFailsTheWorldNamingTheMethodAndBothTypes() {
        Sim sim = Sim.create(Guests.config(1).build());
        sim.add("disk", fake(true));
        TestClient client = sim.client("client");
        assertThatThrownBy(() -> sim.await(client.call("parigot.storage.v1.Storage", "Read",
                ReadRequest.newBuilder().setKey("k").build(), ReadReply.parser())))
                .isInstanceOf(SimFailureException.class);
        SimFailure failure = sim.failure().orElseThrow();
        assertThat(failure.kind()).isEqualTo(FailureKind.TEST_CODE);
        assertThat(failure.reason()).contains("parigot.storage.v1.Storage/Read replied with a"
                + " parigot.storage.v1.WriteReply, but its .proto declares that Read returns"
                + " parigot.storage.v1.ReadReply; reply with that type");
    }

    @Test
    void aReplyOfTheDeclaredTypeIsAccepted() {
        Sim sim = Sim.create(Guests.config(1).build());
        sim.add("disk", fake(false));
        TestClient client = sim.client("client");
        ReadReply reply = sim.await(client.call("parigot.storage.v1.Storage", "Read",
                ReadRequest.newBuilder().setKey("k").build(), ReadReply.parser()));
        assertThat(reply.getFound()).isFalse();
    }
}
