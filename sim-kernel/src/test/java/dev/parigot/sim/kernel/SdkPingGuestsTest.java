package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * example.v1.Ping written with each guest SDK (C with generated stubs, Rust, AssemblyScript):
 * the same typed answer to the same bytes, so that benchmarks/SdkCallOverhead compares like
 * with like; a malformed request is refused, not trapped on.
 */
class SdkPingGuestsTest {
    static final String[] SDKS = {"c", "rust", "assemblyscript"};
    static final byte[] REQUEST = {0x08, 0x01, 0x12, 0x04, 'p', 'i', 'n', 'g'}; // n: 1, text: "ping"
    static final byte[] REPLY = {0x08, 0x02, 0x12, 0x04, 'p', 'i', 'n', 'g'}; // n: 2, text: "ping"

    static GuestModule ping(String sdk) {
        Path root = RustSdkGuestTest.repositoryRoot();
        return GuestModule.load(sdk + "_ping", readAll(root.resolve("guest-sdk/" + sdk + "/examples/ping/ping.wasm")));
    }

    private static byte[] readAll(Path p) {
        try {
            return java.nio.file.Files.readAllBytes(p);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void everySdksPingAnswersNPlusOneAndTheSameText() {
        List<byte[]> replies = new ArrayList<>();
        for (String sdk : SDKS) {
            Sim sim = Sim.create(Guests.config(11).build()).add(ping(sdk));
            TestClient client = sim.client("client");
            for (int i = 0; i < 3; i++) {
                replies.add(sim.await(client.call("example.v1.Ping", "Ping", REQUEST)));
            }
        }
        assertThat(replies).hasSize(9).allSatisfy(r -> assertThat(r).containsExactly(REPLY));
    }

    @Test
    void aMalformedPingIsRefusedWithoutATrap() {
        byte[] truncated = {0x12, 0x09, 'p'}; // text says 9 bytes, 1 follows
        for (String sdk : SDKS) {
            Sim sim = Sim.create(Guests.config(12).build()).add(ping(sdk));
            TestClient client = sim.client("client");
            SimFuture<byte[]> reply = client.call("example.v1.Ping", "Ping", truncated);
            if (sdk.equals("assemblyscript")) {
                // as-proto aborts on bytes it cannot read: the world fails with the abort's message.
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> sim.await(reply))
                        .isInstanceOf(SimFailureException.class).hasMessageContaining("abort(");
                continue;
            }
            sim.run();
            assertThat(reply.status()).as(sdk).isEqualTo(Status.INVALID_ARGUMENT);
        }
    }
}
