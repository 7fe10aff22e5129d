package dev.parigot.sim.kernel.internal.javanode;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.parigot.sim.kernel.IncomingCall;
import dev.parigot.sim.kernel.JavaService;
import dev.parigot.sim.kernel.LogLine;
import dev.parigot.sim.kernel.ServiceContext;
import dev.parigot.sim.kernel.SimFuture;
import dev.parigot.sim.kernel.Status;
import dev.parigot.sim.kernel.internal.node.ApiAccess;
import dev.parigot.sim.kernel.internal.node.LongMap;
import dev.parigot.sim.kernel.internal.node.Node;
import dev.parigot.sim.kernel.internal.node.Route;
import dev.parigot.sim.kernel.internal.node.World;
import dev.parigot.sim.scheduler.internal.Prng;
import java.time.Duration;

/** A Java service or a test client: a process of the world whose handlers are Java code. */
public final class JavaNode extends Node implements ServiceContext {
    private static final ApiAccess API = ApiAccess.get();
    private final JavaService service;
    private final Prng random;
    private final LongMap<SimFuture<byte[]>> outstanding = new LongMap<>();
    private final LongMap<Runnable> timerActions = new LongMap<>();
    /** The deadline timer of each outstanding call given a deadline, by call id. */
    private final LongMap<Long> deadlines = new LongMap<>();
    /** The id of the last call this node made (0 when it was refused at once). */
    private long lastCallId;

    /** {@code service} is null for a test client. */
    public JavaNode(World world, int index, String name, JavaService service, long randomSeed) {
        super(world, index, name);
        this.service = service;
        this.random = new Prng(randomSeed);
        if (service != null) {
            exports.add(service.name());
            requires.addAll(API.requires(service));
        }
    }

    public boolean isClient() {
        return service == null;
    }

    @Override
    public String kindLabel() {
        return isClient() ? "test client" : "Java service";
    }

    @Override
    public String moduleName() {
        return "java:" + (service == null ? name : service.name());
    }

    @Override
    public String moduleId() {
        return service == null ? moduleName() : moduleName() + "#" + API.serial(service);
    }

    @Override
    public void start() {
        state = State.STARTED;
    }

    @Override
    public int ready() {
        if (service != null) {
            API.ready(service, this);
        }
        return 0;
    }

    @Override
    public void deliverCall(long callId, Route route, byte[] payload) {
        JavaService.Handler<byte[]> handler = service == null ? null : API.handler(service, route.method);
        Node.Inbound in = inbound.get(callId);
        Incoming call = new Incoming(callId, route, in == null ? "" : in.caller().name, payload);
        if (handler == null) {
            call.fail(Status.UNIMPLEMENTED);
            return;
        }
        try {
            handler.handle(payload, call);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new JavaCodeFailure(e);
        }
    }

    @Override
    public void deliverResult(long callId, int status, byte[] payload) {
        SimFuture<byte[]> future = outstanding.remove(callId);
        Long deadline = deadlines.remove(callId);
        if (deadline != null) {
            cancel(deadline);
        }
        if (future != null) {
            API.complete(future, Status.of(status), payload, "");
        }
    }

    @Override
    public void deliverTimer(long timerId) {
        Runnable action = timerActions.remove(timerId);
        if (action != null) {
            action.run();
        }
    }

    // ---- ServiceContext ----

    @Override
    public String node() {
        return name;
    }

    @Override
    public long nowNanos() {
        return world.nowNanos(this);
    }

    @Override
    public SimFuture<byte[]> call(String target, String method, byte[] payload) {
        world.ensureBooted();
        SimFuture<byte[]> future = API.newFuture();
        String problem = world.payloadOverLimit(payload.length,
                bytes -> "node '" + name + "' sent a payload of " + bytes + " to " + target + "/" + method);
        if (problem != null) {
            API.complete(future, Status.RESOURCE_EXHAUSTED, null, problem);
            return future;
        }
        long id = world.call(this, target, method, payload);
        lastCallId = Math.max(id, 0);
        if (id < 0) {
            API.complete(future, Status.of((int) -id), null, world.lastCallProblem());
        } else {
            outstanding.put(id, future);
        }
        return future;
    }

