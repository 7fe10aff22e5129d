package dev.parigot.sim.faults;

/** One fault a world injected: when, what kind, and what it did, for traces and reports. */
public record InjectedFault(long timeNanos, Kind kind, String detail) {

    public enum Kind { DROP, DUPLICATE, PARTITION, HEAL, CLOG, CRASH, RESTART, PAUSE, RESUME, TORN_WRITE, LOST_WRITE,
        READ_ERROR, CORRUPTION }

    @Override
    public String toString() {
        return TimeText.stamp(timeNanos) + " " + kind + " " + detail;
    }
}
