package dev.parigot.sim.faults;

import dev.parigot.sim.scheduler.ChoiceStream;

/**
 * Decides the fate of every message: when it may arrive (a window of virtual time), whether it
 * arrives at all, and whether it arrives twice. The kernel calls it once per message sent;
 * fault injection plugs in here.
 *
 * <p>The window is the network's promise: the message is delivered no earlier than
 * {@code earliestNanos} and no later than {@code latestNanos}. Within those bounds the scheduling
 * strategy decides the order, so every order the network allows can be explored. Messages on one
 * link (source node to target node) keep their order when {@link #fifoLinks()} holds, as on a TCP
 * connection.
 */
public interface NetworkModel {

    /** Where the network puts a message: call {@code deliver} zero (lost), one or more times. */
    interface Deliveries {
        /** Queues one delivery; a second call for the same message is a duplicate. */
        void deliver(long earliestNanos, long latestNanos);

        /** Records that the network lost the message, and why ("partition", "lost"). */
        default void dropped(InjectedFault.Kind kind, String why) {
        }
    }

    /**
     * Decides one message's fate, sent at virtual time {@code nowNanos}: calls {@code out} once per
     * delivery with its window in absolute virtual nanoseconds (none: lost; twice: duplicated),
     * drawing any decision from {@code choices}.
     */
    void transmit(Message message, long nowNanos, ChoiceStream choices, Deliveries out);

    /**
     * Whether messages on one link (source node to target node) keep their order, as on a TCP
     * connection (default true); false lets them overtake each other within their windows.
     */
    default boolean fifoLinks() {
        return true;
    }

    /** A human description for reports. */
    String describe();

    /**
     * A reliable network whose one-way latency lies between {@code minNanos} and {@code maxNanos}:
     * the strategy may deliver a message at any moment of that window.
     */
    static NetworkModel latency(long minNanos, long maxNanos) {
        Latency.uniform(minNanos, maxNanos); // validates
        return new NetworkModel() {
            @Override
            public void transmit(Message message, long nowNanos, ChoiceStream choices, Deliveries out) {
                out.deliver(nowNanos + minNanos, nowNanos + maxNanos);
            }

            @Override
            public String describe() {
                return "reliable, latency " + TimeText.of(minNanos) + " to " + TimeText.of(maxNanos);
            }
        };
    }

    /** The default one-way latency: 100 µs to 1 ms. */
    Latency DEFAULT_LATENCY = Latency.uniform(100_000L, 1_000_000L);

    /** The default: reliable, one-way latency 100 µs to 1 ms. */
    static NetworkModel defaultModel() {
        return latency(100_000L, 1_000_000L);
    }
}
