package dev.parigot.sim.kernel.internal.node;

/**
 * What a part of the kernel that keeps state per node (the storage's disks, say) hears about a
 * node's life: it was added to the world, it crashed, it restarted. The kernel tells every
 * listener through this one interface, in the order they were added ({@code Kernel.addLifecycle}),
 * instead of calling each subsystem by name; what a crash does to the node's own timers,
 * inbound queue and held events stays with the kernel and the faults, which record the CRASH
 * step before any listener hears of it.
 */
public interface NodeLifecycle {

    /** {@code node} joined the world (it is registered; it has not started). */
    default void nodeAdded(Node node) {
    }

    /** {@code node} crashed: its incarnation is already bumped and its CRASH step recorded. */
    default void nodeCrashed(Node node) {
    }

    /** {@code node} restarted: it has run its start and ready again and is READY. */
    default void nodeRestarted(Node node) {
    }
}
