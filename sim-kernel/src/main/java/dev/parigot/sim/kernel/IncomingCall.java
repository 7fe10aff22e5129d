package dev.parigot.sim.kernel;

import com.google.protobuf.Message;
import dev.parigot.sim.kernel.internal.node.World;

/** A call a Java service received; answer it now or keep it and answer in a later step. */
public interface IncomingCall {

    long id();

    String service();

    String method();

    /** The caller's node name. */
    String caller();

    byte[] payload();

    void reply(Message response);

    void reply(Status status, byte[] payload);

    default void fail(Status status) {
        reply(status, World.EMPTY);
    }

    /** The service's own context, to make calls and set timers while handling this one. */
    ServiceContext context();
}
