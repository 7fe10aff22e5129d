package dev.parigot.sim.kernel.internal.guest;

/**
 * The node an instance's host functions serve, read at each host call: one node for good, or, for
 * a {@link SpareInstance}, the node it serves now. Host functions hold this slot, never a node,
 * so an instance can serve one node after another without new host functions.
 */
final class HostSlot {
    GuestNode node;

    HostSlot(GuestNode node) {
        this.node = node;
    }
}
