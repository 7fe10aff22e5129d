package dev.parigot.sim.kernel.internal.guest;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasm.types.DataSegment;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import com.dylibso.chicory.wasm.types.PassiveDataSegment;
import dev.parigot.sim.kernel.ModuleException;
import dev.parigot.sim.kernel.internal.supervision.HeapGuard;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A node's linear memory, held as 1 KiB chunks (64 to a WebAssembly page), each either the
 * node's own or shared with a boot image and copied on its first write. A world restored from an
 * image therefore pays for the chunks its seed writes (a few stack frames, the heap blocks it
 * touches), not for the memory the module declares; reads never copy.
 *
 * <p>Every page this memory allocates for itself at once (its initial memory, {@code memory.grow},
 * the image it is restored from) is first checked against the JVM's heap by {@link HeapGuard}: a
 * guest that would leave the heap too full for the rest of the JVM (other worlds, the watchdog,
 * the test runner's own threads) fails its world as RESOURCE instead of running the JVM out of
 * heap. It never sees the refusal, so what a guest sees stays a function of the seed.
 *
 * <p>Out-of-bounds accesses throw Chicory's {@link WasmRuntimeException} with the message its own
 * memories use, so traps read the same whichever memory a node runs on. One world runs on one
 * thread, so atomics are plain accesses and a wait never sleeps.
 *
 * <p>The scalar accesses (what compiled guest code calls for every load and store) are written
 * as Chicory's {@code ByteArrayMemory} writes its own: no explicit bounds check on the fast path.
 * A chunk slot past the memory's end is null and an index past the slot array (a negative
 * address: {@code addr >>> SHIFT} is then at least 2^21, more than {@code RUNTIME_MAX_PAGES}
 * pages of chunks) is out of the array, so the JVM's own checks find every out-of-bounds access
 * and the catch turns it into the same trap as before. A store looks up {@link #own}, where a
 * chunk shared with an image is null: one load and a null test decide whether to copy.
 */
public final class PagedMemory implements Memory {
    /**
     * Chunks of 1 KiB: small enough that a seed copies little more than it writes (a bank seed
     * allocates 63 KB in all with 1 KiB chunks, 88 KB with 4 KiB, 440 KB with 64 KiB pages).
     */
    static final int SHIFT = 10;
    public static final int CHUNK = 1 << SHIFT;
    private static final int MASK = CHUNK - 1;
    static final int CHUNKS_PER_PAGE = PAGE_SIZE / CHUNK;
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    /** The node this memory belongs to now (a {@link SpareInstance}'s memory serves one node after another). */
    private GuestNode node;
    private final MemoryLimits limits;
    private final int maxPages;
    /** The chunks, own or shared; null from {@link #nChunks} on. Grows with the memory. */
    private byte[][] chunks;
    /**
     * {@code own[i] == chunks[i]} once chunk i is this memory's own; null while it is shared with
     * an image (the first write copies it) and from {@link #nChunks} on.
     */
    private byte[][] own;
    private int nPages;
    private int nChunks;
    private DataSegment[] dataSegments;
    /** The image this memory starts from; Chicory's zero() and initialize() then leave it as it is. */
    private BootImage restoring;
    private boolean initialized;

    /** A fresh memory of {@code limits.initialPages()} zeroed pages of its own. */
    PagedMemory(GuestNode node, MemoryLimits limits) {
        this(node, limits, limits.initialPages());
        node.checkHeapRoom((long) nPages * PAGE_SIZE, null);
        for (int i = 0; i < nChunks; i++) {
            chunks[i] = new byte[CHUNK];
            own[i] = chunks[i];
        }
    }

    /** A memory whose chunks are {@code image}'s, shared until written. */
    PagedMemory(GuestNode node, MemoryLimits limits, BootImage image) {
        this(node, limits, image.chunks.length / CHUNKS_PER_PAGE);
        // Accounted as if every chunk were copied, as a fresh memory allocates them all.
        node.checkHeapRoom((long) nPages * PAGE_SIZE, null);
        System.arraycopy(image.chunks, 0, chunks, 0, nChunks);
        this.restoring = image;
        this.base = image;
    }

    private PagedMemory(GuestNode node, MemoryLimits limits, int initialPages) {
        this.node = node;
        this.limits = limits;
        this.maxPages = Math.min(limits.maximumPages(), RUNTIME_MAX_PAGES);
        if (initialPages > maxPages) {
            throw new ModuleException("a memory of " + initialPages + " pages does not fit its limit of " + maxPages
                    + " pages");
        }
        // Sized for what the memory holds, not its maximum: a 256 MiB limit would be 65,536 slots per world.
        // memory.grow doubles the slots, so a guest that grows pays for few copies of them.
        int slots = Math.max(1, initialPages) * CHUNKS_PER_PAGE;
        this.chunks = new byte[slots][];
        this.own = new byte[slots][];
        this.nPages = initialPages;
        this.nChunks = initialPages * CHUNKS_PER_PAGE;
    }

    /** The image this memory was restored from, or null for a fresh memory; after {@link #retire}, what its slots hold. */
    private BootImage base;
    /** Chunks below the image's end copied since the restore, in order: what {@link #retire} puts back. */
    private int[] written;
    private int nWritten;

    /**
     * Back to the state of {@code image} for {@code node}, as a new memory restored from it would
     * be (a {@link SpareInstance} taken again): its chunks, its size, its dropped data segments. A
     * retired memory's slots already hold its last image's chunks, so restoring the same image
     * costs nothing here; another image costs a copy of the chunk slots, never of the memory.
     */
    void restore(GuestNode node, BootImage image, GuestCode code) {
        int chunksAfter = image.chunks.length;
        // Accounted as a new restored memory is, before anything changes.
        node.checkHeapRoom((long) (chunksAfter / CHUNKS_PER_PAGE) * PAGE_SIZE, null);
        this.node = node;
        if (image != base) {
            int before = base.chunks.length;
            if (chunksAfter > chunks.length) {
                chunks = new byte[chunksAfter][];
                own = new byte[chunksAfter][];
            } else if (before > chunksAfter) {
                Arrays.fill(chunks, chunksAfter, before, null);
            }
            System.arraycopy(image.chunks, 0, chunks, 0, chunksAfter);
            base = image;
        }
        nChunks = chunksAfter;
        nPages = chunksAfter / CHUNKS_PER_PAGE;
        boolean[] dropped = image.droppedSegments;
        for (int i = 0; dataSegments != null && i < dataSegments.length; i++) {
            dataSegments[i] = i < dropped.length && dropped[i] ? PassiveDataSegment.EMPTY
                    : code.wasm().dataSection().getDataSegment(i);
        }
    }

    /**
     * Holds nothing of the node it served (a restored memory only): the slots of the chunks it
     * copied point at its image's chunks again and those past the image's end (memory.grow) are
     * empty, so the slots are the image's and nothing is its own; it costs what the node wrote.
     * Up to {@link #RECYCLED_MAX} of the chunks it had are kept as arrays for the copies of the
     * next node it serves (each overwritten whole before use); the rest go back to the heap.
     */
    void retire() {
        byte[][] image = base.chunks;
        for (int k = 0; k < nWritten; k++) {
            int i = written[k];
            recycle(own[i]);
            own[i] = null;
            chunks[i] = image[i];
        }
        for (int i = image.length; i < nChunks; i++) {
            recycle(own[i]);
            own[i] = null;
            chunks[i] = null;
        }
        nWritten = 0;
        nChunks = 0; // every access traps until the next restore
        nPages = 0;
        node = null;
        if (chunks.length > 2 * image.length) {
            // The node grew its memory far past the image: a spare keeps slots for the image, not for that.
            chunks = Arrays.copyOf(chunks, image.length);
            own = new byte[image.length][];
        }
    }

    private void recycle(byte[] chunk) {
        if (nRecycled < RECYCLED_MAX) {
            if (recycled == null) {
                recycled = new byte[RECYCLED_MAX][];
            }
            recycled[nRecycled++] = chunk;
        }
    }

    /** Chunk arrays a retired memory keeps for its next copies at most: 64 KiB. */
    static final int RECYCLED_MAX = 64;
    /** Chunk arrays kept from the node this memory served before, for copy-on-write copies; null until retired. */
    private byte[][] recycled;
    private int nRecycled;

    /** The one all-zero chunk every image shares for its zero chunks; never written. */
    static final byte[] ZERO_CHUNK = new byte[CHUNK];

    /**
     * The chunks as they are now, for a boot image: this memory keeps using them and copies any
     * it writes from now on, so the image never changes. All-zero chunks (untouched heap, a
     * large zeroed buffer) become {@link #ZERO_CHUNK} in the image, so an image holds only the
     * bytes the boot wrote.
     */
    byte[][] freezeChunks() {
        byte[][] frozen = Arrays.copyOf(chunks, nChunks);
        for (int i = 0; i < nChunks; i++) {
            if (isZero(chunks[i])) {
                frozen[i] = ZERO_CHUNK;
            } else {
                own[i] = null;
            }
        }
        return frozen;
    }

    private static boolean isZero(byte[] chunk) {
        for (int i = 0; i < CHUNK; i += 8) {
            if ((long) LONG.get(chunk, i) != 0L) {
                return false;
            }
        }
        return true;
    }

    /** Bytes of {@code chunks} other than the shared zero chunk: what an image holds of the heap. */
    static long heldBytes(byte[][] chunks) {
        long held = 0;
        for (byte[] chunk : chunks) {
            if (chunk != ZERO_CHUNK) {
                held += CHUNK;
            }
        }
        return held;
    }

    /** Which passive data segments have been dropped ({@code data.drop}). */
    boolean[] droppedSegments() {
        boolean[] dropped = new boolean[dataSegments == null ? 0 : dataSegments.length];
        for (int i = 0; i < dropped.length; i++) {
            dropped[i] = dataSegments[i] == PassiveDataSegment.EMPTY;
        }
        return dropped;
    }

    /** Bytes this memory holds of its own (chunks copied or allocated), for measuring what a seed costs. */
    public long ownBytes() {
        long bytes = 0;
        for (int i = 0; i < nChunks; i++) {
            if (own[i] != null) {
                bytes += CHUNK;
            }
        }
        return bytes;
    }

    // ---- size ----

    @Override
    public int pages() {
        return nPages;
    }

    @Override
    public int grow(int size) {
        int before = nPages;
        long after = (long) before + size;
        if (size < 0 || after > maxPages) {
            if (size >= 0 && node != null) {
                node.growRefused(size);
            }
            return -1;
        }
        if (size > 0) {
            node.checkHeapRoom((long) size * PAGE_SIZE, size);
        }
        int chunksAfter = (int) after * CHUNKS_PER_PAGE;
        if (chunksAfter > chunks.length) {
            int slots = (int) Math.min((long) maxPages * CHUNKS_PER_PAGE, Math.max(chunksAfter, 2L * chunks.length));
            chunks = Arrays.copyOf(chunks, slots);
            own = Arrays.copyOf(own, slots);
        }
        for (int i = nChunks; i < chunksAfter; i++) {
            chunks[i] = new byte[CHUNK];
            own[i] = chunks[i];
        }
        nPages = (int) after;
        nChunks = chunksAfter;
        return before;
    }

    @Override
    public int initialPages() {
        return limits.initialPages();
    }

    @Override
    public int maximumPages() {
        return maxPages;
    }

    @Override
    public boolean shared() {
        return limits.shared();
    }

    // ---- instantiation ----

    @Override
    public void zero() {
        // Before instantiation the pages are fresh zeros or the image: nothing to clear.
        if (initialized) {
            fill((byte) 0, 0, sizeInBytes());
        }
    }

    @Override
    public void initialize(Instance instance, DataSegment[] segments) {
        initialize(instance, segments, 0);
    }

    @Override
    public void initialize(Instance instance, DataSegment[] segments, int memoryIndex) {
        this.dataSegments = segments;
        this.initialized = true;
        if (restoring != null) {
            // The image holds what the data segments wrote, and what the module did after.
            boolean[] dropped = restoring.droppedSegments;
            for (int i = 0; segments != null && i < dropped.length && i < segments.length; i++) {
                if (dropped[i]) {
                    segments[i] = PassiveDataSegment.EMPTY;
                }
            }
            restoring = null;
            return;
        }
        if (segments == null) {
            return;
        }
        for (DataSegment s : segments) {
            if (s instanceof com.dylibso.chicory.wasm.types.ActiveDataSegment) {
                var segment = (com.dylibso.chicory.wasm.types.ActiveDataSegment) s;
                if (segment.index() != memoryIndex) {
                    continue;
                }
                int offset = (int) com.dylibso.chicory.runtime.ConstantEvaluators.computeConstantValue(instance,
                        segment.offsetInstructions())[0];
                byte[] data = segment.data();
                if (offset < 0 || (long) offset + data.length > sizeInBytes()) {
                    throw new com.dylibso.chicory.wasm.UninstantiableException(outOfBounds(offset, data.length));
                }
                write(offset, data, 0, data.length);
            }
        }
    }

    @Override
    public void initPassiveSegment(int segmentId, int dest, int offset, int size) {
        write(dest, dataSegments[segmentId].data(), offset, size);
    }

    @Override
    public void drop(int segment) {
        dataSegments[segment] = PassiveDataSegment.EMPTY;
    }

    // ---- page access ----

    private int sizeInBytes() {
        return nPages * PAGE_SIZE;
    }

    private static String outOfBounds(long addr, long size, long limit) {
        return "out of bounds memory access: attempted to access address: " + addr + " but limit is: " + limit
                + " and size: " + size;
    }

    private String outOfBounds(long addr, long size) {
        return outOfBounds(addr, size, sizeInBytes());
    }

    private WasmRuntimeException oob(int addr, int size) {
        return new WasmRuntimeException(outOfBounds(addr, size));
    }

    private void checkBounds(int addr, int size) {
        if (addr < 0 || size < 0 || (long) addr + size > sizeInBytes()) {
            throw oob(addr, size);
        }
    }

    /** Chunk {@code index} of an access at {@code addr} of {@code size} bytes, made this memory's own. */
    private byte[] writable(int index, int addr, int size) {
        if (index >= nChunks) {
            throw oob(addr, size);
        }
        byte[] chunk = own[index];
        return chunk != null ? chunk : copyShared(index);
    }

    /** Chunk {@code index} (below {@link #nChunks}), still shared with an image: copied, now this memory's own. */
    private byte[] copyShared(int index) {
        byte[] chunk;
        if (nRecycled > 0) {
            chunk = recycled[--nRecycled];
            recycled[nRecycled] = null;
            System.arraycopy(chunks[index], 0, chunk, 0, CHUNK);
        } else {
            chunk = chunks[index].clone();
        }
        chunks[index] = chunk;
        own[index] = chunk;
        if (base != null) {
            if (written == null) {
                written = new int[16];
            } else if (nWritten == written.length) {
                written = Arrays.copyOf(written, nWritten * 2);
            }
            written[nWritten++] = index;
        }
        return chunk;
    }

    /**
     * The chunk a store at {@code addr} writes, made this memory's own, or null past the end: the
     * fast path of the scalar stores, whose caller turns the exception that follows into {@link #oob}.
     */
    private byte[] ownChunk(int addr) {
        int index = addr >>> SHIFT;
        byte[] chunk = own[index];
        return chunk != null || index >= nChunks ? chunk : copyShared(index);
    }

    // ---- bytes ----

    @Override
    public void write(int addr, byte[] data, int offset, int size) {
        if (offset < 0 || size < 0 || (long) offset + size > data.length) {
            throw new WasmRuntimeException(outOfBounds(offset, size, data.length));
        }
        checkBounds(addr, size);
        while (size > 0) {
            int at = addr & MASK;
            int chunk = Math.min(size, CHUNK - at);
            System.arraycopy(data, offset, writable(addr >>> SHIFT, addr, chunk), at, chunk);
            addr += chunk;
            offset += chunk;
            size -= chunk;
        }
    }

    @Override
    public byte[] readBytes(int addr, int len) {
        checkBounds(addr, len);
        byte[] out = new byte[len];
        int done = 0;
        while (done < len) {
            int a = addr + done;
            int at = a & MASK;
            int chunk = Math.min(len - done, CHUNK - at);
            System.arraycopy(chunks[a >>> SHIFT], at, out, done, chunk);
            done += chunk;
        }
        return out;
    }

    @Override
    public void fill(byte value, int fromIndex, int toIndex) {
        int size = toIndex - fromIndex;
        checkBounds(fromIndex, size);
        int addr = fromIndex;
        while (size > 0) {
            int at = addr & MASK;
            int chunk = Math.min(size, CHUNK - at);
            Arrays.fill(writable(addr >>> SHIFT, addr, chunk), at, at + chunk, value);
            addr += chunk;
            size -= chunk;
        }
    }

    @Override
    public void copy(int dest, int src, int size) {
        checkBounds(src, size);
        checkBounds(dest, size);
        write(dest, readBytes(src, size), 0, size);
    }

    // ---- scalars: the fast path stays inside one chunk, the slow one goes byte by byte ----

    @Override
    public byte read(int addr) {
        try {
            return chunks[addr >>> SHIFT][addr & MASK];
        } catch (IndexOutOfBoundsException | NullPointerException e) {
            throw oob(addr, 1);
        }
    }

    @Override
    public void writeByte(int addr, byte data) {
        try {
            ownChunk(addr)[addr & MASK] = data;
        } catch (IndexOutOfBoundsException | NullPointerException e) {
            throw oob(addr, 1);
        }
    }

    private long readSlow(int addr, int size) {
        checkBounds(addr, size);
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (read(addr + i) & 0xffL);
        }
        return v;
    }

    private void writeSlow(int addr, long v, int size) {
        checkBounds(addr, size);
        for (int i = 0; i < size; i++) {
            writeByte(addr + i, (byte) (v >>> (8 * i)));
        }
    }

    @Override
    public short readShort(int addr) {
        int at = addr & MASK;
        if (at <= CHUNK - 2) {
            try {
                return (short) SHORT.get(chunks[addr >>> SHIFT], at);
            } catch (IndexOutOfBoundsException | NullPointerException e) {
                throw oob(addr, 2);
            }
        }
        return (short) readSlow(addr, 2);
    }

    @Override
    public long readU16(int addr) {
        return readShort(addr) & 0xffffL;
    }

    @Override
    public void writeShort(int addr, short data) {
        int at = addr & MASK;
        if (at <= CHUNK - 2) {
            try {
                SHORT.set(ownChunk(addr), at, data);
            } catch (IndexOutOfBoundsException | NullPointerException e) {
                throw oob(addr, 2);
            }
        } else {
            writeSlow(addr, data, 2);
        }
    }

    @Override
    public int readInt(int addr) {
        int at = addr & MASK;
        if (at <= CHUNK - 4) {
            try {
                return (int) INT.get(chunks[addr >>> SHIFT], at);
            } catch (IndexOutOfBoundsException | NullPointerException e) {
                throw oob(addr, 4);
            }
        }
        return (int) readSlow(addr, 4);
    }

    @Override
    public void writeI32(int addr, int data) {
        int at = addr & MASK;
        if (at <= CHUNK - 4) {
            try {
                INT.set(ownChunk(addr), at, data);
            } catch (IndexOutOfBoundsException | NullPointerException e) {
                throw oob(addr, 4);
            }
        } else {
            writeSlow(addr, data, 4);
        }
    }

    @Override
    public long readLong(int addr) {
        int at = addr & MASK;
        if (at <= CHUNK - 8) {
            try {
                return (long) LONG.get(chunks[addr >>> SHIFT], at);
            } catch (IndexOutOfBoundsException | NullPointerException e) {
                throw oob(addr, 8);
            }
        }
        return readSlow(addr, 8);
    }

    @Override
    public void writeLong(int addr, long data) {
        int at = addr & MASK;
        if (at <= CHUNK - 8) {
            try {
                LONG.set(ownChunk(addr), at, data);
            } catch (IndexOutOfBoundsException | NullPointerException e) {
                throw oob(addr, 8);
            }
        } else {
            writeSlow(addr, data, 8);
        }
    }

    @Override
    public void writeF32(int addr, float data) {
        writeI32(addr, Float.floatToRawIntBits(data));
    }

    @Override
    public long readF32(int addr) {
        return readInt(addr);
    }

    @Override
    public float readFloat(int addr) {
        return Float.intBitsToFloat(readInt(addr));
    }

    @Override
    public void writeF64(int addr, double data) {
        writeLong(addr, Double.doubleToRawLongBits(data));
    }

    @Override
    public long readF64(int addr) {
        return readLong(addr);
    }

    @Override
    public double readDouble(int addr) {
        return Double.longBitsToDouble(readLong(addr));
    }

    // ---- atomics: one world runs on one thread ----

    @Override
    @SuppressWarnings("removal")
    public Object lock(int address) {
        return this;
    }

    @Override
    public void atomicFence() {
        // one thread: nothing to order
    }

    @Override
    @SuppressWarnings("removal")
    public int waitOn(int address, int expected, long timeout) {
        requireShared();
        return readInt(address) == expected ? timedOut(address, timeout) : 1; // 1: "not equal"
    }

    @Override
    @SuppressWarnings("removal")
    public int waitOn(int address, long expected, long timeout) {
        requireShared();
        return readLong(address) == expected ? timedOut(address, timeout) : 1;
    }

    /**
     * A wait whose value matched. Nothing runs beside a node to notify it, so a wait with a
     * timeout times out at once (2) and one without would never end: a trap that says so
     * instead of a hang (a deadlock, the same in every run).
     */
    private static int timedOut(int address, long timeout) {
        if (timeout < 0) {
            throw new WasmRuntimeException("memory.atomic.wait at address " + Integer.toUnsignedString(address)
                    + " with no timeout would never end: a node runs on one thread and nothing else can notify it"
                    + " (a deadlock; a handler must not block)");
        }
        return 2;
    }

    @Override
    @SuppressWarnings("removal")
    public int notify(int address, int maxThreads) {
        checkBounds(address, 4);
        return 0;
    }

    private void requireShared() {
        if (!shared()) {
            throw new WasmRuntimeException("expected shared memory");
        }
    }
}
