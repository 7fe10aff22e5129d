package dev.parigot.sim.junit;

/**
 * The failure of one seed as the test report shows it: the whole story in the message (seed,
 * reason, replay command, determinism, trace tail, log tail); the cause is what the test threw,
 * if anything, so an IDE can jump to the assertion.
 */
public final class SeedFailure extends AssertionError {
    private static final long serialVersionUID = 1L;

    SeedFailure(String message, Throwable cause) {
        super(message, cause);
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // the engine's own frames say nothing about the failure
    }
}
