package dev.parigot.sim.faults;

/** What the fault injector can do to a world; the kernel implements it. */
public interface FaultTarget {

    int nodeCount();

    /** Whether random faults may hit this node now (a running WASM node). */
    boolean faultable(int node);

    boolean partitioned();

    void crash(int node, long restartAfterNanos);

    void pause(int node, long forNanos);

    void partition(int[] sideA, int[] sideB, boolean oneWay, long forNanos);

    void clog(int node, long forNanos);
}
