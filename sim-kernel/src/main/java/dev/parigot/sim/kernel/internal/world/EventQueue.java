package dev.parigot.sim.kernel.internal.world;

import dev.parigot.sim.kernel.internal.node.Event;
import dev.parigot.sim.kernel.internal.node.Node;
import dev.parigot.sim.scheduler.Candidates;
import dev.parigot.sim.scheduler.ChoiceStream;
import dev.parigot.sim.scheduler.Strategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

/**
 * The pending events of one world and the rule that says which may happen next.
 *
 * <p>Every pending event has a window [earliest, latest] of virtual time in which it may happen
 * (a timer's window is one instant; a message's is the network's latency bounds). The candidates
 * of a step are the events whose earliest time is no later than the smallest latest time of all
 * pending events (anything else would make some event late), and no later than the deadline of
 * the run, minus messages that would overtake an earlier one on the same FIFO link. The strategy
 * picks one among them. Cancelled events stay in the queues, marked retired, and are skipped.
 */
final class EventQueue {
    static final Comparator<Event> BY_EARLIEST = (a, b) -> a.earliestNanos != b.earliestNanos
            ? Long.compare(a.earliestNanos, b.earliestNanos) : Long.compare(a.seq, b.seq);

    private final EventHeap byEarliest = new EventHeap(false);
    private final EventHeap byLatest = new EventHeap(true);
    private final ArrayList<Event> candidates = new ArrayList<>();
    private final CandidateView candidateView = new CandidateView();
    /** Per FIFO link (source index, target index): messages sent, delivered, and the last earliest time. */
    private long[][] linkSent = new long[0][];
    private long[][] linkDelivered = new long[0][];
    private long[][] linkEarliest = new long[0][];

    void add(Event e) {
        byEarliest.add(e);
        byLatest.add(e);
    }

    /** The earliest time of a live event, Long.MAX_VALUE if none. */
    long nextEarliestNanos() {
        Event e = peekLive();
        return e == null ? Long.MAX_VALUE : e.earliestNanos;
    }

    /** Whether nothing at all (live or retired) is queued. */
    boolean isEmpty() {
        return byEarliest.isEmpty();
    }

    /**
     * The event of the next step, taken out of the queue and retired, or null if nothing may
     * happen at or before {@code deadline}. {@code step} only names the step in an error.
     */
    Event next(long deadline, Strategy strategy, ChoiceStream choices, long step) {
        Event first = pollLive();
        if (first == null) {
            return null;
        }
        if (first.earliestNanos > deadline) {
            byEarliest.add(first);
            return null;
        }
        // Nothing due after the deadline may run now: runFor must not pull the clock past its end.
        long horizon = Math.min(minLatest(), deadline);
        Event next = peekLive();
        if (next == null || next.earliestNanos > horizon) {
            first.retired = true;
            return first;
        }
        candidates.clear();
        candidates.add(first);
        while ((next = peekLive()) != null && next.earliestNanos <= horizon) {
            candidates.add(byEarliest.poll());
        }
        // Drop messages that would overtake an earlier one on the same FIFO link.
        int enabled = 0;
        for (int i = 0; i < candidates.size(); i++) {
            Event e = candidates.get(i);
            if (e.linkIndex < 0 || e.linkIndex == linkDelivered[e.source.index][e.target.index]) {
                // Swap, not overwrite: the waiting event at 'enabled' must stay in the list to be re-queued.
                candidates.set(i, candidates.get(enabled));
                candidates.set(enabled, e);
                enabled++;
            }
        }
        // candidates[0, enabled) are enabled, in (earliest, seq) order; the rest wait.
        if (enabled == 0) {
            throw new IllegalStateException("kernel invariant broken at step " + step + ": none of "
                    + candidates.size() + " pending events may run (every one waits behind a message that is gone)");
        }
        candidateView.size = enabled;
        int pick = enabled == 1 ? 0 : strategy.pick(candidateView, choices);
        if (pick < 0 || pick >= enabled) {
            throw new IllegalStateException("strategy " + strategy.name() + " picked " + pick + " of " + enabled);
        }
        Event chosen = candidates.get(pick);
        for (Event e : candidates) {
            if (e != chosen) {
                byEarliest.add(e);
            }
        }
        candidates.clear();
        chosen.retired = true;
        return chosen;
    }

