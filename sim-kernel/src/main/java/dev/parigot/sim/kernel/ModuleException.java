package dev.parigot.sim.kernel;

/** A module cannot be used as an ABI v1 service; the message says why and what to do. */
public final class ModuleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A module error with a message that says why and what to do. */
    public ModuleException(String message) {
        super(message);
    }

    /** A module error with a message that says why and what to do, and its cause. */
    public ModuleException(String message, Throwable cause) {
        super(message, cause);
    }
}
