package dev.parigot.sim.samples;

import com.google.protobuf.ByteString;
import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.NodeOptions;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimFuture;
import dev.parigot.sim.kernel.TestClient;
import dev.parigot.sim.samples.rkv.v1.GetReply;
import dev.parigot.sim.samples.rkv.v1.GetRequest;
import dev.parigot.sim.samples.rkv.v1.PutReply;
import dev.parigot.sim.samples.rkv.v1.PutRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A replicated key-value store whose durability bugs only crashes reveal: rkv (C, in
 * {@code samples/guests/rkv/}), a primary {@value #PRIMARY} that stores every Put in its log and
 * replicates it to a backup {@value #BACKUP} before acknowledging it, both serving Gets. Two
 * variants carry a bug that real systems have shipped:
 * <ul>
 *   <li>{@link Variant#ACK_EARLY}: a write is answered for once its Write and Sync are issued,
 *       before the Sync has answered;</li>
 *   <li>{@link Variant#TRUST_UNSYNCED}: after a restart a node serves what it read back from its
 *       disk without syncing it first.</li>
 * </ul>
 * The scenario contains no fault code of its own: it is meant to run under the built-in fault
 * profile with swarm on, whose crashes (with restarts) and storage faults find both bugs.
 */
public final class DurabilitySamples {
    public static final String STORE = "rkv.v1.Store";
    public static final String PRIMARY = "p";
    public static final String BACKUP = "b";
    static final List<String> NODES = List.of(PRIMARY, BACKUP);

    /** The three builds of rkv. */
    public enum Variant {
        ACK_EARLY("rkv_ack_early"),
        TRUST_UNSYNCED("rkv_trust_unsynced"),
        FIXED("rkv_fixed");

        private final String module;

        Variant(String module) {
            this.module = module;
        }

        public String module() {
            return module;
        }

        /** The variant's WASM module. */
        public GuestModule guest() {
            return FaultSamples.guest(module).named("rkv");
        }
    }

    /**
     * The workload: {@value #CYCLES} cycles of a write phase ({@value #WRITE_PHASE_MILLIS} ms, one
     * writer putting new versions of its {@value #KEYS} keys) and a read phase
     * ({@value #READ_PHASE_MILLIS} ms, {@value #READERS} readers getting random keys from random
     * nodes; the writer only retries what has not been acknowledged). A crash during a write phase leaves
     * unsynced writes behind; the long read phase gives the node time to restart (10 to 500 ms
     * under the built-in profile), serve what it recovered, crash again and be read once more
     * before new writes sync everything and hide the loss.
     */
    static final int CYCLES = 2;
    static final long WRITE_PHASE_MILLIS = 30;
    static final long READ_PHASE_MILLIS = 700;
    static final int KEYS = 4;
    static final int READERS = 2;
    static final Duration WRITE_PHASE = Duration.ofMillis(WRITE_PHASE_MILLIS);
    static final Duration CYCLE = WRITE_PHASE.plusMillis(READ_PHASE_MILLIS);
    static final Duration WORKLOAD = CYCLE.multipliedBy(CYCLES);
    /** A Put unanswered for this long is sent again (the same version). */
    static final Duration PUT_TIMEOUT = Duration.ofMillis(40);
    /** A Get unanswered for this long is given up (the reader goes on with another). */
    static final Duration GET_TIMEOUT = Duration.ofMillis(5);
    /** After a Put answered with an error, before sending it again. */
    static final Duration RETRY_AFTER = Duration.ofMillis(2);
    /** Between an acknowledged Put and the next. */
    static final Duration WRITE_GAP = Duration.ofMillis(1);
    /** Between a Get's end and a reader's next Get. */
    static final Duration READ_GAP = Duration.ofMillis(2);

    private DurabilitySamples() {
    }

    /** Adds the primary and the backup, two nodes of the variant's module. */
    public static void addStore(Sim sim, Variant variant) {
        GuestModule rkv = variant.guest();
        sim.add(rkv, NodeOptions.named(PRIMARY).env("RKV_ROLE", "primary").env("RKV_PEER", BACKUP));
        sim.add(rkv, NodeOptions.named(BACKUP).env("RKV_ROLE", "backup").env("RKV_PEER", PRIMARY));
    }

    /** The value a writer puts for {@code version} of {@code key}: distinct for every write. */
    public static String valueOf(String key, long version) {
        return key + "=v" + version;
    }

    /**
     * The store under the workload described at {@link #CYCLES}: a writer puts v1, v2, ... of
     * its keys to the primary, retrying each version until it is acknowledged; readers get random
     * keys from random nodes. Checked after every step, from what the clients saw: an
     * acknowledged Put is visible to every Get issued after the acknowledgement, on either node
     * (until a newer acknowledged version replaces it), and a node that returned a version of a
     * key never returns an older one to a Get issued after that. No fault code here: run it under
     * {@code FaultProfile.defaults()} with swarm on.
     */
    public static void ackedWritesSurvive(Sim sim, Variant variant) {
        addStore(sim, variant);
        History history = new History(sim);
        for (int k = 0; k < KEYS; k++) {
            history.keys.add("k" + k);
        }
        new Writer(history, sim.client("writer"), history.keys).next();
        for (int r = 0; r < READERS; r++) {
            new Reader(history, sim.client("reader" + (r + 1))).next();
        }
        sim.runFor(WORKLOAD);
    }

    /** Whether clients write at {@code nanos} (else they read). */
    static boolean writing(long nanos) {
        return nanos % CYCLE.toNanos() < WRITE_PHASE.toNanos();
    }

    /** How long from {@code nanos} until the next phase of the other kind starts. */
    static Duration untilPhaseEnds(long nanos) {
        long inCycle = nanos % CYCLE.toNanos();
        long end = inCycle < WRITE_PHASE.toNanos() ? WRITE_PHASE.toNanos() : CYCLE.toNanos();
        return Duration.ofNanos(end - inCycle);
    }

    /** What the clients saw, and the two properties checked against it. */
    static final class History {
        final Sim sim;
        final List<String> keys = new ArrayList<>();
        /** key -> the newest acknowledged version. */
        final Map<String, Long> acked = new LinkedHashMap<>();
        /** node -> key -> the newest version a Get from that node returned. */
        final Map<String, Map<String, Long>> seen = new LinkedHashMap<>();
        String lostAck;
        String disappeared;

        History(Sim sim) {
            this.sim = sim;
            for (String n : NODES) {
                seen.put(n, new LinkedHashMap<>());
            }
            sim.invariant("an acknowledged write stays visible", () -> {
                if (lostAck != null) {
                    throw new AssertionError(lostAck);
                }
            });
            sim.invariant("a value once read never disappears", () -> {
                if (disappeared != null) {
                    throw new AssertionError(disappeared);
                }
            });
        }

        void acknowledged(String key, long version) {
            acked.merge(key, version, Math::max);
        }

        /** A Get of {@code key} from {@code node}, issued when the history stood at {@code ackedThen, seenThen}. */
        void got(String node, String key, long ackedThen, long seenThen, GetReply reply) {
            long version = reply.getFound() ? reply.getVersion() : 0;
            String value = reply.getValue().toStringUtf8();
            if (reply.getFound() && !value.equals(valueOf(key, version))) {
                lostAck = lostAck != null ? lostAck : "Get(" + key + ") from " + node + " returned version " + version
                        + " with value '" + value + "', which no writer wrote";
            }
            if (version < ackedThen && lostAck == null) {
                lostAck = "Put(" + key + ", v" + ackedThen + ") was acknowledged, but a later Get from " + node
                        + " returned " + text(version);
            }
            if (version < seenThen && disappeared == null) {
                disappeared = "a Get from " + node + " returned " + key + " v" + seenThen + ", a later one returned "
                        + text(version);
            }
            seen.get(node).merge(key, version, Math::max);
        }

        static String text(long version) {
            return version == 0 ? "nothing" : "v" + version;
        }
    }

    /** Puts v1, v2, ... of its keys in turn; each version is retried until acknowledged. */
    static final class Writer {
        final History history;
        final TestClient client;
        final List<String> keys;
        final Map<String, Long> versions = new LinkedHashMap<>();
        int turn;

        Writer(History history, TestClient client, List<String> keys) {
            this.history = history;
            this.client = client;
            this.keys = keys;
        }

        void next() {
            if (!writing(client.nowNanos())) {
                client.schedule(untilPhaseEnds(client.nowNanos()), this::next);
                return;
            }
            String key = keys.get(turn++ % keys.size());
            long version = versions.merge(key, 1L, Long::sum);
            put(key, version);
        }

        void put(String key, long version) {
            PutRequest request = PutRequest.newBuilder().setKey(key).setVersion(version)
                    .setValue(ByteString.copyFrom(valueOf(key, version), StandardCharsets.UTF_8)).build();
            SimFuture<PutReply> reply = client.call(STORE + "@" + PRIMARY, "Put", request, PutReply.parser());
            long timeout = client.schedule(PUT_TIMEOUT, () -> put(key, version));
            reply.whenDone(r -> {
                if (!client.cancel(timeout)) {
                    return; // timed out already: the retry is on its way
                }
                if (r.isOk()) {
                    history.acknowledged(key, version);
                    client.schedule(WRITE_GAP, this::next);
                } else {
                    client.schedule(RETRY_AFTER, () -> put(key, version));
                }
            });
        }
    }

    /** Gets a random key from a random node, one at a time, until the workload ends. */
    static final class Reader {
        final History history;
        final TestClient client;

        Reader(History history, TestClient client) {
            this.history = history;
            this.client = client;
        }

        void next() {
            if (writing(client.nowNanos())) {
                client.schedule(untilPhaseEnds(client.nowNanos()), this::next);
                return;
            }
            String key = history.keys.get(Math.floorMod(client.randomLong(), history.keys.size()));
            String node = NODES.get(Math.floorMod(client.randomLong(), NODES.size()));
            long ackedThen = history.acked.getOrDefault(key, 0L);
            long seenThen = history.seen.get(node).getOrDefault(key, 0L);
            SimFuture<GetReply> reply = client.call(STORE + "@" + node, "Get",
                    GetRequest.newBuilder().setKey(key).build(), GetReply.parser());
            long timeout = client.schedule(GET_TIMEOUT, this::next);
            reply.whenDone(r -> {
                if (!client.cancel(timeout)) {
                    return;
                }
                if (r.isOk()) {
                    history.got(node, key, ackedThen, seenThen, r.get());
                }
                client.schedule(READ_GAP, this::next);
            });
        }
    }
}
