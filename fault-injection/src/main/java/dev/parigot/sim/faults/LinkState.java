package dev.parigot.sim.faults;

import java.util.Arrays;

/**
 * Who can reach whom right now: partitions (directed: a one-way partition blocks one direction)
 * and clogs (a node or a link that delays everything until a time). Indexed by node index; one
 * per world.
 */
public final class LinkState {
    private boolean[][] blocked = new boolean[0][];
    private long[] nodeClogUntil = new long[0];
    private long[][] linkClogUntil = new long[0][];
    private boolean anyBlocked;

    /** Blocks messages from every node of {@code from} to every node of {@code to}. */
    public void block(int[] from, int[] to) {
        for (int s : from) {
            for (int t : to) {
                if (s != t) {
                    ensure(Math.max(s, t) + 1);
                    blocked[s][t] = true;
                    anyBlocked = true;
                }
            }
        }
    }

    /** Removes every partition. */
    public void heal() {
        for (boolean[] row : blocked) {
            Arrays.fill(row, false);
        }
        anyBlocked = false;
    }

    public boolean partitioned() {
        return anyBlocked;
    }

    public boolean blocked(int source, int target) {
        return anyBlocked && source < blocked.length && target < blocked[source].length && blocked[source][target];
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
        linkClogUntil = Arrays.copyOf(linkClogUntil, n);
        nodeClogUntil = Arrays.copyOf(nodeClogUntil, n);
        for (int i = 0; i < n; i++) {
            blocked[i] = blocked[i] == null ? new boolean[n] : Arrays.copyOf(blocked[i], n);
            linkClogUntil[i] = linkClogUntil[i] == null ? new long[n] : Arrays.copyOf(linkClogUntil[i], n);
        }
    }
}
