package dev.parigot.sim.kernel.internal.supervision;

/**
 * A world as the hang watchdog sees it: a counter of guest entries and exits (odd while guest
 * code runs), the wall-clock limit of one handler, and the one thing the watchdog may do to it:
 * flag the guest call it has watched too long, which interrupts the world's thread.
 */
public interface Watched {

    /** The entry/exit count, odd while guest code runs. */
    long guestCounter();

    /** How long one guest call may run, in milliseconds of wall-clock time. */
    long handlerWallMillisMax();

    /** The guest call numbered {@code counter} has run too long: interrupt it if it still runs. */
    void flagHang(long counter);
}
