package dev.parigot.sim.kernel.internal.guest;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasm.types.FunctionImport;
import java.util.List;

/**
 * A Chicory instance of a module that is restored from boot images, with what a node needs of it
 * (memory, exports), built so that it can serve one node after another: its host functions reach
 * the node it serves now through {@link #bound}, and {@link #restore} puts it back in the state a
 * boot image describes (memory, globals, tables, dropped segments), which is everything of the
 * instance a guest can observe. A node that ends cleanly (its world closed, a crash between steps)
 * gives it back to its module's spares on that thread ({@link GuestCode#keepSpare}); the next
 * node of the module restored on that thread takes it instead of building an {@code Instance}
 * again, which is most of what a restored boot costs.
 *
 * <p>Only modules whose instance state is all in those parts have spares ({@link GuestCode#hasSpares}):
 * no start section, no exception tags, no GC types (Chicory keeps exceptions and GC references
 * inside the instance, where nothing can reset them).
 */
final class SpareInstance {
    final Instance instance;
    final PagedMemory memory;
    final long memoryBytesMax;
    final ExportFunction alloc;
    final ExportFunction onCall;
    final ExportFunction onResult;
    final ExportFunction onTimer;
    final ExportFunction ready;
    /** The host functions of the node this instance serves now, in the module's import order. */
    private WasmFunctionHandle[] bound;

    private SpareInstance(Instance instance, long memoryBytesMax) {
        this.instance = instance;
        this.memory = (PagedMemory) instance.memory();
        this.memoryBytesMax = memoryBytesMax;
        this.alloc = instance.export("parigot_alloc");
        this.onCall = instance.export("parigot_on_call");
        this.onResult = instance.export("parigot_on_result");
        this.onTimer = instance.export("parigot_on_timer");
        this.ready = instance.export("parigot_ready");
    }

    /**
     * Imports whose functions call the node's {@code functions} through {@link #bound}: one array
     * load more per host call than functions bound to a node for good.
     */
    static ImportValues boundImports(GuestCode code, Holder holder) {
        List<FunctionImport> imported = code.imports();
        HostFunction[] functions = new HostFunction[imported.size()];
        for (int i = 0; i < functions.length; i++) {
            FunctionImport imp = imported.get(i);
            int index = i;
            functions[i] = new HostFunction(imp.module(), imp.name(), code.wasm().typeSection().getType(imp.typeIndex()),
                    (inst, args) -> holder.spare.bound[index].apply(inst, args));
        }
        return ImportValues.builder().addFunction(functions).build();
    }

    /** Lets the host functions find their spare, which exists only once the instance is built. */
    static final class Holder {
        SpareInstance spare;
    }

    static SpareInstance of(Instance instance, Holder holder, long memoryBytesMax) {
        SpareInstance spare = new SpareInstance(instance, memoryBytesMax);
        holder.spare = spare;
        return spare;
    }

    /** Serves {@code node} with its host functions from now on. */
    void bind(WasmFunctionHandle[] functions) {
        this.bound = functions;
    }

    /** Whether this instance can take the state of {@code image}: its tables have the image's sizes. */
    boolean fits(BootImage image) {
        if (instance.tableCount() != image.tables.length || instance.globalCount() != image.globalLow.length) {
            return false;
        }
        for (int t = 0; t < image.tables.length; t++) {
            if (instance.table(t).size() != image.tables[t].length) {
                return false; // table.grow ran: a table cannot shrink back
            }
        }
        return true;
    }

    /**
     * Puts the instance in the state of {@code image} for {@code node}, all but its tables and
     * dropped element segments, which {@link BootImage#restoreTables} sets for every restored
     * instance; {@link #fits} must hold.
     */
    void restore(GuestNode node, BootImage image, GuestCode code) {
        memory.restore(node, image, code);
        for (int i = 0; i < image.globalLow.length; i++) {
            GlobalInstance g = instance.global(i);
            g.setValueLow(image.globalLow[i]);
            g.setValueHigh(image.globalHigh[i]);
        }
        // Segments the last node dropped come back; the image's own drops are set after.
        for (int e = 0; e < image.droppedElements.length; e++) {
            if (!image.droppedElements[e] && instance.element(e) == null) {
                instance.setElement(e, code.wasm().elementSection().getElement(e));
            }
        }
    }

    /** Given back: it serves no node, and holds none of the last one's memory. */
    void retire() {
        bound = null;
        memory.retire();
    }
}
