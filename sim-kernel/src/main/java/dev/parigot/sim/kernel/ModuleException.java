package dev.parigot.sim.kernel;

/** A module cannot be used as an ABI v1 service; the message says why and what to do. */
public final class ModuleException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModuleException(String message) {
        super(message);
    }

    public ModuleException(String message, Throwable cause) {
        super(message, cause);
    }
}
