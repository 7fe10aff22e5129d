package dev.parigot.sim.kernel.internal.node;

/** Unwinds a guest that called WASI {@code proc_exit}: the node exits at once. */
public final class ProcExit extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public final int code;

    public ProcExit(int code) {
        super("proc_exit(" + code + ")", null, false, false);
        this.code = code;
    }
}
