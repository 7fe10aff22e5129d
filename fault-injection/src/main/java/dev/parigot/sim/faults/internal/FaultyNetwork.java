package dev.parigot.sim.faults.internal;

import dev.parigot.sim.faults.InjectedFault;
import dev.parigot.sim.faults.Message;
import dev.parigot.sim.faults.NetworkFaults;
import dev.parigot.sim.faults.NetworkModel;
import dev.parigot.sim.scheduler.ChoiceStream;

/**
 * The network with faults: partitions and clogs from the world's {@link LinkState}, then per
 * message a drop, a latency window (with a long tail if configured) and perhaps a duplicate,
 * each drawn from the choice stream. Without reordering, each link stays FIFO.
 */
public final class FaultyNetwork implements NetworkModel {
    private final NetworkFaults faults;
    private final LinkState links;
    private final long[] window = new long[2];

    public FaultyNetwork(NetworkFaults faults, LinkState links) {
        this.faults = faults;
        this.links = links;
    }

    @Override
    public void transmit(Message m, long nowNanos, ChoiceStream choices, Deliveries out) {
        int s = m.sourceIndex();
        int t = m.targetIndex();
        if (links.blocked(s, t)) {
            out.dropped(InjectedFault.Kind.DROP, "partition");
            return;
        }
        if (faults.drop().happens(choices)) {
            out.dropped(InjectedFault.Kind.DROP, "lost");
            return;
        }
        long from = links.clearFrom(s, t, nowNanos);
        faults.latency().window(choices, window);
        out.deliver(from + window[0], from + window[1]);
        if (faults.duplicate().happens(choices)) {
            faults.latency().window(choices, window);
            out.deliver(from + window[0], from + window[1]);
        }
    }

    @Override
    public boolean fifoLinks() {
        return !faults.reorder();
    }

    /**
     * Partitions and clogs of {@code links} in front of {@code base}, which decides everything
     * else (latency, order): the network of a world whose profile has no network faults once a
     * test partitions or clogs it.
     */
    public static NetworkModel withLinks(NetworkModel base, LinkState links) {
        return new NetworkModel() {
            @Override
            public void transmit(Message m, long nowNanos, ChoiceStream choices, Deliveries out) {
                if (links.blocked(m.sourceIndex(), m.targetIndex())) {
                    out.dropped(InjectedFault.Kind.DROP, "partition");
                    return;
                }
                base.transmit(m, links.clearFrom(m.sourceIndex(), m.targetIndex(), nowNanos), choices, out);
            }

            @Override
            public boolean fifoLinks() {
                return base.fifoLinks();
            }

            @Override
            public String describe() {
                return base.describe();
            }
        };
    }

    @Override
    public String describe() {
        return faults.describe();
    }
}
