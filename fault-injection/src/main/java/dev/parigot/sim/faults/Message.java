package dev.parigot.sim.faults;

/**
 * A message on the simulated network, as the {@link NetworkModel} sees it: a call on its way to a
 * service, or a result on its way back to the caller.
 */
public interface Message {

    /** A CALL on its way to a service, or the RESULT on its way back to the caller. */
    enum Kind { CALL, RESULT }

    /** Whether this is a call or a result. */
    Kind messageKind();

    /** The id of the call (a result carries the id of the call it answers). */
    long callId();

    /** The node that sent it. */
    String source();

    /** The index of the node that sent it (stable within a world, in the order nodes were added). */
    int sourceIndex();

    /** The index of the node it is addressed to. */
    int targetIndex();

    /** The node it is addressed to. */
    String target();

    /** The service, e.g. {@code bank.v1.Ledger}. */
    String service();

    /** The method, e.g. {@code Get}. */
    String method();

    /** The payload's size in bytes. */
    int payloadBytes();

    /** The status of a result; 0 for a call. */
    int status();
}
