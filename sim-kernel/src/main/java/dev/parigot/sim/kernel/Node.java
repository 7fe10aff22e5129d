package dev.parigot.sim.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * One process of a world: a WASM node, a Java service or a test client. The kernel delivers
 * events to it one at a time; it answers through the kernel.
 */
abstract class Node {

    enum State { CREATED, STARTED, READY, EXITED, CRASHED }

    /** A call this node received and has not answered yet (and which incarnation of the caller made it). */
    record Inbound(Node caller, int callerIncarnation, Route route) {
    }

    final World world;
    final int index;
    final String name;
    final List<String> exports = new ArrayList<>();
    final List<String> requires = new ArrayList<>();
    final LongMap<Inbound> inbound = new LongMap<>();
    final LongMap<Event> timers = new LongMap<>();
    /** Ids of calls this node has answered, to tell a second reply from an unknown id (a bitmap by id). */
    private long[] answered = new long[4];

    void markAnswered(long callId) {
        int word = (int) (callId >>> 6);
        if (word >= answered.length) {
            answered = java.util.Arrays.copyOf(answered, Math.max(word + 1, answered.length * 2));
        }
        answered[word] |= 1L << callId;
    }

    boolean wasAnswered(long callId) {
        int word = (int) (callId >>> 6);
        return word < answered.length && (answered[word] & (1L << callId)) != 0;
    }
    State state = State.CREATED;
    /** Boots of this node (the first and each restart) restored from a boot image, and run from scratch. */
    int bootsRestored;
    int bootsFromScratch;
    /** Bumped by every restart: messages meant for an earlier incarnation are discarded. */
    int incarnation;
    /** This node's view of virtual time (clock faults). */
    dev.parigot.sim.faults.internal.NodeClock clock = dev.parigot.sim.faults.internal.NodeClock.EXACT;
    /** While paused, events for this node wait here instead of in the queues. */
    java.util.List<Event> held;
    /** Storage writes and deletes this node has issued (all incarnations), and replies it has sent: crash points read them. */
    long storageWritesIssued;
    long repliesSent;
    int exitCode;
    boolean exitRequested;

    Node(World world, int index, String name) {
        this.world = world;
        this.index = index;
        this.name = name;
    }

    /** What kind of process this is, for messages: "node", "Java service", "test client". */
    abstract String kindLabel();

    /** Instantiate and declare (parigot_start); returns normally or throws a boot failure. */
    abstract void start();

    /** parigot_ready; non-zero fails boot. */
    abstract int ready();

    abstract void deliverCall(long callId, Route route, byte[] payload);

    abstract void deliverResult(long callId, int status, byte[] payload);

    abstract void deliverTimer(long timerId);

    /** Module name for the rule that one service name may not come from two modules. */
    abstract String moduleName();

    /** What identifies the node's code: replicas of one service must share it. */
    abstract String moduleId();

    boolean running() {
        return state == State.READY || state == State.STARTED;
    }

    boolean requiresService(String service) {
        return requires.contains(service);
    }

    @Override
    public String toString() {
        return name;
    }
}
