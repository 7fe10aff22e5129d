package dev.parigot.sim.kernel;

import static dev.parigot.sim.kernel.FaultWorlds.HANDMADE;
import static dev.parigot.sim.kernel.FaultWorlds.assertFaultsAreTraceSteps;
import static dev.parigot.sim.kernel.FaultWorlds.assertReported;
import static dev.parigot.sim.kernel.FaultWorlds.config;
import static dev.parigot.sim.kernel.FaultWorlds.faults;
import static dev.parigot.sim.kernel.FaultWorlds.twice;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.faults.InjectedFault;
import dev.parigot.sim.kernel.storage.v1.DeleteRequest;
import dev.parigot.sim.kernel.storage.v1.ReadReply;
import dev.parigot.sim.kernel.storage.v1.ReadRequest;
import dev.parigot.sim.kernel.storage.v1.SyncRequest;
import dev.parigot.sim.kernel.storage.v1.WriteRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The kernel's storage service: each node has its own disk, writes are durable once synced, and
 * at a crash each unsynced write or delete is lost, torn or kept as the seed decides. Read errors
 * and corruption happen when configured. Storage calls stay on the node: partitions, drops and
 * clogs never touch them. Every storage fault is a STORAGE step and a line of the report.
 */
class StorageFaultsTest {
    static final String STORAGE = "parigot.storage.v1.Storage";

    /** A Java service that requires Storage and passes each call on to it as it is. */
    static JavaService proxy() {
        JavaService.Builder b = JavaService.builder("test.v1.Proxy").requires(STORAGE);
        for (String method : List.of("Write", "Read", "Sync", "Delete")) {
            b.rawMethod(method, (bytes, call) -> call.context().call(STORAGE, method, bytes).whenDone(r -> {
                if (r.isOk()) {
                    call.reply(Status.OK, r.get());
                } else {
                    call.fail(r.status());
                }
            }));
        }
        return b.build();
    }

    static WriteRequest write(String key, String value) {
        return WriteRequest.newBuilder().setKey(key).setValue(ByteString.copyFromUtf8(value)).build();
    }

    static ReadRequest read(String key) {
        return ReadRequest.newBuilder().setKey(key).build();
    }

    static DeleteRequest delete(String key) {
        return DeleteRequest.newBuilder().setKey(key).build();
    }

    /** One storage call through {@code service}, awaited. */
    static byte[] op(Sim sim, TestClient client, String service, String method, Message request) {
        return sim.await(client.call(service, method, request.toByteArray()));
    }

