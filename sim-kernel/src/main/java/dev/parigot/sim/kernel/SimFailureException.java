package dev.parigot.sim.kernel;

/**
 * Thrown by {@link Sim#run()} and its siblings when the world fails. Extends {@link AssertionError}
 * so that test frameworks report it as a test failure, not an error in the test's setup.
 */
public final class SimFailureException extends AssertionError {
    private static final long serialVersionUID = 1L;
    private final transient SimFailure failure;

    public SimFailureException(SimFailure failure, Throwable cause) {
        super(failure.describe(), cause);
        this.failure = failure;
    }

    public SimFailure failure() {
        return failure;
    }
}
