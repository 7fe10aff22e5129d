package dev.parigot.sim.kernel.internal.world;

import dev.parigot.sim.faults.InjectedFault;
import dev.parigot.sim.faults.NetworkModel;
import dev.parigot.sim.kernel.Status;
import dev.parigot.sim.kernel.StepKind;
import dev.parigot.sim.kernel.internal.javanode.JavaNode;
import dev.parigot.sim.kernel.internal.node.ApiAccess;
import dev.parigot.sim.kernel.internal.node.Event;
import dev.parigot.sim.kernel.internal.node.Node;
import dev.parigot.sim.kernel.internal.node.Route;
import dev.parigot.sim.kernel.internal.node.World;
import dev.parigot.sim.kernel.internal.node.World.CallSite;
import dev.parigot.sim.kernel.internal.storage.StorageNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The message path of one world: routing a call to its provider (one replica of a replicated
 * service, by a choice), replies to the incarnation that called, handing each message to the
 * network model (or straight to the node's own disk, which no network fault reaches), queueing
 * what the model delivers (and duplicates), and delivering a step's event to its target, or
 * discarding it when the target crashed, restarted or exited since.
 */
final class MessagePath {
    private static final ApiAccess API = ApiAccess.get();
    private static final byte[] EMPTY = World.EMPTY;

    private final Kernel kernel;
    private final Map<String, Route> routesByKey = new HashMap<>();
    /** Why the last call was refused, as a sentence. */
    String lastCallProblem = "";
    /** The message the network model is deciding about, and whether it has queued it once already. */
    private Event sending;
    private boolean sendingQueued;
    private final NetworkModel.Deliveries deliveries = new NetworkDeliveries();

    MessagePath(Kernel kernel) {
        this.kernel = kernel;
    }

    /** The route of (service, method), interned: its id is what the trace records. */
    Route route(String service, String method) {
        Kernel k = kernel;
        String key = service + '\u0000' + method;
        Route r = routesByKey.get(key);
        if (r == null) {
            r = new Route(k.routes.size(), service, method);
            k.routes.add(r);
            routesByKey.put(key, r);
        }
        return r;
    }

    /** Hands a message to the network model, which enqueues zero, one or more deliveries. */
    void send(int type, Node source, Node target, long id, Route route, int status, byte[] payload,
            int targetIncarnation) {
        Kernel k = kernel;
        Event e = new Event(type, k.nextSeq++, source, target, id, route, status, payload);
        e.targetIncarnation = targetIncarnation;
        e.sourceIncarnation = source.incarnation;
        sending = e;
        sendingQueued = false;
        if (source == k.storage || target == k.storage) {
            // A node's own disk: never on the network, so no partition, drop, duplicate or reordering
            // reaches it; its requests form one FIFO queue (deliverAt keeps storage links FIFO always).
            if (type == Event.CALL && StorageNode.isWrite(route)) {
                source.storageWritesIssued++;
            }
            deliverAt(k.nowNanos + StorageNode.LATENCY_MIN_NANOS, k.nowNanos + StorageNode.LATENCY_MAX_NANOS);
        } else {
            k.network.transmit(e, k.nowNanos, k.choices, deliveries);
        }
        sending = null;
    }

    private final class NetworkDeliveries implements NetworkModel.Deliveries {
        @Override
        public void deliver(long earliestNanos, long latestNanos) {
            deliverAt(earliestNanos, latestNanos);
        }

        @Override
        public void dropped(InjectedFault.Kind kind, String why) {
            Event e = sending;
            kernel.recordFault(kind, e.source, (e.type == Event.CALL ? "call " : "result ") + e.id + " " + e.source.name
                    + " -> " + e.target.name + " " + e.route.label + " (" + why + ")");
        }
    }

    private void deliverAt(long earliestNanos, long latestNanos) {
        Kernel k = kernel;
        Event proto = sending;
        if (proto == null) {
            throw new IllegalStateException("the network model delivered outside transmit()");
        }
        if (earliestNanos < k.nowNanos || latestNanos < earliestNanos) {
            throw new IllegalStateException("network model " + k.network.describe() + " gave the window ["
                    + earliestNanos + ", " + latestNanos + "] at time " + k.nowNanos);
        }
        Event e = sendingQueued ? proto.copyForDuplicate(k.nextSeq++) : proto;
        if (sendingQueued) {
            k.recordFault(InjectedFault.Kind.DUPLICATE, proto.source, (proto.type == Event.CALL ? "call " : "result ")
                    + proto.id + " " + proto.source.name + " -> " + proto.target.name + " " + proto.route.label);
        }
        sendingQueued = true;
        e.earliestNanos = earliestNanos;
        e.latestNanos = latestNanos;
        if (k.network.fifoLinks() || e.source == k.storage || e.target == k.storage) {
            k.queue.stampLink(e, k.nodes.size());
        }
        k.enqueue(e);
    }

    /** Where a call goes: the route and its providers, or the status and sentence of a refused call. */
    CallSite resolve(Node caller, String target, String method) {
        Kernel k = kernel;
        String service = target;
        String at = null;
        int sep = target.indexOf('@');
        if (sep >= 0) {
            service = target.substring(0, sep);
            at = target.substring(sep + 1);
        }
        boolean client = caller instanceof JavaNode && ((JavaNode) caller).isClient();
        if (!client && !caller.requiresService(service)) {
            return new CallSite(null, null, null, -Status.FAILED_PRECONDITION.code(),
                    caller.name + " did not require " + service);
        }
        List<Node> exporters = k.providers.get(service);
        if (exporters == null) {
            return new CallSite(null, null, null, -Status.NOT_FOUND.code(), "no node exports " + service);
        }
        Route route = route(service, method);
        if (at == null) {
            return new CallSite(route, exporters.size() == 1 ? exporters.get(0) : null, exporters, 0, "");
        }
        for (Node n : exporters) {
            if (n.name.equals(at)) {
                return new CallSite(route, n, exporters, 0, "");
            }
        }
        return new CallSite(null, null, null, -Status.NOT_FOUND.code(), "no node '" + at + "' exports " + service);
    }

    /** ABI {@code call}: the call id, or minus a status. */
    long call(Node caller, CallSite site, byte[] payload) {
        Kernel k = kernel;
        if (site.status != 0) {
            lastCallProblem = site.problem;
            return site.status;
        }
        // The plain name of a replicated service reaches one replica, chosen like a load balancer.
        Node callee = site.fixed != null ? site.fixed : site.providers.get(k.choices.choose(site.providers.size()));
        long id = k.nextId++;
        send(Event.CALL, caller, callee, id, site.route, 0, payload, callee.incarnation);
        return id;
    }

    /** ABI {@code reply}: a status. */
    int reply(Node node, long callId, int status, byte[] payload) {
        if (!Status.isValid(status)) {
            return Status.INVALID_ARGUMENT.code();
        }
        Node.Inbound in = callId > 0 ? node.inbound.remove(callId) : null;
        if (in == null) {
            boolean answered = callId > 0 && callId <= Integer.MAX_VALUE && node.wasAnswered(callId);
            return answered ? Status.FAILED_PRECONDITION.code() : Status.NOT_FOUND.code();
        }
        if (--in.unanswered > 0) {
            node.inbound.put(callId, in); // a call the network delivered twice before its first answer: one more owed
        } else if (callId <= Integer.MAX_VALUE) {
            node.markAnswered(callId);
        }
        node.repliesSent++;
        send(Event.RESULT, node, in.caller(), callId, in.route(), status, payload, in.callerIncarnation());
        return Status.OK.code();
    }

    /** Delivers the event of a step: a call or result to a running incarnation, or a DISCARD step. */
    void deliver(Event e) {
        Kernel k = kernel;
        Node target = e.target;
        k.queue.delivered(e);
        switch (e.type) {
            case Event.CALL:
                if (!target.running() || e.targetIncarnation != target.incarnation
                        || (target == k.storage && e.sourceIncarnation != e.source.incarnation)) {
                    // (A crash decided the fate of every storage request its node had in flight:
                    // nothing an old incarnation issued lands after the crash.)
                    API.record(k.trace, k.nowNanos, e.source.index, target.index, StepKind.DISCARD, e.id, e.route.id,
                            e.payload, 0);
                    if (target.state == Node.State.EXITED && e.source.running()) {
                        // The callee is gone for good: the caller learns it as a refused connection.
                        send(Event.RESULT, target, e.source, e.id, e.route, Status.UNAVAILABLE.code(), EMPTY,
                                e.sourceIncarnation);
                    }
                    return;
                }
                API.record(k.trace, k.nowNanos, e.source.index, target.index, StepKind.CALL, e.id, e.route.id, e.payload, 0);
                // The answer goes to the incarnation that made the call: one restarted since never made it.
                Node.Inbound pending = target.inbound.get(e.id);
                if (pending != null) {
                    pending.unanswered++; // a duplicate of a call still being handled
                } else {
                    target.inbound.put(e.id, new Node.Inbound(e.source, e.sourceIncarnation, e.route));
                }
                k.supervisor.runEvent(target, e);
                return;
            case Event.RESULT:
                if (!target.running() || e.targetIncarnation != target.incarnation) {
                    API.record(k.trace, k.nowNanos, e.source.index, target.index, StepKind.DISCARD, e.id, e.route.id,
                            e.payload, e.status);
                    return;
                }
                API.record(k.trace, k.nowNanos, e.source.index, target.index, StepKind.RESULT, e.id, e.route.id, e.payload,
                        e.status);
                k.supervisor.runEvent(target, e);
                return;
            default:
                target.timers.remove(e.id);
                API.record(k.trace, k.nowNanos, target.index, target.index, target.running() ? StepKind.TIMER
                        : StepKind.DISCARD, e.id, -1, null, 0);
                if (target.running()) {
                    k.supervisor.runEvent(target, e);
                }
        }
    }
}
