package dev.parigot.sim.kernel;

/**
 * Thrown inside a host function when a guest breaks ABI v1; it unwinds through the guest and
 * fails the world with its message (the node is treated as crashed).
 */
final class GuestFault extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final FailureKind kind;

    GuestFault(FailureKind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }
}
