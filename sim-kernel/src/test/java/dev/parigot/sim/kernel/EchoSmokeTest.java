package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EchoSmokeTest {
    @Test
    void echoRoundTrip() {
        Sim sim = Sim.create(Guests.config(1).build());
        sim.add(Guests.load("echo"));
        TestClient client = sim.client("client");
        SimFuture<byte[]> f = client.call("test.v1.Echo", "Echo", "hello".getBytes(StandardCharsets.UTF_8));
        byte[] reply = sim.await(f);
        assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("hello");
        sim.trace().last(10).forEach(System.out::println);
        System.out.println(sim.trace().hashText() + " " + sim.nowNanos());
    }
}
