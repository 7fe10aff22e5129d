package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The C SDK seeds libc rand() from each node's random bytes before service_ready. */
class LibcRandTest {
    static final GuestModule RAND = Guests.load("rand_probe");

    /** What rand() gave two replicas, r1 and r2, in a world of {@code seed}. */
    record Draws(Values r1, Values r2) {
    }

    /** rand()'s value in service_start, then its next four values in a handler. */
    record Values(int inStart, List<Integer> inHandler) {
    }

    static Draws draws(long seed) {
        Sim sim = Sim.create(Guests.config(seed).build())
                .add(RAND, NodeOptions.named("r1"))
                .add(RAND, NodeOptions.named("r2"));
        TestClient client = sim.client("client");
        SimFuture<byte[]> r1 = client.call("test.v1.Rand@r1", "Draw", new byte[0]);
        SimFuture<byte[]> r2 = client.call("test.v1.Rand@r2", "Draw", new byte[0]);
        sim.run();
        return new Draws(values(r1.get()), values(r2.get()));
    }

    static Values values(byte[] reply) {
        assertThat(reply).hasSize(20);
        ByteBuffer b = ByteBuffer.wrap(reply).order(ByteOrder.LITTLE_ENDIAN);
        int inStart = b.getInt();
        List<Integer> inHandler = new ArrayList<>();
        while (b.hasRemaining()) {
            inHandler.add(b.getInt());
        }
        return new Values(inStart, inHandler);
    }

    @Test
    void replicasOfOneModuleDrawDifferentRandSequences() {
        Draws d = draws(11);

        assertThat(d.r1().inHandler()).isNotEqualTo(d.r2().inHandler());
    }

    @Test
    void theSameSeedGivesTheSameRandSequences() {
        assertThat(draws(11)).isEqualTo(draws(11));
    }

    @Test
    void anotherSeedGivesOtherRandSequences() {
        Draws d11 = draws(11);
        Draws d12 = draws(12);

        assertThat(d12.r1().inHandler()).isNotEqualTo(d11.r1().inHandler());
        assertThat(d12.r2().inHandler()).isNotEqualTo(d11.r2().inHandler());
    }

    @Test
    void randInServiceStartIsLibcsDefaultSequenceOnEveryNodeAndSeed() {
        Draws d11 = draws(11);
        Draws d12 = draws(12);

        assertThat(d11.r2().inStart()).isEqualTo(d11.r1().inStart());
        assertThat(d12.r1().inStart()).isEqualTo(d11.r1().inStart());
    }
}
