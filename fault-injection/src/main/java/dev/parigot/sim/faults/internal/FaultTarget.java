package dev.parigot.sim.faults.internal;

/** What the fault injector can do to a world; the kernel implements it. */
public interface FaultTarget {

    int nodeCount();

    /** Whether random faults may hit this node now (a running WASM node). */
    boolean faultable(int node);

    boolean partitioned();

    /** Whether the run's budget of random crashes has room for one more. */
    default boolean crashAllowed() {
        return true;
    }

    void crash(int node, long restartAfterNanos);

    void pause(int node, long forNanos);

    void partition(int[] sideA, int[] sideB, boolean oneWay, long forNanos);

    void clog(int node, long forNanos);
}
