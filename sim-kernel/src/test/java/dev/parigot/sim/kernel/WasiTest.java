package dev.parigot.sim.kernel;

import dev.parigot.sim.kernel.internal.guest.Wasi;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WASI preview 1 is deterministic and isolated: the environment and arguments come from the test,
 * clocks read virtual time, entropy comes from the seed, stdio lands in the unified log, and
 * sleeping does not sleep.
 */
class WasiTest {
    static final GuestModule PROBE = Guests.load("wasi_probe");

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The virtual time of the step that delivered the one call of {@code method} to {@code node}. */
    static long callStepTime(Sim sim, String node, String method) {
        return sim.trace().last(Integer.MAX_VALUE).stream()
                .filter(s -> s.kind() == StepKind.CALL && s.target().equals(node) && s.method().equals(method))
                .reduce((a, b) -> {
                    throw new AssertionError("more than one call of " + method + " to " + node);
                })
                .orElseThrow().timeNanos();
    }

    @Test
    void environmentHasTheNodeNameAndWhatTheTestGave() {
        Sim sim = Sim.create(Guests.config(1).build())
                .add(PROBE, NodeOptions.named("p1").env("PEERS", "p2,p3"))
                .add(PROBE, NodeOptions.named("p2"));
        TestClient client = sim.client("client");

        String p1 = text(sim.await(client.call("test.v1.Probe@p1", "Env", new byte[0])));
        String p2 = text(sim.await(client.call("test.v1.Probe@p2", "Env", new byte[0])));

        assertThat(p1).isEqualTo("p1|p2,p3");
        assertThat(p2).as("no PEERS for p2: the environment is per node").isEqualTo("p2|");
    }

    @Test
    void defaultNodeNameIsTheModuleName() {
        Sim sim = Sim.create(Guests.config(1).build()).add(PROBE);

        String env = text(sim.await(sim.client("client").call("test.v1.Probe", "Env", new byte[0])));

        assertThat(env).isEqualTo("wasi_probe|");
    }

    @Test
    void argumentsAreTheNodeNameThenWhatTheTestGave() {
        Sim sim = Sim.create(Guests.config(1).build())
                .add(PROBE, NodeOptions.named("worker").args("--peers", "a,b", "ünïcode"));

        String args = text(sim.await(sim.client("client").call("test.v1.Probe", "Args", new byte[0])));

        assertThat(args).isEqualTo("worker --peers a,b ünïcode");
    }

    @Test
    void monotonicClockReadsTheVirtualTimeOfTheStep() {
        Sim sim = Sim.create(Guests.config(1).build()).add(PROBE);
        TestClient client = sim.client("client");
        sim.runFor(Duration.ofSeconds(3));

        long clock = Guests.i64(sim.await(client.call("test.v1.Probe", "Clock", new byte[0])));

        long stepTime = callStepTime(sim, "wasi_probe", "test.v1.Probe/Clock");
        assertThat(clock).isEqualTo(stepTime);
        // Sent at 3 s; the network took 100 µs to 1 ms.
        assertThat(clock).isBetween(3_000_100_000L, 3_001_000_000L);
        assertThat(sim.nowNanos()).isGreaterThan(clock);
    }

    @Test
    void realtimeClockIsTheFixedEpochPlusVirtualTime() {
        Sim sim = Sim.create(Guests.config(2).build()).add(PROBE);

        long realtime = Guests.i64(sim.await(sim.client("client").call("test.v1.Probe", "Realtime", new byte[0])));

        long stepTime = callStepTime(sim, "wasi_probe", "test.v1.Probe/Realtime");
        assertThat(realtime).isEqualTo(Wasi.REALTIME_EPOCH_NANOS + stepTime);
        assertThat(java.time.Instant.ofEpochSecond(0, realtime).toString()).startsWith("2025-01-01T00:00:00.000");
    }

    static byte[] random16(long seed, String node) {
        Sim sim = Sim.create(Guests.config(seed).build())
                .add(PROBE, NodeOptions.named("r1"))
                .add(PROBE, NodeOptions.named("r2"));
        return sim.await(sim.client("client").call("test.v1.Probe@" + node, "Random", new byte[0]));
    }

    @Test
    void randomBytesAreTheSameForTheSameSeedAndDifferForAnotherSeedOrNode() {
        byte[] first = random16(11, "r1");
        byte[] again = random16(11, "r1");
        byte[] otherSeed = random16(12, "r1");
        byte[] otherNode = random16(11, "r2");

        assertThat(first).hasSize(16).isEqualTo(again);
        assertThat(otherSeed).hasSize(16).isNotEqualTo(first);
        assertThat(otherNode).hasSize(16).isNotEqualTo(first);
    }

    @Test
    void stdoutAndStderrLinesLandInTheUnifiedLogWithTheNodeName() {
        Sim sim = Sim.create(Guests.config(1).build()).add(PROBE, NodeOptions.named("printer"));

        sim.await(sim.client("client").call("test.v1.Probe", "Print", new byte[0]));

        List<LogLine> fromNode = sim.log().stream().filter(l -> l.node().equals("printer")).toList();
        assertThat(fromNode).extracting(LogLine::level, LogLine::text).containsExactly(
                org.assertj.core.api.Assertions.tuple(LogLine.Level.INFO, "hello from printer"),
                org.assertj.core.api.Assertions.tuple(LogLine.Level.WARN, "warned"));
        long stepTime = callStepTime(sim, "printer", "test.v1.Probe/Print");
        assertThat(fromNode).allSatisfy(l -> assertThat(l.timeNanos()).isEqualTo(stepTime));
    }

    @Test
    void aCharacterSplitBetweenTwoWritesReadsAsItselfAndALineWithoutEndIsNotKeptWithoutBound() {
        GuestModule pieces = Guests.load("stdio_pieces");
        for (int world = 0; world < 2; world++) { // the second world reuses the first one's instance
            Sim sim = Sim.create(Guests.config(world).build()).add(pieces);
            TestClient client = sim.client("client");
            sim.await(client.call("test.v1.Stdio", "Split", new byte[0]));
            sim.await(client.call("test.v1.Stdio", "Endless", new byte[0]));
            sim.run();

            List<String> lines = sim.log().stream().filter(l -> l.node().equals("stdio_pieces"))
                    .map(LogLine::text).toList();
            // 100,000 bytes with no newline, 10,000 a write: each time the kept part would pass 64 KiB, it is a line.
            assertThat(lines).containsExactly("café au lait", "x".repeat(70_000), "x".repeat(30_000));
            sim.close();
        }
    }

    @Test
    void sleepReturnsAtOnceWithoutMovingVirtualTime() {
        Sim sim = Sim.create(Guests.config(1).build()).add(PROBE);

        long slept = Guests.i64(sim.await(sim.client("client").call("test.v1.Probe", "Sleep", new byte[0])));

        assertThat(slept).as("monotonic time across nanosleep(1 s)").isZero();
        long called = callStepTime(sim, "wasi_probe", "test.v1.Probe/Sleep");
        assertThat(sim.nowNanos() - called).as("the reply left at once: only network latency")
                .isBetween(100_000L, 1_000_000L);
    }
}