    @Override
    public SimFuture<byte[]> call(String target, String method, byte[] payload, Duration deadline) {
        if (deadline == null || deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("a call's deadline must be a positive duration, got " + deadline);
        }
        SimFuture<byte[]> future = call(target, method, payload);
        if (future.isDone()) {
            return future;
        }
        long id = lastCallId;
        long nanos;
        try {
            nanos = deadline.toNanos();
        } catch (ArithmeticException e) {
            nanos = Long.MAX_VALUE; // centuries: no world runs that long
        }
        if (nanos >= world.virtualTimeLeftNanos()) {
            // Past the world's virtual-time limit: the deadline can never come, so no timer waits for it
            // (it would only keep a quiet world from ending).
            return future;
        }
        deadlines.put(id, schedule(deadline, () -> {
            deadlines.remove(id);
            SimFuture<byte[]> pending = outstanding.remove(id);
            if (pending != null) {
                API.complete(pending, Status.DEADLINE_EXCEEDED, null, "no result of " + target + "/" + method
                        + " (call " + id + ") within its deadline of "
                        + dev.parigot.sim.faults.TimeText.of(deadline.toNanos()));
            }
        }));
        return future;
    }

    @Override
    public <R> SimFuture<R> call(String target, String method, Message request, Parser<R> replyParser,
            Duration deadline) {
        return typed(call(target, method, request.toByteArray(), deadline), target, method, replyParser);
    }

    @Override
    public <R> SimFuture<R> call(String target, String method, Message request, Parser<R> replyParser) {
        return typed(call(target, method, request.toByteArray()), target, method, replyParser);
    }

    private <R> SimFuture<R> typed(SimFuture<byte[]> call, String target, String method, Parser<R> replyParser) {
        SimFuture<R> typed = API.newFuture();
        call.whenDone(raw -> {
            if (raw.status() != Status.OK) {
                API.complete(typed, raw.status(), null, raw.detail());
                return;
            }
            try {
                API.complete(typed, Status.OK, replyParser.parseFrom(raw.get()), "");
            } catch (InvalidProtocolBufferException e) {
                API.complete(typed, Status.INTERNAL, null, "the reply of " + target + "/" + method
                        + " does not parse: " + e.getMessage());
            }
        });
        return typed;
    }

    @Override
    public long schedule(Duration delay, Runnable action) {
        world.ensureBooted();
        long id = world.timerSet(this, delay.toNanos());
        if (id < 0) {
            throw new IllegalArgumentException("a timer delay must not be negative, got " + delay);
        }
        timerActions.put(id, action);
        return id;
    }

    @Override
    public boolean cancel(long timerId) {
        timerActions.remove(timerId);
        return world.timerCancel(this, timerId) == 0;
    }

    @Override
    public long randomLong() {
        return random.nextLong();
    }

    @Override
    public void log(LogLine.Level level, String text) {
        world.log(this, level, text);
    }

    /** Wraps a checked exception from Java test or service code. */
    public static final class JavaCodeFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        JavaCodeFailure(Exception cause) {
            super(cause);
        }
    }

    private final class Incoming implements IncomingCall {
        private final long id;
        private final Route route;
        private final String caller;
        private final byte[] payload;
        /** Whether this delivery has been answered (a duplicated call is delivered, and answered, again). */
        private boolean answered;

        Incoming(long id, Route route, String caller, byte[] payload) {
            this.id = id;
            this.route = route;
            this.caller = caller;
            this.payload = payload;
        }

        @Override
        public long id() {
            return id;
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
        public String caller() {
            return caller;
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public void reply(Message response) {
            if (service != null) {
                API.checkReply(service, route.method, response);
            }
            reply(Status.OK, response.toByteArray());
        }

        @Override
        public void reply(Status status, byte[] bytes) {
            String problem = world.payloadOverLimit(bytes.length,
                    size -> name + " replied to " + route.label + " with " + size);
            if (problem != null) {
                throw new IllegalArgumentException(problem);
            }
            if (answered) {
                throw new IllegalStateException(name + " answered call " + id + " (" + route.label + ") twice");
            }
            int result = world.reply(JavaNode.this, id, status.code(), bytes);
            if (result == Status.FAILED_PRECONDITION.code()) {
                throw new IllegalStateException(name + " answered call " + id + " (" + route.label
                        + ") more often than the network delivered it");
            }
            answered = true;
        }

        @Override
        public ServiceContext context() {
            return JavaNode.this;
        }
    }
}
