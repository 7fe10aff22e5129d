package dev.parigot.sim.kernel;

import com.google.protobuf.Message;

/**
 * One delivery of a call to a Java service: answer it now or keep it and answer in a later step.
 * Each delivery is answered once; a second answer to the same delivery throws.
 *
 * <p>With network faults on, the network may deliver a call twice (a {@code DUPLICATE} fault):
 * the handler then runs again with a new {@code IncomingCall} of the same {@link #id()}, even
 * while the first is still unanswered, and both may be answered (the caller keeps the first
 * answer it receives). A service whose effect must not happen twice remembers the ids it has
 * applied, as a real service behind a retrying network must (docs/abi.md, "Duplicates").
 */
public interface IncomingCall {

    /** The call id, the same for every delivery of one call (a duplicate repeats it). */
    long id();

    /** The service called, as the caller named it without a {@code @node} suffix. */
    String service();

    /** The method called. */
    String method();

    /** The caller's node name. */
    String caller();

    /** A copy of the request's bytes. */
    byte[] payload();

    /** Answers OK with {@code response}, which must be the method's response type when the service has a descriptor. */
    void reply(Message response);

    /** Answers with {@code status} and raw bytes (by convention none when the status is not OK). */
    void reply(Status status, byte[] payload);

    /** Answers with {@code status} and no payload: how a fake refuses a call (a declined card, a missing row). */
    default void fail(Status status) {
        reply(status, new byte[0]);
    }

    /** The service's own context, to make calls and set timers while handling this one. */
    ServiceContext context();
}
