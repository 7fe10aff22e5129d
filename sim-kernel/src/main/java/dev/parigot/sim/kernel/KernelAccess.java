package dev.parigot.sim.kernel;

import com.google.protobuf.Message;
import dev.parigot.sim.kernel.internal.guest.GuestCode;
import dev.parigot.sim.kernel.internal.node.ApiAccess;
import dev.parigot.sim.kernel.internal.node.Route;
import java.util.List;

/** The API's side of {@link ApiAccess}: the one way the world's internals reach package-private parts. */
final class KernelAccess implements ApiAccess {
    static {
        ApiAccess.set(new KernelAccess());
        GuestCode.provide(GuestModule::code);
    }

    private KernelAccess() {
    }

    @Override
    public Trace newTrace(List<String> nodeNames, List<Route> routes, int capacity, boolean keepPayloads) {
        return new Trace(nodeNames, routes, capacity, keepPayloads);
    }

    @Override
    public void record(Trace trace, long timeNanos, int sourceNode, int targetNode, StepKind kind, long eventId,
            int routeId, byte[] payload, int resultStatus) {
        trace.record(timeNanos, sourceNode, targetNode, kind, eventId, routeId, payload, resultStatus);
    }

    @Override
    public <T> SimFuture<T> newFuture() {
        return new SimFuture<>();
    }

    @Override
    public <T> void complete(SimFuture<T> future, Status status, T value, String detail) {
        future.complete(status, value, detail);
    }

    @Override
    public void tally(AssertionTally tally, String kind, String message, boolean satisfied) {
        tally.record(kind, message, satisfied);
    }

    @Override
    public long serial(JavaService service) {
        return service.serial;
    }

    @Override
    public List<String> requires(JavaService service) {
        return service.requires;
    }

    @Override
    public JavaService.Handler<byte[]> handler(JavaService service, String method) {
        JavaService.Handler<byte[]> handler = service.methods.get(method);
        return handler != null ? handler : service.otherMethods;
    }

    @Override
    public void ready(JavaService service, ServiceContext context) {
        service.onReady.accept(context);
    }

    @Override
    public void checkReply(JavaService service, String method, Message response) {
        service.checkReply(method, response);
    }
}
