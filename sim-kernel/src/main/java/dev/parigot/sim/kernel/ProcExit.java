package dev.parigot.sim.kernel;

/** Unwinds a guest that called WASI {@code proc_exit}: the node exits at once. */
final class ProcExit extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int code;

    ProcExit(int code) {
        super("proc_exit(" + code + ")", null, false, false);
        this.code = code;
    }
}
