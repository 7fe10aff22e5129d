package dev.parigot.sim.kernel.internal.guest;

import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.GlobalInstance;
import com.dylibso.chicory.runtime.Instance;

/**
 * A Chicory instance of a module that is restored from boot images, with what a node needs of it
 * (memory, exports), built so that it can serve one node after another: its host functions reach
 * the node it serves now through a {@link HostSlot}, and {@link #restore} puts it back in the state a
 * boot image describes (memory, globals, tables, dropped segments), which is everything of the
 * instance a guest can observe. A node that ends cleanly (its world closed, a crash between steps)
 * gives it back to its module's spares on that thread ({@link GuestCode#keepSpare}); the next
 * node of the module restored on that thread takes it instead of building an {@code Instance}
 * again, which is most of what a restored boot costs.
 *
 * <p>Only modules whose instance state is all in those parts have spares ({@link GuestCode#hasSpares}):
 * no exception tags, no GC types: Chicory keeps exceptions and GC references inside the instance,
 * where nothing can reset them. (A module with a start section restores no image at all.)
 */
final class SpareInstance {
    final Instance instance;
    final PagedMemory memory;
    final long memoryBytesMax;
    final ExportFunction alloc;
    final ExportFunction onCall;
    final ExportFunction onResult;
    final ExportFunction onTimer;
    /** The node this instance's host functions serve now. */
    private final HostSlot slot;

    /** {@code instance}, built from an image with host functions that serve the node in {@code slot}. */
    SpareInstance(Instance instance, HostSlot slot, long memoryBytesMax) {
        this.instance = instance;
        this.slot = slot;
        this.memory = (PagedMemory) instance.memory();
        this.memoryBytesMax = memoryBytesMax;
        this.alloc = instance.export("parigot_alloc");
        this.onCall = instance.export("parigot_on_call");
        this.onResult = instance.export("parigot_on_result");
        this.onTimer = instance.export("parigot_on_timer");
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
     * Puts the instance in the state of {@code image} for {@code node}, whose host functions it
     * serves from now on: all but its tables and dropped element segments, which
     * {@link BootImage#restoreTables} sets for every restored instance; {@link #fits} must hold.
     */
    void restore(GuestNode node, BootImage image, GuestCode code) {
        slot.node = node;
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
        slot.node = null;
        memory.retire();
    }
}
