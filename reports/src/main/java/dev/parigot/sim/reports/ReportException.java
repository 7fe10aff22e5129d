package dev.parigot.sim.reports;

/** A report that cannot be read or written, or shards that cannot be merged: the message says why and what to do. */
public final class ReportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A report error whose message says why and what to do. */
    public ReportException(String message) {
        super(message);
    }

    /** A report error whose message says why and what to do, with its cause. */
    public ReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
