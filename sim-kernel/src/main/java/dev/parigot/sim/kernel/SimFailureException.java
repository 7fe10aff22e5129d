package dev.parigot.sim.kernel;

/**
 * Thrown by {@link Sim#run()} and its siblings when the world fails. Extends {@link AssertionError}
 * so that test frameworks report it as a test failure, not an error in the test's setup. The
 * message (the whole report) is written only when someone reads it: sweeps over thousands of
 * failing seeds mostly never do.
 */
public final class SimFailureException extends AssertionError {
    private static final long serialVersionUID = 1L;
    private final transient SimFailure failure;
    private transient String message;

    /**
     * An exception carrying {@code failure}; its message is {@link SimFailure#describe()}, written
     * when first read. {@code cause} may be null.
     */
    public SimFailureException(SimFailure failure, Throwable cause) {
        super(null, cause);
        this.failure = failure;
    }

    /** The world's failure. */
    public SimFailure failure() {
        return failure;
    }

    @Override
    public synchronized String getMessage() {
        if (message == null) {
            message = failure.describe();
        }
        return message;
    }
}
