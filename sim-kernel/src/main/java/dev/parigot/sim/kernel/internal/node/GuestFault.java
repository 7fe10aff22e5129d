package dev.parigot.sim.kernel.internal.node;

import dev.parigot.sim.kernel.FailureKind;

/**
 * Thrown inside a host function when a guest breaks ABI v1; it unwinds through the guest and
 * fails the world with its message (the node is treated as crashed).
 */
public final class GuestFault extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public final FailureKind kind;

    public GuestFault(FailureKind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }
}
