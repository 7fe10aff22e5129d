package dev.parigot.sim.faults;

/**
 * A message on the simulated network, as the {@link NetworkModel} sees it: a call on its way to a
 * service, or a result on its way back to the caller.
 */
public interface Message {

    enum Kind { CALL, RESULT }

    Kind messageKind();

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

    int payloadBytes();

    /** The status of a result; 0 for a call. */
    int status();
}
