package dev.parigot.sim.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnknownFieldSet;
import dev.parigot.sim.kernel.JavaService;
import dev.parigot.sim.kernel.Status;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A unit's virtual time is the wall clock's time since boot: the Rust SDK's counter example
 * answers Remind after a guest timer of delay_ms, and reports the guest's now_ns when it fired.
 */
class WallClockTest {
    static UnitHost unit;
    static ManagedChannel channel;

    @BeforeAll
    static void start() {
        // The counter requires example.v1.Labels (a Java fake here) and the world's storage.
        JavaService labels = JavaService.builder("example.v1.Labels")
                .rawMethod("Label", (req, call) -> call.reply(Status.OK, new byte[0])).build();
        unit = UnitHost.builder("counter").node(UnitNode.of(Modules.COUNTER, "counter"))
                .javaService("labels", labels).log(Modules::failuresOnly).start();
        channel = Modules.channel(unit.target());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        Modules.close(channel);
        unit.close();
    }

    @Test
    void aGuestTimerFiresNoSoonerThanItsDelayOfWallClockTime() throws Exception {
        long sent = System.nanoTime();
        var shortOne = ClientCalls.futureUnaryCall(channel.newCall(RawBytes.unary("example.v1.Counter/Remind"),
                CallOptions.DEFAULT), remind(300, "short"));
        var longOne = ClientCalls.futureUnaryCall(channel.newCall(RawBytes.unary("example.v1.Counter/Remind"),
                CallOptions.DEFAULT), remind(700, "long"));
        shortOne.get(20, TimeUnit.SECONDS);
        long shortDone = System.nanoTime() - sent;
        longOne.get(20, TimeUnit.SECONDS);
        long longDone = System.nanoTime() - sent;

        assertThat(shortDone).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));
        assertThat(longDone).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(700));
    }

    @Test
    void theGuestsClockAdvancesWithTheWallClockWhileTheUnitIsIdle() throws Exception {
        long send1 = System.nanoTime();
        long firedA = firedAtNanos(Modules.call(channel, "example.v1.Counter/Remind", remind(0, "a")));
        long reply1 = System.nanoTime();
        Thread.sleep(500);
        long send2 = System.nanoTime();
        long firedB = firedAtNanos(Modules.call(channel, "example.v1.Counter/Remind", remind(0, "b")));
        long reply2 = System.nanoTime();

        // Each guest reading lies between the wall-clock send and reply of its call.
        assertThat(firedB - firedA).isBetween(send2 - reply1, reply2 - send1);
        assertThat(firedB - firedA).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
    }

    /** example.v1.RemindRequest { int64 delay_ms = 1; string note = 2; } */
    private static byte[] remind(long delayMs, String note) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        out.writeInt64(1, delayMs);
        out.writeString(2, note);
        out.flush();
        return bytes.toByteArray();
    }

    /** example.v1.RemindReply { string note = 1; int64 fired_at_ns = 2; } */
    private static long firedAtNanos(byte[] reply) throws IOException {
        UnknownFieldSet.Field field = UnknownFieldSet.parseFrom(reply).getField(2);
        return field.getVarintList().isEmpty() ? 0 : field.getVarintList().get(0);
    }
}
