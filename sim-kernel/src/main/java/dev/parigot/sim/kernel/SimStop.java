package dev.parigot.sim.kernel;

/** Unwinds the world's thread once the world has failed; never escapes the kernel. */
final class SimStop extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SimStop() {
        super("world stopped", null, false, false);
    }
}
