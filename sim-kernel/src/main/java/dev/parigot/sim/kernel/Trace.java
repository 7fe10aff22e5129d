package dev.parigot.sim.kernel;

import dev.parigot.sim.kernel.internal.node.Route;
import dev.parigot.sim.scheduler.internal.Prng;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every step of a world: a running 64-bit hash over all steps (the trace hash), the hash after
 * each step (to name the first step where two runs diverge), and the fields of the most recent
 * steps, kept in columns so that recording a step allocates nothing.
 *
 * <p>The hash after each step is kept for the first {@link #EVERY_STEP_HASHED} steps (8 bytes a
 * step: 16 MiB at most, and a world's default step limit is 1,000,000); past them, the hash after
 * every {@link #CHECKPOINT_STEPS}th step, so a world that runs for billions of steps holds a few
 * MiB of them instead of running the heap out. Past that point two runs' first divergence is
 * named to the block of {@link #CHECKPOINT_STEPS} steps it lies in.
 */
public final class Trace {
    // One row of the ring per kept step, all in one array so a step writes one place:
    // time, id, payload hash, source << 32 | target, route << 32 | bytes, kind << 8 | status.
    private static final int ROW = 6;
    /** Rows (and chain entries) held at first, doubled as the run goes on: a short seed takes few steps. */
    private static final int ROWS_FIRST = 16;
    private final List<String> nodeNames;
    private final List<Route> routes;
    private final int capacity;
    private long[] rows = new long[0];
    /** The payload of each kept step, by ring slot, or null when payloads are not kept. */
    private byte[][] payloads;
    /** The ring slot the next step goes to: steps % capacity, kept without dividing. */
    private int nextSlot;
    /** Steps whose own hash is kept, from the first on. */
    static final long EVERY_STEP_HASHED = 1L << 21;
    /** Past {@link #EVERY_STEP_HASHED}, the hash after one step in this many is kept. */
    static final int CHECKPOINT_STEPS = 1024;
    /** chain[i]: the hash after step i + 1, for steps up to the first limit. */
    private long[] chain = new long[ROWS_FIRST];
    /** The first-steps limit of this trace ({@link #EVERY_STEP_HASHED}; smaller in tests). */
    private final long everyStepHashed;
    /** checkpoints[k]: the hash after step everyStepHashed + (k + 1) * CHECKPOINT_STEPS. */
    private long[] checkpoints;
    private int nCheckpoints;
    private long steps;
    private long hash = 0x5eedL;

    Trace(List<String> nodeNames, List<Route> routes, int capacity, boolean keepPayloads) {
        this(nodeNames, routes, capacity, keepPayloads, EVERY_STEP_HASHED);
    }

    Trace(List<String> nodeNames, List<Route> routes, int capacity, boolean keepPayloads, long everyStepHashed) {
        this.everyStepHashed = everyStepHashed;
        this.nodeNames = nodeNames;
        this.routes = routes;
        this.capacity = Math.max(1, capacity);
        this.payloads = keepPayloads ? new byte[0][] : null;
    }

    void record(long timeNanos, int sourceNode, int targetNode, StepKind stepKind, long eventId, int routeId,
            byte[] payload, int resultStatus) {
        int size = payload == null ? 0 : payload.length;
        long ph = size == 0 ? 0 : hashBytes(payload);
        int kindOrdinal = stepKind.ordinal();
        long h = hash;
        h = Prng.mix(h ^ timeNanos);
        h = Prng.mix(h ^ (((long) sourceNode << 40) ^ ((long) targetNode << 16) ^ kindOrdinal));
        h = Prng.mix(h ^ eventId);
        h = Prng.mix(h ^ (((long) routeId << 32) ^ size ^ ((long) resultStatus << 56)));
        h = Prng.mix(h ^ ph);
        hash = h;
        int slot = nextSlot;
        if (slot * ROW >= rows.length) {
            rows = Arrays.copyOf(rows, (int) Math.min(capacity, Math.max(ROWS_FIRST, rows.length / ROW * 2L)) * ROW);
        }
        nextSlot = slot + 1 == capacity ? 0 : slot + 1;
        int at = slot * ROW;
        rows[at] = timeNanos;
        rows[at + 1] = eventId;
        rows[at + 2] = ph;
        rows[at + 3] = (long) sourceNode << 32 | (targetNode & 0xffffffffL);
        rows[at + 4] = (long) routeId << 32 | (size & 0xffffffffL);
        rows[at + 5] = kindOrdinal << 8 | (resultStatus & 0xff);
        if (payloads != null) {
            if (slot >= payloads.length) {
                payloads = Arrays.copyOf(payloads, rows.length / ROW);
            }
            payloads[slot] = size == 0 ? null : payload; // payloads are never written after they are sent
        }
        long s = steps;
        if (s < everyStepHashed) {
            if (s == chain.length) {
                chain = Arrays.copyOf(chain, (int) Math.min(everyStepHashed, chain.length * 2L));
            }
            chain[(int) s] = h;
        } else if ((s + 1 - everyStepHashed) % CHECKPOINT_STEPS == 0) {
            checkpoint(h);
        }
        steps = s + 1;
    }

    private void checkpoint(long h) {
        if (checkpoints == null) {
            checkpoints = new long[ROWS_FIRST];
        } else if (nCheckpoints == checkpoints.length) {
            checkpoints = Arrays.copyOf(checkpoints, nCheckpoints * 2);
        }
        checkpoints[nCheckpoints++] = h;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** A 64-bit hash of a payload (8 bytes at a time, then mixed). */
    static long hashBytes(byte[] data) {
        long h = 0x9e3779b97f4a7c15L ^ data.length;
        int i = 0;
        for (; i + 8 <= data.length; i += 8) {
            long v = (long) LONGS.get(data, i); // bytes i..i+7, little-endian
            h = Long.rotateLeft(h ^ (v * 0xbf58476d1ce4e5b9L), 27) * 0x94d049bb133111ebL;
        }
        for (; i < data.length; i++) {
            h = (h ^ (data[i] & 0xff)) * 0x100000001b3L;
        }
        return Prng.mix(h);
    }

    /** Steps recorded so far. */
    public long steps() {
        return steps;
    }

    /**
     * The hash of the whole trace so far: for one test, equal hashes mean (almost surely) equal runs.
     * It covers each step's time, kind, source and target node by index, route by number, call id,
     * status and payload bytes, not the names behind those indexes: two different worlds whose
     * runs have the same shape (a node that hangs at its first call, say) can share a hash.
     */
    public long hash() {
        return hash;
    }

    /** The trace {@linkplain #hash() hash} as 16 lowercase hex digits, as failure reports print it. */
    public String hashText() {
        return String.format("%016x", hash);
    }

    /**
     * The trace hash as it stood after step {@code step} (1-based): kept for every one of the
     * first 2,097,152 steps, then for every 1,024th and the last; any other throws
     * {@link IndexOutOfBoundsException} (see {@link #keepsHashAfter}).
     */
    public long hashAfter(long step) {
        if (step < 1 || step > steps) {
            throw new IndexOutOfBoundsException("step " + step + " of " + steps);
        }
        if (step <= everyStepHashed) {
            return chain[(int) step - 1];
        }
        if (step == steps) {
            return hash;
        }
        if (!keepsHashAfter(step)) {
            throw new IndexOutOfBoundsException("the hash after step " + step + " is not kept: past step "
                    + everyStepHashed + " a trace keeps the hash after every " + CHECKPOINT_STEPS + "th step");
        }
        return checkpoints[(int) ((step - everyStepHashed) / CHECKPOINT_STEPS) - 1];
    }

    /** Whether {@link #hashAfter} answers for {@code step}. */
    public boolean keepsHashAfter(long step) {
        return step >= 1 && step <= steps && (step <= everyStepHashed || step == steps
                || (step - everyStepHashed) % CHECKPOINT_STEPS == 0);
    }

    /** Whether the fields of step {@code step} (1-based) are still kept. */
    public boolean retains(long step) {
        return step >= 1 && step <= steps && step > steps - capacity;
    }

    /** Step {@code step} (1-based), if still kept. */
    public TraceStep step(long step) {
        if (!retains(step)) {
            throw new IndexOutOfBoundsException("step " + step + " is not kept (" + steps + " steps, last "
                    + capacity + " kept; raise SimConfig traceStepsKept)");
        }
        int at = (int) ((step - 1) % capacity) * ROW;
        int routeId = (int) (rows[at + 4] >> 32);
        Route r = routeId < 0 ? Route.NONE : routes.get(routeId);
        return new TraceStep(step, rows[at], nodeName((int) (rows[at + 3] >> 32)), nodeName((int) rows[at + 3]),
                StepKind.values()[(int) (rows[at + 5] >> 8)], rows[at + 1], r.label, (int) rows[at + 4], rows[at + 2],
                (byte) rows[at + 5]);
    }

    /**
     * The payload step {@code step} (1-based) carried, a copy; empty when the step had none, or
     * when the world does not keep payloads ({@link SimConfig.Builder#tracePayloads}).
     */
    public java.util.Optional<byte[]> payload(long step) {
        if (!retains(step)) {
            throw new IndexOutOfBoundsException("step " + step + " is not kept (" + steps + " steps, last "
                    + capacity + " kept; raise SimConfig traceStepsKept)");
        }
        byte[] p = payloads == null ? null : payloads[(int) ((step - 1) % capacity)];
        return p == null ? java.util.Optional.empty() : java.util.Optional.of(p.clone());
    }

    /** Whether this trace keeps payload bytes. */
    public boolean keepsPayloads() {
        return payloads != null;
    }

    private String nodeName(int index) {
        return index < 0 ? "kernel" : nodeNames.get(index);
    }

    /** The last {@code n} steps kept, oldest first. */
    public List<TraceStep> last(int n) {
        long from = Math.max(Math.max(1, steps - n + 1), steps - capacity + 1);
        List<TraceStep> out = new ArrayList<>();
        for (long s = from; s <= steps; s++) {
            out.add(step(s));
        }
        return out;
    }

    /**
     * The first step (1-based) after which two traces differ, or -1 if they are identical. Within
     * the first 2,097,152 steps the step is exact; past them it is the first step of the block
     * of 1,024 steps (between two kept hashes) in which the traces first differ.
     */
    public static long firstDivergence(Trace a, Trace b) {
        long common = Math.min(a.steps, b.steps);
        long exact = Math.min(common, Math.min(a.everyStepHashed, b.everyStepHashed));
        for (long s = 1; s <= exact; s++) {
            if (a.chain[(int) s - 1] != b.chain[(int) s - 1]) {
                return s;
            }
        }
        // Then from one kept hash to the next (every CHECKPOINT_STEPS steps, and the last): the first
        // block whose end differs holds the divergence.
        long agreed = exact;
        for (long at = exact; at < common; ) {
            at = Math.min(at + CHECKPOINT_STEPS, common);
            if (a.keepsHashAfter(at) && b.keepsHashAfter(at)) {
                if (a.hashAfter(at) != b.hashAfter(at)) {
                    return agreed + 1;
                }
                agreed = at;
            }
        }
        if (a.steps == b.steps) {
            return -1;
        }
        return agreed == common ? common + 1 : agreed + 1;
    }
}
