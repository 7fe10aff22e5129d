package dev.parigot.sim.junit;

/**
 * The failure of one seed as the test report shows it: the whole story in the report (seed,
 * reason, replay command, determinism, trace tail, log tail); the cause is what the test threw,
 * if anything, so an IDE can jump to the assertion.
 *
 * <p>The report is what a stack trace prints ({@link #getLocalizedMessage()}, which
 * {@link #toString()} and {@link #printStackTrace()} use): Surefire's test output and XML body,
 * the Console Launcher, IDEs. The message ({@link #getMessage()}) is its headline, the first
 * two lines on one: the lists that repeat each failure's message after the stack traces (Surefire's
 * "Results:", a CI server's failure summary) print one line per seed, not the report again.
 */
public final class SeedFailure extends AssertionError {
    private static final long serialVersionUID = 1L;

    /** The whole report, as {@link #report()} returns it. */
    private final String report;

    /**
     * A seed's failure with its whole {@code report}; the message is its headline. {@code cause} is
     * what the test threw, or null. For test engines.
     */
    public SeedFailure(String report, Throwable cause) {
        super(headline(report), cause);
        this.report = report;
    }

    /** The whole report. */
    public String report() {
        return report;
    }

    /** The whole report: what {@link #toString()} and so every printed stack trace show. */
    @Override
    public String getLocalizedMessage() {
        return report;
    }

    /** The report's first line, and its second (the reason) after a colon, on one line. */
    static String headline(String report) {
        String[] lines = report.split("\\R", 3);
        if (lines.length < 2 || lines[1].isBlank()) {
            return lines[0].strip();
        }
        return lines[0].strip() + ": " + lines[1].strip();
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
        return this; // the engine's own frames say nothing about the failure
    }
}
