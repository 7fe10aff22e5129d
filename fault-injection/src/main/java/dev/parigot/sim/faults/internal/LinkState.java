package dev.parigot.sim.faults.internal;

import java.util.Arrays;

/**
 * Who can reach whom right now: partitions (directed: a one-way partition blocks one direction)
 * and clogs (a node or a link that delays everything until a time). Indexed by node index; one
 * per world. Partitions come in two layers, the test's own and the fault injector's, so that
 * the end of a random partition never heals one the test made.
 */
public final class LinkState {
    private boolean[][] blocked = new boolean[0][];
    private boolean[][] blockedRandom = new boolean[0][];
    private boolean anyBlockedRandom;
    private long[] nodeClogUntil = new long[0];
    private long[][] linkClogUntil = new long[0][];
    private boolean anyBlocked;

    /** Blocks messages from every node of {@code from} to every node of {@code to} (the test's layer). */
    public void block(int[] from, int[] to) {
        block(from, to, false);
    }

    /** As {@link #block(int[], int[])}, in the injector's layer if {@code random}. */
    public void block(int[] from, int[] to, boolean random) {
        for (int s : from) {
            for (int t : to) {
                if (s != t) {
                    ensure(Math.max(s, t) + 1);
                    (random ? blockedRandom : blocked)[s][t] = true;
                    if (random) {
                        anyBlockedRandom = true;
                    } else {
                        anyBlocked = true;
                    }
                }
            }
        }
    }

    /** Removes every partition, of both layers. */
    public void heal() {
        healRandom();
        for (boolean[] row : blocked) {
            Arrays.fill(row, false);
        }
        anyBlocked = false;
    }

    /** Removes the injector's partitions only. */
    public void healRandom() {
        for (boolean[] row : blockedRandom) {
            Arrays.fill(row, false);
        }
        anyBlockedRandom = false;
    }

    public boolean partitioned() {
        return anyBlocked || anyBlockedRandom;
    }

    /** Whether a partition of the injector's holds. */
    public boolean randomlyPartitioned() {
        return anyBlockedRandom;
    }

    public boolean blocked(int source, int target) {
        if (!anyBlocked && !anyBlockedRandom) {
            return false;
        }
        return source < blocked.length && target < blocked[source].length
                && (blocked[source][target] || blockedRandom[source][target]);
    }

    public void clogNode(int node, long untilNanos) {
        ensure(node + 1);
        nodeClogUntil[node] = Math.max(nodeClogUntil[node], untilNanos);
    }

    public void clogLink(int source, int target, long untilNanos) {
        ensure(Math.max(source, target) + 1);
        linkClogUntil[source][target] = Math.max(linkClogUntil[source][target], untilNanos);
    }

    /** The earliest time a message sent now on this link may leave (now, unless clogged). */
    public long clearFrom(int source, int target, long nowNanos) {
        long t = nowNanos;
        if (source < nodeClogUntil.length) {
            t = Math.max(t, nodeClogUntil[source]);
        }
        if (target < nodeClogUntil.length) {
            t = Math.max(t, nodeClogUntil[target]);
        }
        if (source < linkClogUntil.length && target < linkClogUntil[source].length) {
            t = Math.max(t, linkClogUntil[source][target]);
        }
        return t;
    }

    private void ensure(int n) {
        if (blocked.length >= n) {
            return;
        }
        blocked = Arrays.copyOf(blocked, n);
        blockedRandom = Arrays.copyOf(blockedRandom, n);
        linkClogUntil = Arrays.copyOf(linkClogUntil, n);
        nodeClogUntil = Arrays.copyOf(nodeClogUntil, n);
        for (int i = 0; i < n; i++) {
            blocked[i] = blocked[i] == null ? new boolean[n] : Arrays.copyOf(blocked[i], n);
            blockedRandom[i] = blockedRandom[i] == null ? new boolean[n] : Arrays.copyOf(blockedRandom[i], n);
            linkClogUntil[i] = linkClogUntil[i] == null ? new long[n] : Arrays.copyOf(linkClogUntil[i], n);
        }
    }
}
