package dev.parigot.sim.faults;

/**
 * One fault a world injected: when, what kind, and what it did, for traces and reports.
 *
 * @param timeNanos the world's virtual time of the fault, in nanoseconds
 * @param kind what kind of fault
 * @param detail what it did, as reports print it (a node's name, the sides of a partition, ...)
 */
public record InjectedFault(long timeNanos, Kind kind, String detail) {

    /**
     * What a fault did: DROP, a message lost (by a drop or a partition); DUPLICATE, a message
     * delivered twice; PARTITION and HEAL, a partition made and ended (also {@code Sim.calm()}, see
     * {@link #isCalm()}); CLOG, a node's messages held back; CRASH and RESTART; PAUSE and RESUME;
     * TORN_WRITE and LOST_WRITE, what a crash did to an unsynced write; READ_ERROR and CORRUPTION,
     * a storage read that failed or returned a flipped byte.
     */
    public enum Kind { DROP, DUPLICATE, PARTITION, HEAL, CLOG, CRASH, RESTART, PAUSE, RESUME, TORN_WRITE, LOST_WRITE,
        READ_ERROR, CORRUPTION }

    /** The detail of the HEAL step {@code Sim.calm()} records. */
    public static final String CALM = "calm: every partition, and no more random faults";

    /**
     * Whether this is the test's {@code Sim.calm()}: a HEAL step of the trace like any other, but
     * the end of the faults rather than one of them, so reports and the shrinker do not count it.
     */
    public boolean isCalm() {
        return kind == Kind.HEAL && CALM.equals(detail);
    }

    @Override
    public String toString() {
        return TimeText.stamp(timeNanos) + " " + kind + " " + detail;
    }
}
