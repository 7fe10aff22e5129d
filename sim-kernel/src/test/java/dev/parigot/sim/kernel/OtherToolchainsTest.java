package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What guests from other toolchains need: WASI inside parigot_alloc (Rust's std reads its
 * environment on entry to every export), and AssemblyScript's abort with its message text.
 */
class OtherToolchainsTest {
    static final GuestModule WASI_IN_ALLOC = Guests.load("wasi_in_alloc");
    static final GuestModule AS_ABORT = Guests.load("as_abort");

    @Test
    void wasiCallsInsideParigotAllocAreAllowed() {
        Sim sim = Sim.create(Guests.config(1).build());
        sim.add(WASI_IN_ALLOC);
        TestClient client = sim.client("client");
        byte[] reply = sim.await(client.call("test.v1.WasiInAlloc", "Echo", "hello".getBytes(StandardCharsets.UTF_8)));
        assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("hello");
    }

    @Test
    void procExitInsideParigotAllocIsAGuestFault() {
        Sim sim = Sim.create(Guests.config(1).build());
        sim.add(WASI_IN_ALLOC);
        TestClient client = sim.client("client");
        sim.await(client.call("test.v1.WasiInAlloc", "Echo", "x".getBytes(StandardCharsets.UTF_8)));
        assertThatThrownBy(() -> sim.await(client.call("test.v1.WasiInAlloc", "Echo", new byte[] {1})))
                .isInstanceOf(SimFailureException.class);
        SimFailure failure = sim.failure().orElseThrow();
        assertThat(failure.kind()).isEqualTo(FailureKind.GUEST_FAULT);
        assertThat(failure.reason()).isEqualTo("node 'wasi_in_alloc' called WASI proc_exit inside parigot_alloc,"
                + " which must return a block");
    }

    static SimFailure abortWith(String payload) {
        Sim sim = Sim.create(Guests.config(1).build());
        sim.add(AS_ABORT);
        TestClient client = sim.client("client");
        client.call("test.v1.AsAbort", "Fail", payload.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(sim::run).isInstanceOf(SimFailureException.class);
        return sim.failure().orElseThrow();
    }

    @Test
    void anAssemblyScriptAbortReportsItsMessageFileLineAndColumn() {
        SimFailure failure = abortWith("m");
        assertThat(failure.kind()).isEqualTo(FailureKind.TRAP);
        assertThat(failure.reason()).startsWith("node 'as_abort' called abort(\"balance < 0 \u20ac!\") at"
                + " assembly/a.ts:42:7 in ");
    }

    @Test
    void anAbortWithoutAMessageOrWithOneOutsideMemoryStillFailsWithTheRest() {
        assertThat(abortWith("0").reason()).startsWith("node 'as_abort' called abort() at assembly/a.ts:42:7 in ");
        assertThat(abortWith("?").reason()).startsWith("node 'as_abort' called abort() at assembly/a.ts:42:7 in ");
    }
}
