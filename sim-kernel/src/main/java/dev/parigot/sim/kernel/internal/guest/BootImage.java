package dev.parigot.sim.kernel.internal.guest;

import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.TableInstance;
import dev.parigot.sim.kernel.LogLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A module's instance as it stands after {@code _initialize} and {@code parigot_start}, captured
 * once per JVM and restored into every later node that boots it the same way: linear memory
 * (1 KiB chunks shared copy-on-write), globals, tables, dropped segments, and what the boot did to the
 * world (its declarations and log lines, replayed in order). Boot may only declare and log, so
 * its outcome is a function of the module and the few inputs it read, which {@link #matches}
 * compares: the node memory limit always, the arguments (with the node's name, argv[0]) and the
 * environment when the boot read them.
 *
 * <p>A boot that reads the clock or draws randomness depends on the seed and is remembered as
 * {@link #freshBecause one that cannot be imaged}: such nodes keep booting from scratch.
 * Immutable once built; shared by every world on every thread.
 */
public final class BootImage {
    /** Log lines of the boot, replayed into the world log in order. */
    static final class Line {
        final LogLine.Level level;
        final String text;

        Line(LogLine.Level level, String text) {
            this.level = level;
            this.text = text;
        }
    }

    final long memoryBytesMax;
    /** argv (argv[0] is the node's name) if the boot read it, else null. */
    final List<String> arguments;
    /** The environment if the boot read it, else null. */
    final Map<String, String> environment;
    /** Why nodes booting like this cannot be imaged, or null. */
    public final String freshBecause;

    /** Linear memory in {@link PagedMemory#CHUNK}-byte chunks; never written. */
    public final byte[][] chunks;
    final long[] globalLow;
    final long[] globalHigh;
    final int[][] tables;
    final boolean[] droppedElements;
    final boolean[] droppedSegments;
    final List<String> exports;
    final List<String> requires;
    final List<Line> lines;

    private BootImage(long memoryBytesMax, List<String> arguments, Map<String, String> environment,
            String freshBecause, byte[][] chunks, long[] globalLow, long[] globalHigh, int[][] tables,
            boolean[] droppedElements, boolean[] droppedSegments, List<String> exports, List<String> requires,
            List<Line> lines) {
        this.memoryBytesMax = memoryBytesMax;
        this.arguments = arguments;
        this.environment = environment;
        this.freshBecause = freshBecause;
        this.chunks = chunks;
        this.globalLow = globalLow;
        this.globalHigh = globalHigh;
        this.tables = tables;
        this.droppedElements = droppedElements;
        this.droppedSegments = droppedSegments;
        this.exports = exports;
        this.requires = requires;
        this.lines = lines;
    }

    /** A way of booting kept without state: nodes that boot like it boot from scratch, because of {@code why}. */
    private static BootImage stateless(long memoryBytesMax, List<String> arguments, Map<String, String> environment,
            String why) {
        return new BootImage(memoryBytesMax, arguments, environment, why, null, null, null, null, null, null, null,
                null, List.of());
    }

    /** Heap this image holds of its own (chunks other than the shared zero chunk). */
    public long heldBytes() {
        return chunks == null ? 0 : PagedMemory.heldBytes(chunks);
    }

    /** The same way of booting, kept without its state: nodes booting like it boot from scratch. */
    public BootImage withoutState(String why) {
        return stateless(memoryBytesMax, arguments, environment, why);
    }

    /** Whether {@code node} would boot exactly as the boot this image was taken from. */
    public boolean matches(GuestNode node, long memoryBytesMax) {
        return this.memoryBytesMax == memoryBytesMax
                && (arguments == null || arguments.equals(Wasi.argv(node)))
                && (environment == null || environment.equals(node.environment));
    }

    /** Sets the restored instance's globals: Chicory asks for them in index order. */
    com.dylibso.chicory.runtime.GlobalFactory globals() {
        int[] next = {0};
        return (low, high, type, mutability) -> {
            int i = next[0]++;
            return i < globalLow.length ? new GlobalInstance(globalLow[i], globalHigh[i], type, mutability)
                    : new GlobalInstance(low, high, type, mutability);
        };
    }

    /** After instantiation from this image: the tables and element segments as the boot left them. */
    void restoreTables(Instance instance) {
        for (int t = 0; t < tables.length; t++) {
            TableInstance table = instance.table(t);
            int[] refs = tables[t];
            if (table.size() < refs.length) {
                table.grow(refs.length - table.size(), refs[refs.length - 1], instance);
            }
            for (int i = 0; i < refs.length; i++) {
                if (table.ref(i) != refs[i]) {
                    table.setRef(i, refs[i], instance);
                }
            }
        }
        for (int e = 0; e < droppedElements.length; e++) {
            if (droppedElements[e]) {
                instance.setElement(e, null);
            }
        }
    }

    /** What a boot read and logged while it ran, and whether it did anything that ties it to the seed. */
    static final class Capture {
        final long memoryBytesMax;
        List<String> arguments;
        Map<String, String> environment;
        String freshBecause;
        final List<Line> lines = new ArrayList<>();

        Capture(long memoryBytesMax) {
            this.memoryBytesMax = memoryBytesMax;
        }

        void readArguments(List<String> argv) {
            if (arguments == null) {
                arguments = List.copyOf(argv);
            }
        }

        void readEnvironment(Map<String, String> env) {
            if (environment == null) {
                environment = Map.copyOf(env);
            }
        }

        void dependsOnSeed(String what) {
            if (freshBecause == null) {
                freshBecause = what;
            }
        }

        /**
         * The image of a boot that finished: {@code memory} keeps running and copies what it writes
         * next. A boot that depended on the seed is kept without state, so later nodes do not try again.
         */
        BootImage image(Instance instance, PagedMemory memory, List<String> exports, List<String> requires) {
            if (freshBecause != null) {
                return stateless(memoryBytesMax, arguments, environment, freshBecause);
            }
            int globals = instance.globalCount();
            long[] low = new long[globals];
            long[] high = new long[globals];
            for (int i = 0; i < globals; i++) {
                GlobalInstance g = instance.global(i);
                low[i] = g.getValueLow();
                high[i] = g.getValueHigh();
            }
            int[][] tables = new int[instance.tableCount()][];
            for (int t = 0; t < tables.length; t++) {
                TableInstance table = instance.table(t);
                tables[t] = new int[table.size()];
                for (int i = 0; i < tables[t].length; i++) {
                    tables[t][i] = table.ref(i);
                }
            }
            boolean[] droppedElements = new boolean[instance.elementCount()];
            for (int e = 0; e < droppedElements.length; e++) {
                droppedElements[e] = instance.element(e) == null;
            }
            return new BootImage(memoryBytesMax, arguments, environment, null, memory.freezeChunks(), low, high,
                    tables, droppedElements, memory.droppedSegments(), List.copyOf(exports), List.copyOf(requires),
                    List.copyOf(lines));
        }
    }
}
