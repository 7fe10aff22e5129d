package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * What a driver of a world other than a test needs (the runner drives one by the wall clock and
 * forwards calls to other processes): the time of the next pending event, a Java service that
 * accepts any method, and a module's declarations.
 */
class DriverHooksTest {

    @Test
    void nextEventNanosIsTheEarliestPendingTimerAndEmptyWhenNothingIsPending() {
        Sim sim = Sim.create(Guests.config(1).build());
        TestClient client = sim.client("client");
        sim.boot();
        assertThat(sim.nextEventNanos()).isEmpty();

        client.schedule(Duration.ofMillis(30), () -> { });
        long late = client.schedule(Duration.ofMillis(70), () -> { });
        assertThat(sim.nextEventNanos()).isEqualTo(OptionalLong.of(Duration.ofMillis(30).toNanos()));

        sim.runFor(Duration.ofMillis(40));
        assertThat(sim.nextEventNanos()).isEqualTo(OptionalLong.of(Duration.ofMillis(70).toNanos()));
        client.cancel(late);
        assertThat(sim.nextEventNanos()).as("a cancelled timer is not pending").isEmpty();
    }

    @Test
    void otherMethodsHandlesEveryMethodTheServiceDoesNotDefine() {
        JavaService proxy = JavaService.builder("test.v1.Anything")
                .rawMethod("Known", (req, call) -> call.reply(Status.OK, "known".getBytes(StandardCharsets.UTF_8)))
                .otherMethods((req, call) -> call.reply(Status.OK,
                        (call.method() + ":" + new String(req, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8)))
                .build();
        Sim sim = Sim.create(Guests.config(1).build()).add("proxy", proxy);
        TestClient client = sim.client("client");

        byte[] known = sim.await(client.call("test.v1.Anything", "Known", new byte[0]));
        byte[] other = sim.await(client.call("test.v1.Anything", "Whatever", "x".getBytes(StandardCharsets.UTF_8)));

        assertThat(new String(known, StandardCharsets.UTF_8)).isEqualTo("known");
        assertThat(new String(other, StandardCharsets.UTF_8)).isEqualTo("Whatever:x");
    }

    @Test
    void withoutOtherMethodsAnUnknownMethodIsUnimplemented() {
        JavaService plain = JavaService.builder("test.v1.Plain").rawMethod("Known", (req, call) -> call.fail(Status.OK))
                .build();
        Sim sim = Sim.create(Guests.config(1).build()).add("plain", plain);
        SimFuture<byte[]> f = sim.client("client").call("test.v1.Plain", "Unknown", new byte[0]);
        sim.runUntil(f::isDone);
        assertThat(f.status()).isEqualTo(Status.UNIMPLEMENTED);
        assertThatThrownBy(() -> JavaService.builder("test.v1.Plain").otherMethods((r, c) -> { })
                .otherMethods((r, c) -> { })).hasMessageContaining("already has a handler for its other methods");
    }

    @Test
    void aModulesDeclarationsAreReadableWithoutAWorld() {
        GuestModule echo = Guests.load("echo");
        assertThat(ServiceCatalog.exportsOf(echo)).containsExactly("test.v1.Echo");
        assertThat(ServiceCatalog.requiresOf(echo)).isEmpty();
        assertThat(ServiceCatalog.STORAGE_SERVICE).isEqualTo("parigot.storage.v1.Storage");
    }
}
