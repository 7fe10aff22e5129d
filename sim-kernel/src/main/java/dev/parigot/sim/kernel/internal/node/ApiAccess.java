package dev.parigot.sim.kernel.internal.node;

import com.google.protobuf.Message;
import dev.parigot.sim.kernel.AssertionTally;
import dev.parigot.sim.kernel.JavaService;
import dev.parigot.sim.kernel.ServiceContext;
import dev.parigot.sim.kernel.SimFuture;
import dev.parigot.sim.kernel.Status;
import dev.parigot.sim.kernel.StepKind;
import dev.parigot.sim.kernel.Trace;
import java.util.List;

/**
 * What the world's internals may do to the API's objects that a user may not: record a step in a
 * {@link Trace}, complete a {@link SimFuture}, tally an assertion, read a {@link JavaService}'s
 * handlers. (A {@code GuestModule}'s compiled code is reached the same way, through
 * {@code internal.guest.GuestCode.of}.) The API package implements it once
 * ({@code dev.parigot.sim.kernel.KernelAccess}) and hands it over when its first class loads, so
 * none of these becomes public API (the JDK's {@code SharedSecrets} pattern).
 */
public interface ApiAccess {

    /** The one implementation; loads the API's side if nothing has loaded it yet. */
    static ApiAccess get() {
        ApiAccess access = Holder.access;
        if (access == null) {
            try {
                Class.forName("dev.parigot.sim.kernel.KernelAccess", true, ApiAccess.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("the API package of sim-kernel is missing", e);
            }
            access = Holder.access;
        }
        return access;
    }

    /** Called once, by the API package. */
    static void set(ApiAccess access) {
        if (Holder.access != null) {
            throw new IllegalStateException("ApiAccess is set once");
        }
        Holder.access = access;
    }

    /** Where the one implementation is kept (an interface cannot hold a mutable field itself). */
    final class Holder {
        private static volatile ApiAccess access;

        private Holder() {
        }
    }

    // ---- the trace

    Trace newTrace(List<String> nodeNames, List<Route> routes, int capacity, boolean keepPayloads);

    void record(Trace trace, long timeNanos, int sourceNode, int targetNode, StepKind kind, long eventId,
            int routeId, byte[] payload, int resultStatus);

    // ---- futures and assertions

    <T> SimFuture<T> newFuture();

    <T> void complete(SimFuture<T> future, Status status, T value, String detail);

    void tally(AssertionTally tally, String kind, String message, boolean satisfied);

    // ---- Java services

    /** A number that tells two services apart: only nodes running the same service object are replicas. */
    long serial(JavaService service);

    List<String> requires(JavaService service);

    /** The handler of {@code method}, or null. */
    JavaService.Handler<byte[]> handler(JavaService service, String method);

    /** Runs the service's ready hook, if it has one. */
    void ready(JavaService service, ServiceContext context);

    /** Refuses a reply of another type than the method's declared output. */
    void checkReply(JavaService service, String method, Message response);
}
