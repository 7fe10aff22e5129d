package dev.parigot.sim.kernel.internal.node;

/** Unwinds the world's thread once the world has failed; never escapes the kernel. */
public final class SimStop extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SimStop() {
        super("world stopped", null, false, false);
    }
}
