package dev.parigot.sim.kernel.internal.supervision;

/**
 * Whether the JVM's heap has room for more linear memory. Guests must not fill the heap: an
 * {@link OutOfMemoryError} lands in whichever thread allocates next (another world, the hang
 * watchdog, the test runner's own threads, which may take the JVM down with them). So a page is
 * allocated only while it leaves a reserve free: an eighth of the heap, at least 16 MiB and at
 * most 256 MiB. Free means not used, counting garbage; near the reserve the garbage is collected
 * once before the answer is no. Only ever decides whether a world fails (as RESOURCE), never
 * what a guest sees.
 */
public final class HeapGuard {
    private static final long MIB = 1L << 20;
    /** For tests: a heap max to pretend (0: the JVM's). */
    public static volatile long heapMaxForTest;
    /** For tests: the next check throws OutOfMemoryError, as allocating the pages could. */
    public static volatile boolean outOfMemoryForTest;

    private HeapGuard() {
    }

    /** The JVM's heap max: fixed for its life, so asked once (each memory checks it). */
    private static final long JVM_HEAP_MAX = Runtime.getRuntime().maxMemory();

    public static long heapMax() {
        long pretend = heapMaxForTest;
        return pretend > 0 ? pretend : JVM_HEAP_MAX;
    }

    /** The heap kept free of linear memory, of a heap whose max is {@code heapMax}. */
    public static long reserve(long heapMax) {
        return Math.max(16 * MIB, Math.min(256 * MIB, heapMax / 8));
    }

    /** Whether {@code bytes} more can be allocated and leave the reserve free. */
    public static boolean room(long bytes) {
        if (outOfMemoryForTest) {
            outOfMemoryForTest = false;
            throw new OutOfMemoryError("Java heap space");
        }
        long max = heapMax();
        if (max == Long.MAX_VALUE) {
            return true;
        }
        if (free(max) - bytes >= reserve(max)) {
            return true;
        }
        // Near the reserve, counting garbage: collect it and look again. Only ever near a full heap.
        System.gc(); // nondeterminism-ok: decides only whether a world fails for want of heap, never what it sees
        return free(max) - bytes >= reserve(max);
    }

    private static long free(long max) {
        Runtime runtime = Runtime.getRuntime();
        return max - (runtime.totalMemory() - runtime.freeMemory());
    }

    /** A byte count as people read it: "64 MiB", "12.5 MiB". */
    public static String mebibytes(long bytes) {
        if (bytes % (1L << 20) == 0) {
            return bytes / (1L << 20) + " MiB";
        }
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
