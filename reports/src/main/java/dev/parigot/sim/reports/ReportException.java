package dev.parigot.sim.reports;

/** A report that cannot be read or written, or shards that cannot be merged: the message says why and what to do. */
public final class ReportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ReportException(String message) {
        super(message);
    }

    public ReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