    private Event pollLive() {
        Event e;
        while ((e = byEarliest.poll()) != null && e.retired) {
            // drop retired events (cancelled timers)
        }
        return e;
    }

    private Event peekLive() {
        Event e;
        while ((e = byEarliest.peek()) != null && e.retired) {
            byEarliest.poll();
        }
        return e;
    }

    private long minLatest() {
        Event e;
        while ((e = byLatest.peek()) != null && e.retired) {
            byLatest.poll();
        }
        return e == null ? Long.MAX_VALUE : e.latestNanos;
    }

    /** The candidates a strategy sees: their actors are the target nodes' indices. */
    private final class CandidateView implements Candidates {
        int size;

        @Override
        public int size() {
            return size;
        }

        @Override
        public int actor(int index) {
            return candidates.get(index).target.index;
        }
    }

    // ---- FIFO links

    /**
     * Puts {@code e} in line on its link ({@code nodes} nodes in the world): its window starts no
     * earlier than the previous message's, so the head of a link is always a candidate first.
     */
    void stampLink(Event e, int nodes) {
        int s = e.source.index;
        int t = e.target.index;
        ensureLink(s, t, nodes);
        if (e.earliestNanos < linkEarliest[s][t]) {
            e.earliestNanos = linkEarliest[s][t];
            e.latestNanos = Math.max(e.latestNanos, e.earliestNanos);
        }
        linkEarliest[s][t] = e.earliestNanos;
        e.linkIndex = linkSent[s][t]++;
    }

    /** {@code e}, on a FIFO link, has been delivered: the next one on its link may go. */
    void delivered(Event e) {
        if (e.linkIndex >= 0) {
            linkDelivered[e.source.index][e.target.index]++;
        }
    }

    private void ensureLink(int s, int t, int n) {
        if (linkSent.length < n) {
            linkSent = Arrays.copyOf(linkSent, n);
            linkDelivered = Arrays.copyOf(linkDelivered, n);
            linkEarliest = Arrays.copyOf(linkEarliest, n);
        }
        if (linkSent[s] == null || linkSent[s].length < n) {
            linkSent[s] = linkSent[s] == null ? new long[n] : Arrays.copyOf(linkSent[s], n);
            linkDelivered[s] = linkDelivered[s] == null ? new long[n] : Arrays.copyOf(linkDelivered[s], n);
            linkEarliest[s] = linkEarliest[s] == null ? new long[n] : Arrays.copyOf(linkEarliest[s], n);
        }
    }

    // ---- looking through what is pending

    /** Whether a live queued event matches {@code which}. */
    boolean anyLive(Predicate<Event> which) {
        for (int i = 0; i < byEarliest.size(); i++) {
            Event e = byEarliest.at(i);
            if (!e.retired && which.test(e)) {
                return true;
            }
        }
        return false;
    }

    /** The live queued events that match {@code which}, in no particular order. */
    List<Event> live(Predicate<Event> which) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < byEarliest.size(); i++) {
            Event e = byEarliest.at(i);
            if (!e.retired && which.test(e)) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * Takes {@code n}'s pending events out of the queues, in their order: each is retired here
     * (it leaves the queues lazily) and a fresh copy with the same window, link place and id is
     * returned, to wait while {@code n} is paused.
     */
    List<Event> takeFor(Node n) {
        List<Event> waiting = live(e -> e.target == n);
        waiting.sort(BY_EARLIEST);
        List<Event> copies = new ArrayList<>(waiting.size());
        for (Event e : waiting) {
            e.retired = true;
            Event copy = e.copyForDuplicate(e.seq);
            copy.earliestNanos = e.earliestNanos;
            copy.latestNanos = e.latestNanos;
            copy.linkIndex = e.linkIndex;
            copies.add(copy);
        }
        return copies;
    }
}
