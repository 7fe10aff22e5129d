package dev.parigot.sim.junit.internal;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.Sim;
import java.util.Locale;

/**
 * What one world may take from the JVM's heap, measured on the first world a method runs: its
 * WASM nodes and the most linear memory they can hold together (for each, the smaller of its
 * module's declared maximum and {@code parigot.memory.max}). The engine runs at most as many
 * worlds at once as fit in the {@link #usable} heap, and refuses to go on when not even one
 * does.
 *
 * @param nodes the first world's WASM nodes
 * @param bytesMax the linear memory they can hold together
 * @param nodeLimit the node memory limit that world ran under
 */
record WorldMemory(int nodes, long bytesMax, long nodeLimit) {
    private static final long MIB = 1L << 20;

    static final WorldMemory NONE = new WorldMemory(0, 0, 0);

    /** The heap left for everything but worlds' linear memory (the JVM, the engine, the test): an eighth, at least 64 MiB. */
    static long allowance(long heapMax) {
        return Math.max(64 * MIB, heapMax / 8);
    }

    /**
     * The heap the worlds running at once may fill, of a JVM whose heap max is {@code heapMax}:
     * the heap less what the kernel keeps free ({@link Sim#heapReserveBytes}) and the
     * {@link #allowance} for everything else.
     */
    static long usable(long heapMax) {
        if (heapMax == Long.MAX_VALUE) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, heapMax - Sim.heapReserveBytes(heapMax) - allowance(heapMax));
    }

    /** How many such worlds fit at once in a heap of {@code heapMax} (0: not even one). */
    int worldsAtOnce(long heapMax) {
        if (bytesMax == 0) {
            return Integer.MAX_VALUE;
        }
        return (int) Math.min(Integer.MAX_VALUE, usable(heapMax) / bytesMax);
    }

    /** What a world may hold, in words: "3 WASM nodes may hold up to 768 MiB of linear memory (...)". */
    String described() {
        return nodes + " WASM node" + (nodes == 1 ? "" : "s") + " may hold up to " + mebibytes(bytesMax)
                + " of linear memory (parigot.memory.max is " + WorldSettings.sizeText(nodeLimit) + " per node;"
                + " a module that declares a smaller maximum counts with that)";
    }

    /** How the usable heap comes about, in words. */
    private static String usableDescribed(long heapMax) {
        return mebibytes(usable(heapMax)) + " (the JVM's " + mebibytes(heapMax) + " heap less the "
                + mebibytes(Sim.heapReserveBytes(heapMax)) + " the kernel keeps free and "
                + mebibytes(allowance(heapMax)) + " for everything else)";
    }

    /** The note printed when fewer worlds than threads fit at once. */
    String fewerWorlds(String method, int worlds, int threads, long heapMax) {
        return "[parigot] " + method + ": " + worlds + " world" + (worlds == 1 ? "" : "s") + " at a time, not "
                + threads + ": a world's " + described() + ", and the worlds running at once keep within "
                + usableDescribed(heapMax) + "; lower parigot.memory.max or give the JVM more heap (-Xmx) for more";
    }

    /** The error when not even one world fits. */
    String cannotFit(String method, long heapMax) {
        long perNode = usable(heapMax) / Math.max(1, nodes) / MIB * MIB;
        long heapNeeded = heapMax / MIB;
        while (usable(heapNeeded * MIB) < bytesMax) {
            heapNeeded++;
        }
        return method + " cannot run its seeds: one world's " + described() + ", more than the "
                + usableDescribed(heapMax) + " that running worlds may take. Lower parigot.memory.max (or"
                + " @ParigotSimTest(memoryMax))" + (perNode >= 64 * 1024 ? " to at most "
                + WorldSettings.sizeText(perNode) : "") + ", or give the test JVM a heap of at least " + heapNeeded
                + " MiB (-Xmx" + heapNeeded + "m in Surefire's argLine); the first seed ran, the others did not";
    }

    private static String mebibytes(long bytes) {
        if (bytes % MIB == 0) {
            return bytes / MIB + " MiB";
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) MIB);
    }
}
