package dev.parigot.sim.kernel.internal.node;

import java.util.ArrayList;
import java.util.List;

/**
 * One process of a world: a WASM node, a Java service or a test client. The kernel delivers
 * events to it one at a time; it answers through the kernel.
 */
public abstract class Node {

    public enum State { CREATED, STARTED, READY, EXITED, CRASHED }

    /**
     * A call this node received and has not answered yet (and which incarnation of the caller
     * made it). The network may deliver one call twice; each delivery may be answered once, so
     * {@link #unanswered} counts the deliveries still owed an answer.
     */
    public static final class Inbound {
        private final Node caller;
        private final int callerIncarnation;
        private final Route route;
        public int unanswered = 1;

        public Inbound(Node caller, int callerIncarnation, Route route) {
            this.caller = caller;
            this.callerIncarnation = callerIncarnation;
            this.route = route;
        }

        public Node caller() {
            return caller;
        }

        public int callerIncarnation() {
            return callerIncarnation;
        }

        public Route route() {
            return route;
        }
    }

    public final World world;
    public final int index;
    public final String name;
    public final List<String> exports = new ArrayList<>();
    public final List<String> requires = new ArrayList<>();
    public final LongMap<Inbound> inbound = new LongMap<>();
    public final LongMap<Event> timers = new LongMap<>();
    /** Ids of calls this node has answered, to tell a second reply from an unknown id (a bitmap by id). */
    private long[] answered = new long[4];

    public void markAnswered(long callId) {
        int word = (int) (callId >>> 6);
        if (word >= answered.length) {
            answered = java.util.Arrays.copyOf(answered, Math.max(word + 1, answered.length * 2));
        }
        answered[word] |= 1L << callId;
    }

    public boolean wasAnswered(long callId) {
        int word = (int) (callId >>> 6);
        return word < answered.length && (answered[word] & (1L << callId)) != 0;
    }
    public State state = State.CREATED;
    /** Boots of this node (the first and each restart) restored from a boot image, and run from scratch. */
    public int bootsRestored;
    public int bootsFromScratch;
    /** Of the restored boots, those that reused an instance a node gave back instead of building one. */
    public int bootsReusingInstances;
    /** Bumped by every restart: messages meant for an earlier incarnation are discarded. */
    public int incarnation;
    /** This node's view of virtual time (clock faults). */
    public dev.parigot.sim.faults.internal.NodeClock clock = dev.parigot.sim.faults.internal.NodeClock.EXACT;
    /** While paused, events for this node wait here instead of in the queues. */
    public java.util.List<Event> held;
    /** Storage writes and deletes this node has issued (all incarnations), and replies it has sent: crash points read them. */
    public long storageWritesIssued;
    public long repliesSent;
    public int exitCode;
    public boolean exitRequested;

    public Node(World world, int index, String name) {
        this.world = world;
        this.index = index;
        this.name = name;
    }

    /** What kind of process this is, for messages: "node", "Java service", "test client". */
    public abstract String kindLabel();

    /** Instantiate and declare (parigot_start); returns normally or throws a boot failure. */
    public abstract void start();

    /** parigot_ready; non-zero fails boot. */
    public abstract int ready();

    public abstract void deliverCall(long callId, Route route, byte[] payload);

    public abstract void deliverResult(long callId, int status, byte[] payload);

    public abstract void deliverTimer(long timerId);

    /** Module name for the rule that one service name may not come from two modules. */
    public abstract String moduleName();

    /** What identifies the node's code: replicas of one service must share it. */
    public abstract String moduleId();

    /**
     * The world was closed ({@code cleanly}: without a failure): let go of what the node holds.
     * Nothing runs on the node after this.
     */
    public void worldClosed(boolean cleanly) {
    }

    public boolean running() {
        return state == State.READY || state == State.STARTED;
    }

    public boolean requiresService(String service) {
        return requires.contains(service);
    }

    @Override
    public String toString() {
        return name;
    }
}
