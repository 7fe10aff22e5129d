package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A guest written in Rust with the standard library (src/test/rust/echo_std, built by Debian's
 * rustc as a wasm32-wasi cdylib): no _initialize, and std's startup reads the WASI environment
 * on entry to every export, parigot_alloc included. It must serve calls like any C guest.
 */
class RustStdGuestTest {
    static final GuestModule RUST = Guests.load("echo_std_rust");
    static final String SERVICE = "test.v1.RustEcho";

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static List<LogLine> logOf(Sim sim, String node) {
        return sim.log().stream().filter(l -> l.node().equals(node)).toList();
    }

    @Test
    void theModuleIsAStdCdylibWithoutInitializeThatImportsWasi() {
        assertThat(RUST.name()).isEqualTo("echo_std_rust");
        assertThat(RUST.code().hasInitialize()).isFalse();
        assertThat(RUST.code().wasiImports()).extracting(i -> i.name())
                .contains("environ_get", "environ_sizes_get", "fd_write");
        Sim sim = Sim.create(Guests.config(1).build()).add(RUST);
        sim.boot();
        assertThat(sim.exportsOf("echo_std_rust")).containsExactly(SERVICE);
    }

    @Test
    void requestReplyRoundTripWithTheNodeNameReadThroughStdEnv() {
        Sim sim = Sim.create(Guests.config(1).build()).add(RUST);
        TestClient client = sim.client("client");

        byte[] echoed = sim.await(client.call(SERVICE, "Echo", utf8("hello, rust")));
        byte[] empty = sim.await(client.call(SERVICE, "Echo", new byte[0]));
        byte[] who = sim.await(client.call(SERVICE, "Whoami", utf8("h\u00e9")));

        assertThat(text(echoed)).isEqualTo("hello, rust");
        assertThat(empty).isEmpty();
        assertThat(text(who)).isEqualTo("node=echo_std_rust echoes=2 calls=3 request=\"h\u00e9\"");
        assertThat(sim.failure()).isEmpty();
    }

    /**
     * env::vars links wasi-libc's eager environment constructor: from then on every export,
     * parigot_alloc included, calls environ_sizes_get and environ_get on entry.
     */
    @Test
    void theWholeEnvironmentThroughStdEnvVarsAndManyCallsWithWasiInsideParigotAlloc() {
        Sim sim = Sim.create(Guests.config(1).build()).add(RUST, NodeOptions.named("r1").env("PEERS", "r2"));
        TestClient client = sim.client("client");

        assertThat(text(sim.await(client.call(SERVICE, "Env", utf8("?"))))).isEqualTo("PARIGOT_NODE=r1\nPEERS=r2");
        List<SimFuture<byte[]>> replies = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            replies.add(client.call(SERVICE, "Echo", new byte[] {(byte) i}));
        }
        sim.run();

        for (int i = 0; i < 200; i++) {
            assertThat(replies.get(i).get()).containsExactly(i);
        }
        assertThat(sim.failure()).isEmpty();
    }

    @Test
    void printlnLinesLandInTheWorldLog() {
        Sim sim = Sim.create(Guests.config(1).build()).add(RUST);
        TestClient client = sim.client("client");
        sim.await(client.call(SERVICE, "Echo", utf8("12345")));
        SimFuture<byte[]> unknown = client.call(SERVICE, "Shout", utf8("x"));
        sim.run();

        assertThat(unknown.status()).isEqualTo(Status.UNIMPLEMENTED);
        assertThat(logOf(sim, "echo_std_rust")).extracting(LogLine::level, LogLine::text).containsExactly(
                tuple(LogLine.Level.INFO, "test.v1.RustEcho starting (Rust std)"), // parigot log in parigot_start
                tuple(LogLine.Level.INFO, "echo_std_rust ready"), // println!: WASI fd_write to stdout
                tuple(LogLine.Level.INFO, "echo_std_rust echo #1: 5 bytes"),
                tuple(LogLine.Level.WARN, "test.v1.RustEcho has no method \"Shout\"")); // eprintln!: stderr
    }

    @Test
    void twoReplicasEachSeeTheirOwnNameAndKeepTheirOwnCounts() {
        Sim sim = Sim.create(Guests.config(3).build())
                .add(RUST, NodeOptions.named("r1"))
                .add(RUST, NodeOptions.named("r2"));
        TestClient client = sim.client("client");

        sim.await(client.call(SERVICE + "@r1", "Echo", utf8("a")));
        sim.await(client.call(SERVICE + "@r1", "Echo", utf8("b")));
        String r1 = text(sim.await(client.call(SERVICE + "@r1", "Whoami", utf8("1"))));
        String r2 = text(sim.await(client.call(SERVICE + "@r2", "Whoami", utf8("2"))));

        assertThat(r1).isEqualTo("node=r1 echoes=2 calls=3 request=\"1\"");
        assertThat(r2).isEqualTo("node=r2 echoes=0 calls=1 request=\"2\"");
        assertThat(logOf(sim, "r1")).extracting(LogLine::text)
                .containsExactly("test.v1.RustEcho starting (Rust std)", "r1 ready", "r1 echo #1: 1 bytes", "r1 echo #2: 1 bytes", "r1 whoami #1");
        assertThat(logOf(sim, "r2")).extracting(LogLine::text).containsExactly("test.v1.RustEcho starting (Rust std)", "r2 ready",
                "r2 whoami #1");
    }

    /** Two replicas and three clients whose timers send Echo and Whoami, by the plain name and by replica. */
    static void replicasScenario(Sim sim) {
        sim.add(RUST, NodeOptions.named("r1")).add(RUST, NodeOptions.named("r2"));
        List<SimFuture<byte[]>> replies = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            TestClient client = sim.client("c" + c);
            for (int i = 0; i < 4; i++) {
                byte[] payload = {(byte) c, (byte) i};
                client.schedule(Duration.ofNanos(120_000L * i + 45_000L * c), () -> {
                    replies.add(client.call(SERVICE, "Echo", payload));
                    replies.add(client.call(SERVICE + "@r" + (1 + payload[1] % 2), "Whoami", payload));
                });
            }
        }
        sim.run();
        assertThat(replies).hasSize(24).allSatisfy(r -> assertThat(r.isOk()).isTrue());
    }

    @Test
    void sameSeedGivesTheSameTraceHashTwice() {
        DeterminismCheck.Result result = DeterminismCheck.check(Guests.config(0x5eed).build(),
                RustStdGuestTest::replicasScenario);
        assertThat(result.deterministic()).as(result.describe()).isTrue();
        // 2 ready + 12 client timers + 24 calls + 24 results.
        assertThat(result.steps()).isEqualTo(2 + 12 + 24 + 24);

        Sim a = DeterminismCheck.runOnce(Guests.config(7).build(), RustStdGuestTest::replicasScenario);
        Sim b = DeterminismCheck.runOnce(Guests.config(7).build(), RustStdGuestTest::replicasScenario);
        assertThat(b.trace().hash()).isEqualTo(a.trace().hash());
        assertThat(b.log()).isEqualTo(a.log());
        Sim other = DeterminismCheck.runOnce(Guests.config(8).build(), RustStdGuestTest::replicasScenario);
        assertThat(other.trace().hash()).isNotEqualTo(a.trace().hash());
    }
}
