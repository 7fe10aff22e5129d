package dev.parigot.sim.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.parigot.sim.kernel.Status;
import dev.parigot.sim.samples.shop.v1.GetRecordRequest;
import dev.parigot.sim.samples.shop.v1.Record;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One unit serving the shop's AssemblyScript catalog over gRPC on loopback, called with raw bytes. */
class UnitHostGrpcTest {
    static final List<String> LOG = Collections.synchronizedList(new ArrayList<>());
    static UnitHost unit;
    static ManagedChannel channel;

    @BeforeAll
    static void start() {
        unit = UnitHost.builder("catalog").node(UnitNode.of(Modules.CATALOG, "catalog")).log(LOG::add).start();
        channel = Modules.channel(unit.target());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        Modules.close(channel);
        unit.close();
    }

    @Test
    void aGrpcClientWithAByteMarshallerGetsTheRecordFromTheGuest() throws Exception {
        byte[] reply = Modules.call(channel, "shop.v1.Catalog/Get",
                GetRecordRequest.newBuilder().setSku("columbia-8163").build().toByteArray());

        assertThat(Record.parseFrom(reply)).isEqualTo(Record.newBuilder().setSku("columbia-8163")
                .setTitle("Kind of Blue").setArtist("Miles Davis").setPriceCents(3900).build());
        assertThat(unit.target()).startsWith("127.0.0.1:");
        assertThat(unit.exports()).containsExactly("shop.v1.Catalog");
    }

    @Test
    void theGuestsStatusCrossesTheWireAsTheGrpcCodeOfTheSameNumber() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> Modules.call(channel,
                "shop.v1.Catalog/Get", GetRecordRequest.newBuilder().setSku("no-such-sku").build().toByteArray()));

        assertThat(e.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.NOT_FOUND);
    }

    @Test
    void theStandardHealthServiceSaysServingForTheUnitAndEachServiceItExports() {
        io.grpc.health.v1.HealthGrpc.HealthBlockingStub health = io.grpc.health.v1.HealthGrpc.newBlockingStub(channel);

        assertThat(health.check(io.grpc.health.v1.HealthCheckRequest.getDefaultInstance()).getStatus())
                .isEqualTo(io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
        assertThat(health.check(io.grpc.health.v1.HealthCheckRequest.newBuilder().setService("shop.v1.Catalog")
                .build()).getStatus()).isEqualTo(io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
        StatusRuntimeException unknown = catchThrowableOfType(StatusRuntimeException.class, () -> health.check(
                io.grpc.health.v1.HealthCheckRequest.newBuilder().setService("shop.v1.Vault").build()));
        assertThat(unknown.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.NOT_FOUND);
    }

    @Test
    void anUnknownMethodOrServiceIsUnimplemented() {
        StatusRuntimeException method = catchThrowableOfType(StatusRuntimeException.class,
                () -> Modules.call(channel, "shop.v1.Catalog/Steal", new byte[0]));
        StatusRuntimeException service = catchThrowableOfType(StatusRuntimeException.class,
                () -> Modules.call(channel, "shop.v1.Vault/Open", new byte[0]));

        assertThat(method.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNIMPLEMENTED);
        assertThat(service.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNIMPLEMENTED);
    }

    @Test
    void parigotAndGrpcStatusesShareTheNumbers0To16BothWays() {
        assertThat(Status.values()).hasSize(io.grpc.Status.Code.values().length).hasSize(17);
        for (Status s : Status.values()) {
            io.grpc.Status.Code code = GrpcStatus.toGrpc(s).getCode();
            assertThat(code.value()).isEqualTo(s.code());
            assertThat(code.name()).isEqualTo(s.name());
            assertThat(GrpcStatus.fromGrpc(code)).isEqualTo(s);
        }
    }
}
