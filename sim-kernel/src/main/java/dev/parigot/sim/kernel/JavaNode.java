package dev.parigot.sim.kernel;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.parigot.sim.scheduler.internal.Prng;
import java.time.Duration;

/** A Java service or a test client: a process of the world whose handlers are Java code. */
final class JavaNode extends Node implements ServiceContext {
    private final JavaService service;
    private final Prng random;
    private final LongMap<SimFuture<byte[]>> outstanding = new LongMap<>();
    private final LongMap<Runnable> timerActions = new LongMap<>();

    /** {@code service} is null for a test client. */
    JavaNode(World world, int index, String name, JavaService service, long randomSeed) {
        super(world, index, name);
        this.service = service;
        this.random = new Prng(randomSeed);
        if (service != null) {
            exports.add(service.name);
            requires.addAll(service.requires);
        }
    }

    boolean isClient() {
        return service == null;
    }

    @Override
    String kindLabel() {
        return isClient() ? "test client" : "Java service";
    }

    @Override
    String moduleName() {
        return "java:" + (service == null ? name : service.name);
    }

    @Override
    String moduleId() {
        return service == null ? moduleName() : moduleName() + "#" + service.serial;
    }

    @Override
    void start() {
        state = State.STARTED;
    }

    @Override
    int ready() {
        if (service != null) {
            service.onReady.accept(this);
        }
        return 0;
    }

    @Override
    void deliverCall(long callId, Route route, byte[] payload) {
        JavaService.Handler<byte[]> handler = service == null ? null : service.methods.get(route.method);
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
    void deliverResult(long callId, int status, byte[] payload) {
        SimFuture<byte[]> future = outstanding.remove(callId);
        if (future != null) {
            future.complete(Status.of(status), payload, "");
        }
    }

    @Override
    void deliverTimer(long timerId) {
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
        SimFuture<byte[]> future = new SimFuture<>();
        String problem = world.payloadOverLimit(payload.length,
                bytes -> "node '" + name + "' sent a payload of " + bytes + " to " + target + "/" + method);
        if (problem != null) {
            future.complete(Status.RESOURCE_EXHAUSTED, null, problem);
            return future;
        }
        long id = world.call(this, target, method, payload);
        if (id < 0) {
            future.complete(Status.of((int) -id), null, world.lastCallProblem());
        } else {
            outstanding.put(id, future);
        }
        return future;
    }

    @Override
    public <R> SimFuture<R> call(String target, String method, Message request, Parser<R> replyParser) {
        SimFuture<R> typed = new SimFuture<>();
        call(target, method, request.toByteArray()).whenDone(raw -> {
            if (raw.status() != Status.OK) {
                typed.complete(raw.status(), null, raw.detail());
                return;
            }
            try {
                typed.complete(Status.OK, replyParser.parseFrom(raw.get()), "");
            } catch (InvalidProtocolBufferException e) {
                typed.complete(Status.INTERNAL, null, "the reply of " + target + "/" + method
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
    static final class JavaCodeFailure extends RuntimeException {
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
                service.checkReply(route.method, response);
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
            int result = world.reply(JavaNode.this, id, status.code(), bytes);
            if (result == Status.FAILED_PRECONDITION.code()) {
                throw new IllegalStateException(name + " answered call " + id + " (" + route.label + ") twice");
            }
        }

        @Override
        public ServiceContext context() {
            return JavaNode.this;
        }
    }
}
