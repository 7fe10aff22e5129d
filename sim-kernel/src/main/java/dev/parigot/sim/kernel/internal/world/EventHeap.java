package dev.parigot.sim.kernel.internal.world;

import dev.parigot.sim.kernel.internal.node.Event;
import java.util.Arrays;

/**
 * A binary min-heap of events ordered by (earliest time, seq) or by (latest time, seq): what
 * {@code java.util.PriorityQueue} with a comparator would be, with the comparison written in
 * place. Every step adds and takes events, and the JDK queue reaches its comparator through a
 * call site that every priority queue in the JVM shares (one the JIT often cannot inline).
 *
 * <p>The order is total (no two events share a seq), so the events come out in one order
 * whatever the heap's layout; the layout itself is also the JDK queue's (the same sift rules),
 * so {@link #at} walks the events in the order that queue's iterator did.
 */
final class EventHeap {
    private final boolean byLatest;
    private Event[] heap = new Event[16];
    private int size;

    /** A heap by latest time if {@code byLatest}, else by earliest time; ties by seq. */
    EventHeap(boolean byLatest) {
        this.byLatest = byLatest;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The event at {@code index} of the heap's array (below {@link #size()}): for walking all of them. */
    Event at(int index) {
        return heap[index];
    }

    void add(Event e) {
        int k = size;
        if (k == heap.length) {
            heap = Arrays.copyOf(heap, k * 2);
        }
        size = k + 1;
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            Event p = heap[parent];
            if (!before(e, p)) {
                break;
            }
            heap[k] = p;
            k = parent;
        }
        heap[k] = e;
    }

    /** The first event, or null if empty. */
    Event peek() {
        return heap[0];
    }

    /** Takes out the first event; null if empty. */
    Event poll() {
        Event first = heap[0];
        if (first == null) {
            return null;
        }
        int n = --size;
        Event last = heap[n];
        heap[n] = null;
        if (n > 0) {
            int k = 0;
            int half = n >>> 1;
            while (k < half) {
                int child = (k << 1) + 1;
                Event c = heap[child];
                int right = child + 1;
                if (right < n && before(heap[right], c)) {
                    c = heap[child = right];
                }
                if (!before(c, last)) {
                    break;
                }
                heap[k] = c;
                k = child;
            }
            heap[k] = last;
        }
        return first;
    }

    /** Whether {@code a} comes strictly before {@code b}. */
    private boolean before(Event a, Event b) {
        long ta = byLatest ? a.latestNanos : a.earliestNanos;
        long tb = byLatest ? b.latestNanos : b.earliestNanos;
        return ta != tb ? ta < tb : a.seq < b.seq;
    }
}
