package dev.parigot.sim.kernel.internal.node;

import dev.parigot.sim.faults.Message;
/**
 * A pending event: a message delivery (call or result) or a timer. Also the {@link Message} view
 * the network model sees. Mutable only by the kernel, on the world's thread.
 */
public final class Event implements Message {
    public static final int CALL = 0;
    public static final int RESULT = 1;
    public static final int TIMER = 2;

    public final int type;
    public final long seq;
    public final Node source;
    public final Node target;
    /** Call id (CALL, RESULT) or timer id (TIMER). */
    public final long id;
    public final Route route;
    public final int status;
    public final byte[] payload;
    public long earliestNanos;
    public long latestNanos;
    /** The incarnation of the target this event is meant for; a restart makes it stale. */
    public int targetIncarnation;
    /** The incarnation of the source that sent it: a reply goes back to that one, not to a later one. */
    public int sourceIncarnation;
    /** Position on its link for FIFO links; -1 for timers and non-FIFO networks. */
    public long linkIndex = -1;
    /** Delivered or cancelled: no longer pending; the queues drop it lazily. */
    public boolean retired;

    public Event(int type, long seq, Node source, Node target, long id, Route route, int status, byte[] payload) {
        this.type = type;
        this.seq = seq;
        this.source = source;
        this.target = target;
        this.id = id;
        this.route = route;
        this.status = status;
        this.payload = payload;
    }

    public Event copyForDuplicate(long newSeq) {
        Event copy = new Event(type, newSeq, source, target, id, route, status, payload);
        copy.targetIncarnation = targetIncarnation;
        copy.sourceIncarnation = sourceIncarnation;
        return copy;
    }

    @Override
    public Kind messageKind() {
        return type == RESULT ? Kind.RESULT : Kind.CALL;
    }

    @Override
    public long callId() {
        return id;
    }

    @Override
    public String source() {
        return source.name;
    }

    @Override
    public String target() {
        return target.name;
    }

    @Override
    public int sourceIndex() {
        return source.index;
    }

    @Override
    public int targetIndex() {
        return target.index;
    }

    @Override
    public String service() {
        return route.service;
    }

    @Override
    public String method() {
        return route.method;
    }

    @Override
    public int payloadBytes() {
        return payload == null ? 0 : payload.length;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public String toString() {
        return (type == TIMER ? "timer " : type == CALL ? "call " : "result ") + id + " " + source.name + "->"
                + target.name + " [" + earliestNanos + "," + latestNanos + "]";
    }
}
