package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.parigot.sim.faults.FaultProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The Rust guest SDK's example (guest-sdk/rust/examples/counter: example.v1.Counter, built with
 * parigot-guest by guest-sdk/rust/build.sh, which commits counter.wasm and its .proto as the
 * FileDescriptorSet counter.desc). Requests and replies are DynamicMessages of that .proto.
 */
class RustSdkGuestTest {
    static final Path EXAMPLE = repositoryRoot().resolve("guest-sdk/rust/examples/counter");
    static final GuestModule COUNTER = GuestModule.load(EXAMPLE.resolve("counter.wasm"));
    static final Descriptors.FileDescriptor PROTO = descriptor(EXAMPLE.resolve("counter.desc"));
    static final String SERVICE = "example.v1.Counter";
    static final String NODE = "counter";

    /** The working directory is sim-kernel/ under Maven; walk up to the checkout. */
    static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("guest-sdk/rust/examples/counter/counter.wasm"))) {
                return p;
            }
        }
        throw new IllegalStateException("guest-sdk/rust/examples/counter/counter.wasm not found above "
                + Path.of("").toAbsolutePath() + " (build it with guest-sdk/rust/build.sh)");
    }

    static Descriptors.FileDescriptor descriptor(Path desc) {
        try {
            FileDescriptorSet set = FileDescriptorSet.parseFrom(Files.readAllBytes(desc));
            return Descriptors.FileDescriptor.buildFrom(set.getFile(0), new Descriptors.FileDescriptor[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Descriptors.DescriptorValidationException e) {
            throw new IllegalStateException(desc + " is not a valid descriptor set", e);
        }
    }

    static Descriptor type(String name) {
        return PROTO.findMessageTypeByName(name);
    }

    /** A message of the example's .proto, fields by name. */
    static DynamicMessage msg(String type, Map<String, Object> fields) {
        Descriptor d = type(type);
        DynamicMessage.Builder b = DynamicMessage.newBuilder(d);
        fields.forEach((k, v) -> b.setField(d.findFieldByName(k), v));
        return b.build();
    }

    static DynamicMessage parse(String type, byte[] bytes) {
        try {
            return DynamicMessage.parseFrom(type(type), bytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("reply does not decode as " + type, e);
        }
    }

    static Object field(DynamicMessage m, String name) {
        return m.getField(m.getDescriptorForType().findFieldByName(name));
    }

    static SimFuture<byte[]> add(TestClient client, String name, long delta) {
        return client.call(SERVICE, "Add", msg("AddRequest", Map.of("name", name, "delta", delta)).toByteArray());
    }

    static SimFuture<byte[]> get(TestClient client, String name) {
        return client.call(SERVICE, "Get", msg("GetRequest", Map.of("name", name)).toByteArray());
    }

    /** A Java fake of example.v1.Labels, built from the .proto: "Label of <name>"; "slow*" names are never answered. */
    static JavaService labels(List<String> asked) {
        Descriptors.ServiceDescriptor svc = PROTO.findServiceByName("Labels");
        return JavaService.builder(svc).rawMethod("Label", (bytes, call) -> {
            String name = (String) field(parse("LabelRequest", bytes), "name");
            asked.add(name + " from " + call.caller());
            if (!name.startsWith("slow")) {
                call.reply(msg("LabelReply", Map.of("label", "Label of " + name)));
            }
        }).build();
    }

    static Sim world(SimConfig config, List<String> asked) {
        return Sim.create(config).add(COUNTER).add("labels", labels(asked));
    }

    @Test
    void theModuleDeclaresItsServicesAtBootAndLaterWorldsRestoreItsBootImage() {
        assertThat(COUNTER.name()).isEqualTo(NODE);
        Sim sim = world(Guests.config(1).build(), new ArrayList<>());
        sim.boot();
        assertThat(sim.exportsOf(NODE)).containsExactly(SERVICE);
        assertThat(sim.failure()).isEmpty();

        // The SDK's boot draws no randomness and reads no clock (BTreeMaps, not HashMaps): a
        // later world restores the node's boot image instead of booting it again.
        Sim later = world(Guests.config(99).build(), new ArrayList<>());
        later.boot();
        assertThat(later.bootsRestored()).isEqualTo(1);
        assertThat(later.bootsFromScratch()).isZero();
    }

    @Test
    void typedAddAndGetRoundTripAndUnknownsAreAnsweredByTheSdk() {
        Sim sim = world(Guests.config(2).build(), new ArrayList<>());
        TestClient client = sim.client("client");

        assertThat(field(parse("GetReply", sim.await(get(client, "hits"))), "found")).isEqualTo(false);
        assertThat(field(parse("AddReply", sim.await(add(client, "hits", 5))), "value")).isEqualTo(5L);
        assertThat(field(parse("AddReply", sim.await(add(client, "hits", 37))), "value")).isEqualTo(42L);
        DynamicMessage got = parse("GetReply", sim.await(get(client, "hits")));
        assertThat(field(got, "found")).isEqualTo(true);
        assertThat(field(got, "value")).isEqualTo(42L);

        SimFuture<byte[]> unknown = client.call(SERVICE, "Reset", new byte[0]);
        SimFuture<byte[]> garbage = client.call(SERVICE, "Add", new byte[] {(byte) 0xff, (byte) 0xff});
        sim.run();
        assertThat(unknown.status()).isEqualTo(Status.UNIMPLEMENTED);
        assertThat(garbage.status()).isEqualTo(Status.INVALID_ARGUMENT);
        assertThat(sim.failure()).isEmpty();
        assertThat(sim.log()).filteredOn(l -> l.node().equals(NODE)).extracting(LogLine::level, LogLine::text)
                .contains(tuple(LogLine.Level.WARN, "example.v1.Counter/Reset: no such method here; answered UNIMPLEMENTED"));
    }

    @Test
    void theGuestsTypedCallReachesTheJavaFakeAndItsResultReachesTheCallback() {
        List<String> asked = new ArrayList<>();
        Sim sim = world(Guests.config(3).build(), asked);
        TestClient client = sim.client("client");
        sim.await(add(client, "hits", 7));

        byte[] described = sim.await(client.call(SERVICE, "Describe", msg("GetRequest", Map.of("name", "hits")).toByteArray()));

        assertThat(field(parse("DescribeReply", described), "text")).isEqualTo("Label of hits (hits) = 7");
        assertThat(asked).containsExactly("hits from counter");
        // The deadline timer raced the result and was cancelled: no timer step after the reply.
        sim.run();
        assertThat(sim.trace().last(Integer.MAX_VALUE)).filteredOn(s -> s.kind() == StepKind.TIMER && s.target().equals(NODE)).isEmpty();
    }

    @Test
    void aCallThatIsNeverAnsweredEndsAtItsDeadlineOfVirtualTime() {
        List<String> asked = new ArrayList<>();
        Sim sim = world(Guests.config(4).build(), asked);
        TestClient client = sim.client("client");
        long sent = sim.nowNanos();
        SimFuture<byte[]> described = client.call(SERVICE, "Describe", msg("GetRequest", Map.of("name", "slow")).toByteArray());
        sim.run();

        assertThat(described.status()).isEqualTo(Status.DEADLINE_EXCEEDED);
        assertThat(asked).containsExactly("slow from counter");
        assertThat(sim.nowNanos() - sent).as("50 ms deadline plus two network legs")
                .isBetween(50_000_000L + 200_000L, 50_000_000L + 2_000_000L);
        assertThat(sim.log()).filteredOn(l -> l.node().equals(NODE) && l.level() == LogLine.Level.WARN)
                .extracting(LogLine::text).singleElement().asString()
                .matches("call \\d+ answered DEADLINE_EXCEEDED \\(4\\): asking example\\.v1\\.Labels");
    }

    @Test
    void aTimerFiresAtVirtualTime() {
        Sim sim = world(Guests.config(5).build(), new ArrayList<>());
        TestClient client = sim.client("client");
        sim.boot();
        long sent = sim.nowNanos();
        byte[] reply = sim.await(client.call(SERVICE, "Remind",
                msg("RemindRequest", Map.of("delay_ms", 250L, "note", "tea")).toByteArray()));

        DynamicMessage r = parse("RemindReply", reply);
        assertThat(field(r, "note")).isEqualTo("tea");
        long firedAt = (Long) field(r, "fired_at_ns");
        assertThat(firedAt - sent).as("250 ms after the call arrived (one network leg of 0.1 to 1 ms)")
                .isBetween(250_000_000L + 100_000L, 250_000_000L + 1_000_000L);
        assertThat(sim.trace().last(Integer.MAX_VALUE)).filteredOn(s -> s.kind() == StepKind.TIMER && s.target().equals(NODE))
                .extracting(TraceStep::timeNanos).containsExactly(firedAt);
        assertThat(sim.assertions()).extracting(AssertionTally.Entry::message).contains("a reminder fired");
    }

    @Test
    void anAcknowledgedAddSurvivesACrashThatLosesEveryUnsyncedWrite() {
        FaultProfile loseUnsynced = FaultProfile.builder().storage(s -> s.lostUnsynced(1)).build();
        for (long seed = 1; seed <= 5; seed++) {
            Sim sim = world(FaultWorlds.config(seed, loseUnsynced).build(), new ArrayList<>());
            TestClient client = sim.client("client");
            sim.await(add(client, "hits", 3));
            sim.await(add(client, "hits", 4));
            sim.crash(NODE);
            sim.restart(NODE);

            DynamicMessage got = parse("GetReply", sim.await(get(client, "hits")));
            assertThat(field(got, "value")).as("seed %d", seed).isEqualTo(7L);
            // The restarted node's cache is empty: it read the value back from its disk.
            assertThat(field(parse("AddReply", sim.await(add(client, "hits", 1))), "value")).isEqualTo(8L);
            assertThat(sim.failure()).isEmpty();
        }
    }

    @Test
    void logLinesReachTheWorldLog() {
        Sim sim = world(Guests.config(6).build(), new ArrayList<>());
        TestClient client = sim.client("client");
        sim.await(add(client, "hits", 2));
        sim.await(add(client, "misses", 1));

        assertThat(sim.log()).filteredOn(l -> l.node().equals(NODE)).extracting(LogLine::level, LogLine::text)
                .containsExactly(
                        tuple(LogLine.Level.INFO, "counter ready at 0 ns"),
                        tuple(LogLine.Level.INFO, "hits += 2 -> 2"),
                        tuple(LogLine.Level.INFO, "misses += 1 -> 1"));
    }

    @Test
    void aFailedAlwaysAssertionFailsTheWorldWithItsMessage() {
        Sim sim = world(Guests.config(7).build(), new ArrayList<>());
        TestClient client = sim.client("client");
        sim.await(add(client, "stock", 2));
        add(client, "stock", -3);
        SimFailureException e = catchThrowableOfType(SimFailureException.class, sim::run);

        assertThat(e.failure().kind()).isEqualTo(FailureKind.ASSERTION);
        assertThat(e.failure().node()).isEqualTo(NODE);
        assertThat(e.failure().reason()).isEqualTo("node 'counter' failed an always-assertion: a counter never goes below zero");
    }

    @Test
    void withBuggifyOnTheSlowDiskPathFiresSomewhereAndAddsStayCorrect() {
        FaultProfile bugs = FaultProfile.builder().label("bugs").buggify(true).build();
        boolean fired = false;
        for (long seed = 1; seed <= 40 && !fired; seed++) {
            Sim sim = world(FaultWorlds.config(seed, bugs).build(), new ArrayList<>());
            TestClient client = sim.client("client");
            List<SimFuture<byte[]>> adds = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                adds.add(add(client, "n", i));
            }
            sim.run();
            long last = 0;
            for (SimFuture<byte[]> f : adds) {
                assertThat(f.isOk()).as("seed %d", seed).isTrue();
                last = Math.max(last, (Long) field(parse("AddReply", f.get()), "value"));
            }
            assertThat(last).as("seed %d: 1 + 2 + ... + 6", seed).isEqualTo(21L);
            fired = sim.buggifyFired().contains("counter.add.slow_disk");
        }
        assertThat(fired).as("counter.add.slow_disk fired in one of 40 seeds").isTrue();
    }

    /** Two clients adding, describing and setting reminders on a schedule. */
    static void scenario(Sim sim) {
        sim.add(COUNTER).add("labels", labels(new ArrayList<>()));
        List<SimFuture<byte[]>> replies = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            TestClient client = sim.client("c" + c);
            for (int i = 0; i < 4; i++) {
                long delta = i + 1;
                String name = "k" + (i % 2);
                client.schedule(Duration.ofNanos(300_000L * i + 70_000L * c), () -> {
                    replies.add(add(client, name, delta));
                    replies.add(client.call(SERVICE, "Describe", msg("GetRequest", Map.of("name", name)).toByteArray()));
                    replies.add(client.call(SERVICE, "Remind",
                            msg("RemindRequest", Map.of("delay_ms", delta, "note", name)).toByteArray()));
                });
            }
        }
        sim.run();
        assertThat(replies).hasSize(24).allSatisfy(r -> assertThat(r.isOk()).isTrue());
    }

    @Test
    void sameSeedGivesTheSameTraceHashTwice() {
        DeterminismCheck.Result result = DeterminismCheck.check(Guests.config(0x5eed).build(), RustSdkGuestTest::scenario);
        assertThat(result.deterministic()).as(result.describe()).isTrue();

        Sim a = DeterminismCheck.runOnce(Guests.config(11).build(), RustSdkGuestTest::scenario);
        Sim b = DeterminismCheck.runOnce(Guests.config(11).build(), RustSdkGuestTest::scenario);
        assertThat(b.trace().hash()).isEqualTo(a.trace().hash());
        assertThat(b.log()).isEqualTo(a.log());
        Sim other = DeterminismCheck.runOnce(Guests.config(12).build(), RustSdkGuestTest::scenario);
        assertThat(other.trace().hash()).isNotEqualTo(a.trace().hash());
    }
}