    /** What a Read found: the value as text, or null if the key is absent. */
    static String found(byte[] readReply) {
        try {
            ReadReply r = ReadReply.parseFrom(readReply);
            return r.getFound() ? r.getValue().toString(StandardCharsets.UTF_8) : null;
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    static String readVia(Sim sim, TestClient client, String service, String key) {
        return found(op(sim, client, service, "Read", read(key)));
    }

    // ------------------------------------------------------------------ the service itself

    @Test
    void aJavaServiceWritesReadsSyncsAndDeletes() {
        List<String> seen = twice(config(1, FaultProfile.NONE).build(), sim -> {
            sim.add("proxy", proxy());
            TestClient client = sim.client("client");
            List<String> out = new ArrayList<>();
            out.add(readVia(sim, client, "test.v1.Proxy", "k"));
            op(sim, client, "test.v1.Proxy", "Write", write("k", "one"));
            out.add(readVia(sim, client, "test.v1.Proxy", "k"));
            op(sim, client, "test.v1.Proxy", "Sync", SyncRequest.getDefaultInstance());
            op(sim, client, "test.v1.Proxy", "Write", write("k", "two"));
            out.add(readVia(sim, client, "test.v1.Proxy", "k"));
            op(sim, client, "test.v1.Proxy", "Delete", delete("k"));
            out.add(readVia(sim, client, "test.v1.Proxy", "k"));
            return out;
        }).result();
        assertThat(seen).containsExactly(null, "one", "two", null);
    }

    @Test
    void eachNodeHasItsOwnDiskAndAClientMayCallStorageToo() {
        Sim sim = twice(config(2, FaultProfile.NONE).build(), s -> {
            s.add("proxy", proxy());
            TestClient client = s.client("client");
            op(s, client, STORAGE, "Write", write("k", "client's"));
            op(s, client, "test.v1.Proxy", "Write", write("k", "proxy's"));
            assertThat(readVia(s, client, STORAGE, "k")).isEqualTo("client's");
            assertThat(readVia(s, client, "test.v1.Proxy", "k")).isEqualTo("proxy's");
            return null;
        }).sim();
        assertThat(sim.nodes()).containsExactly("proxy", "client", "storage");
        assertThat(FaultWorlds.steps(sim, StepKind.CALL)).filteredOn(c -> c.target().equals("storage"))
                .extracting(TraceStep::source).containsExactly("client", "proxy", "client", "proxy");
        // A disk is local: its calls take 5 to 50 µs, never the network's latency.
        List<TraceStep> all = FaultWorlds.steps(sim);
        for (TraceStep result : FaultWorlds.steps(sim, StepKind.RESULT)) {
            if (result.source().equals("storage")) {
                TraceStep call = all.stream().filter(c -> c.kind() == StepKind.CALL && c.id() == result.id())
                        .findFirst().orElseThrow();
                assertThat(result.timeNanos() - call.timeNanos()).isBetween(5_000L, 50_000L);
            }
        }
    }

    // ------------------------------------------------------------------ crashes and unsynced writes

    /** A guest writes 0123456789 under k without syncing, crashes, restarts, and reads k back. */
    static String unsyncedWriteAcrossACrash(Sim sim) {
        sim.add(HANDMADE);
        TestClient client = sim.client("client");
        op(sim, client, HandmadeGuest.SERVICE, "Write", write("k", "0123456789"));
        assertThat(readVia(sim, client, HandmadeGuest.SERVICE, "k")).as("a read sees an unsynced write")
                .isEqualTo("0123456789");
        sim.crash("handmade");
        sim.restart("handmade");
        return readVia(sim, client, HandmadeGuest.SERVICE, "k");
    }

    @Test
    void anUnsyncedWriteIsLostTornOrKeptAtACrashAsTheSeedDecides() {
        FaultProfile storage = FaultProfile.builder().label("disk")
                .storage(s -> s.lostUnsynced(0.3).tornUnsynced(0.3)).build();
        Set<String> outcomes = new LinkedHashSet<>();
        for (long seed = 1; seed <= 40; seed++) {
            FaultWorlds.Run<String> run = twice(config(seed, storage).build(), StorageFaultsTest::unsyncedWriteAcrossACrash);
            Sim sim = run.sim();
            String after = run.result();
            List<InjectedFault> lost = faults(sim, InjectedFault.Kind.LOST_WRITE);
            List<InjectedFault> torn = faults(sim, InjectedFault.Kind.TORN_WRITE);
            if (after == null) {
                outcomes.add("lost");
                assertThat(lost).singleElement().satisfies(f -> assertThat(f.detail())
                        .isEqualTo("unsynced write of 'k' by handmade lost"));
                assertThat(torn).isEmpty();
            } else if (after.equals("0123456789")) {
                outcomes.add("kept");
                assertThat(lost).isEmpty();
                assertThat(torn).isEmpty();
            } else {
                outcomes.add("torn");
                assertThat("0123456789").startsWith(after);
                assertThat(torn).singleElement().satisfies(f -> assertThat(f.detail())
                        .isEqualTo("unsynced write of 'k' by handmade torn: " + after.length() + " of 10 bytes kept"));
                assertThat(lost).isEmpty();
            }
            assertThat(FaultWorlds.steps(sim, StepKind.STORAGE)).hasSize(lost.size() + torn.size())
                    .allSatisfy(s -> assertThat(s.target()).isEqualTo("handmade"));
            assertFaultsAreTraceSteps(sim);
            if (!lost.isEmpty() || !torn.isEmpty()) {
                assertThat(assertReported(sim).describe()).contains("storage: unsynced lost 0.3000, torn 0.3000")
                        .contains(lost.isEmpty() ? " TORN_WRITE " : " LOST_WRITE ");
            }
        }
        assertThat(outcomes).containsExactlyInAnyOrder("lost", "torn", "kept");
    }

    @Test
    void syncedWritesAlwaysSurviveACrashAndUnsyncedOnesMayNot() {
        FaultProfile harsh = FaultProfile.builder().storage(s -> s.lostUnsynced(0.5).tornUnsynced(0.5)).build();
        int changedByCrash = 0;
        for (long seed = 1; seed <= 20; seed++) {
            List<String> after = twice(config(seed, harsh).build(), sim -> {
                sim.add(HANDMADE);
                TestClient client = sim.client("client");
                String s = HandmadeGuest.SERVICE;
                op(sim, client, s, "Write", write("a", "synced-a"));
                op(sim, client, s, "Write", write("gone", "synced-then-deleted"));
                op(sim, client, s, "Sync", SyncRequest.getDefaultInstance());
                op(sim, client, s, "Delete", delete("gone"));
                op(sim, client, s, "Sync", SyncRequest.getDefaultInstance());
                op(sim, client, s, "Write", write("a", "unsynced-a"));
                op(sim, client, s, "Write", write("b", "unsynced-b"));
                sim.crash("handmade");
                sim.restart("handmade");
                List<String> out = new ArrayList<>();
                out.add(readVia(sim, client, s, "a"));
                out.add(readVia(sim, client, s, "b"));
                out.add(readVia(sim, client, s, "gone"));
                return out;
            }).result();
            // What was synced is there (or overwritten by a surviving unsynced write); a synced delete stays done.
            assertThat(after.get(0)).satisfiesAnyOf(
                    v -> assertThat(v).isEqualTo("synced-a"),
                    v -> assertThat("unsynced-a").startsWith(v));
            assertThat(after.get(2)).isNull();
            changedByCrash += "unsynced-b".equals(after.get(1)) ? 0 : 1;
        }
        assertThat(changedByCrash).as("seeds where the crash lost or tore b").isGreaterThan(10);
    }

    @Test
    void withEveryUnsyncedOpLostOnlyWhatWasSyncedRemains() {
        FaultProfile losing = FaultProfile.builder().storage(s -> s.lostUnsynced(1)).build();
        FaultWorlds.Run<List<String>> run = twice(config(3, losing).build(), sim -> {
            sim.add(HANDMADE);
            TestClient client = sim.client("client");
            String s = HandmadeGuest.SERVICE;
            op(sim, client, s, "Write", write("a", "1"));
            op(sim, client, s, "Write", write("c", "3"));
            op(sim, client, s, "Sync", SyncRequest.getDefaultInstance());
            op(sim, client, s, "Write", write("a", "2"));
            op(sim, client, s, "Write", write("b", "2"));
            op(sim, client, s, "Delete", delete("c"));
            sim.crash("handmade");
            sim.restart("handmade");
            return List.of(String.valueOf(readVia(sim, client, s, "a")), String.valueOf(readVia(sim, client, s, "b")),
                    String.valueOf(readVia(sim, client, s, "c")));
        });
        assertThat(run.result()).containsExactly("1", "null", "3");
        assertThat(run.sim().injectedFaults()).extracting(InjectedFault::kind, InjectedFault::detail).containsExactly(
                org.assertj.core.api.Assertions.tuple(InjectedFault.Kind.CRASH, "handmade"),
                org.assertj.core.api.Assertions.tuple(InjectedFault.Kind.LOST_WRITE,
                        "unsynced write of 'a' by handmade lost"),
                org.assertj.core.api.Assertions.tuple(InjectedFault.Kind.LOST_WRITE,
                        "unsynced write of 'b' by handmade lost"),
                org.assertj.core.api.Assertions.tuple(InjectedFault.Kind.LOST_WRITE,
                        "unsynced delete of 'c' by handmade lost"),
                org.assertj.core.api.Assertions.tuple(InjectedFault.Kind.RESTART, "handmade"));
        assertFaultsAreTraceSteps(run.sim());
    }

    @Test
    void aStorageCallInFlightAtACrashIsAnsweredToNobody() {
        Sim sim = twice(config(4, FaultProfile.NONE).build(), s -> {
            s.add(HANDMADE);
            TestClient client = s.client("client");
            SimFuture<byte[]> w = client.call(HandmadeGuest.SERVICE, "Write", write("k", "v").toByteArray());
            s.runUntil(() -> FaultWorlds.steps(s).stream().anyMatch(t -> t.kind() == StepKind.CALL
                    && t.target().equals("storage")));
            s.crash("handmade");
            s.restart("handmade");
            s.run();
            assertThat(w.isDone()).isFalse();
            return null;
        }).sim();
        assertThat(FaultWorlds.steps(sim)).filteredOn(t -> t.source().equals("storage"))
                .extracting(TraceStep::kind).containsExactly(StepKind.DISCARD);
    }

    // ------------------------------------------------------------------ read errors and corruption

    @Test
    void readErrorsFailReadsWithUnavailable() {
        FaultProfile flaky = FaultProfile.builder().storage(s -> s.lostUnsynced(0).readError(0.5)).build();
        FaultWorlds.Run<List<Status>> run = twice(config(5, flaky).build(), sim -> {
            sim.add("proxy", proxy());
            TestClient client = sim.client("client");
            op(sim, client, "test.v1.Proxy", "Write", write("k", "v"));
            List<Status> statuses = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                SimFuture<byte[]> r = client.call("test.v1.Proxy", "Read", read("k").toByteArray());
                sim.run();
                statuses.add(r.status());
            }
            return statuses;
        });
        Sim sim = run.sim();
        long failed = run.result().stream().filter(s -> s == Status.UNAVAILABLE).count();
        assertThat(run.result()).containsOnly(Status.OK, Status.UNAVAILABLE);
        assertThat(failed).isBetween(3L, 17L);
        assertThat(faults(sim, InjectedFault.Kind.READ_ERROR)).hasSize((int) failed)
                .allSatisfy(f -> assertThat(f.detail()).isEqualTo("read of 'k' by proxy failed"));
        assertThat(FaultWorlds.steps(sim, StepKind.STORAGE)).hasSize((int) failed)
                .allSatisfy(s -> assertThat(s.target()).isEqualTo("proxy"));
        assertFaultsAreTraceSteps(sim);
        assertThat(assertReported(sim).describe()).contains(" READ_ERROR read of 'k' by proxy failed");
    }

    @Test
    void corruptionFlipsBitsOfOneByteOfWhatIsRead() {
        FaultProfile rotten = FaultProfile.builder().storage(s -> s.lostUnsynced(0).corruption(1)).build();
        byte[] written = "abcdefgh".getBytes(StandardCharsets.US_ASCII);
        FaultWorlds.Run<List<ByteString>> run = twice(config(6, rotten).build(), sim -> {
            sim.add("proxy", proxy());
            TestClient client = sim.client("client");
            op(sim, client, "test.v1.Proxy", "Write", write("k", "abcdefgh"));
            List<ByteString> reads = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                try {
                    reads.add(ReadReply.parseFrom(op(sim, client, "test.v1.Proxy", "Read", read("k"))).getValue());
                } catch (InvalidProtocolBufferException e) {
                    throw new AssertionError(e);
                }
            }
            // The disk itself is intact: corruption is in what a read returns.
            return reads;
        });
        List<InjectedFault> corruptions = faults(run.sim(), InjectedFault.Kind.CORRUPTION);
        assertThat(corruptions).hasSize(10);
        for (int r = 0; r < 10; r++) {
            byte[] value = run.result().get(r).toByteArray();
            assertThat(value).hasSize(8);
            List<Integer> differing = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                if (value[i] != written[i]) {
                    differing.add(i);
                }
            }
            assertThat(differing).hasSize(1);
            assertThat(corruptions.get(r).detail()).isEqualTo("read of 'k' by proxy corrupted at byte "
                    + differing.get(0));
        }
        assertFaultsAreTraceSteps(run.sim());
        assertReported(run.sim());
    }

    // ------------------------------------------------------------------ storage is not on the network

    /** A Java service that, at 1 ms, writes, syncs and reads back through Storage; returns what it read. */
    static List<String> localDiskWork(Sim sim) {
        List<String> out = new ArrayList<>();
        sim.add("worker", JavaService.builder("test.v1.Worker").requires(STORAGE)
                .onReady(ctx -> ctx.schedule(Duration.ofMillis(1), () ->
                        ctx.call(STORAGE, "Write", write("k", "v").toByteArray()).whenDone(w ->
                                ctx.call(STORAGE, "Sync", new byte[0]).whenDone(s ->
                                        ctx.call(STORAGE, "Read", read("k").toByteArray())
                                                .whenDone(r -> out.add(r.isOk() ? found(r.get()) : r.status().name()))))))
                .build());
        return out;
    }

    @Test
    void storageCallsAreNeverDroppedOrDelayedByTheNetwork() {
        FaultProfile hostile = FaultProfile.builder().network(n -> n.drop(1)).build();
        Sim sim = twice(config(7, hostile).build(), s -> {
            List<String> read = localDiskWork(s);
            TestClient client = s.client("client");
            SimFuture<byte[]> lost = client.call("test.v1.Worker", "Anything", new byte[0]);
            s.run();
            assertThat(lost.isDone()).as("the network loses everything else").isFalse();
            assertThat(read).containsExactly("v");
            return read;
        }).sim();
        assertThat(faults(sim, InjectedFault.Kind.DROP)).singleElement()
                .satisfies(f -> assertThat(f.detail()).contains("client -> worker"));
    }

    @Test
    void partitionsAndClogsDoNotReachANodesOwnDisk() {
        Sim sim = twice(config(8, FaultProfile.NONE).build(), s -> {
            List<String> read = localDiskWork(s);
            s.client("client");
            s.boot();
            s.partition(List.of("worker"), List.of("client", "storage"));
            s.clog("worker", Duration.ofSeconds(1));
            s.run();
            assertThat(read).containsExactly("v");
            return read;
        }).sim();
        assertThat(sim.nowNanos()).as("the disk answered at once, not after the clog").isLessThan(2_000_000L);
        assertThat(FaultWorlds.steps(sim, StepKind.DROP)).isEmpty();
    }
}
