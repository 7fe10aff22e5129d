package dev.parigot.sim.faults;

import dev.parigot.sim.scheduler.ChoiceStream;

/**
 * One-way network latency as a window of virtual time after sending: the message arrives no
 * earlier than {@code now + low} and no later than {@code now + high}; the scheduling
 * strategy picks the moment within. A long tail makes some messages much later than the rest.
 */
public abstract class Latency {

    /** Writes the window offsets {@code [low, high]} for one message into {@code out}. */
    public abstract void window(ChoiceStream choices, long[] out);

    /** One line for reports, e.g. "100.0 µs to 1.0 ms, tail 0.01000 up to 50.0 ms". */
    public abstract String describe();

    /** Always exactly {@code nanos}. */
    public static Latency fixed(long nanos) {
        requireNonNegative("latency", nanos);
        return new Range(nanos, nanos);
    }

    /** Anywhere from {@code minNanos} to {@code maxNanos}, as the strategy picks. */
    public static Latency uniform(long minNanos, long maxNanos) {
        requireNonNegative("latency min", minNanos);
        requireNonNegative("latency max", maxNanos);
        if (maxNanos < minNanos) {
            throw new IllegalArgumentException("latency min " + TimeText.of(minNanos) + " is above latency max "
                    + TimeText.of(maxNanos) + "; swap them");
        }
        return new Range(minNanos, maxNanos);
    }

    /**
     * Mostly within {@code [minNanos, maxNanos]}; with probability {@code tail} a message is
     * delayed instead to a time drawn between {@code maxNanos} and {@code capNanos}: about
     * uniformly over that span (so a tail easily outlasts a timeout), choice 0 giving the shortest.
     */
    public static Latency longTail(long minNanos, long maxNanos, double tail, long capNanos) {
        Range body = (Range) uniform(minNanos, maxNanos);
        if (capNanos < maxNanos) {
            throw new IllegalArgumentException("latency tail cap " + TimeText.of(capNanos) + " is below latency max "
                    + TimeText.of(maxNanos) + "; the cap bounds the tail from above");
        }
        return new Tail(body, Probability.of("latency tail probability", tail), capNanos);
    }

    static void requireNonNegative(String setting, long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException(setting + " = " + nanos + " ns is negative; latencies are durations"
                    + " of zero or more");
        }
    }

    /** The largest delay this model can give, for bounds elsewhere. */
    public abstract long maxNanos();

    private static final class Range extends Latency {
        final long low;
        final long high;

        Range(long low, long high) {
            this.low = low;
            this.high = high;
        }

        @Override
        public void window(ChoiceStream choices, long[] out) {
            out[0] = low;
            out[1] = high;
        }

        @Override
        public long maxNanos() {
            return high;
        }

        @Override
        public String describe() {
            return low == high ? TimeText.of(low) : TimeText.of(low) + " to " + TimeText.of(high);
        }
    }

    private static final class Tail extends Latency {
        private static final int LEVELS = 16;
        final Range body;
        final Probability tail;
        final long cap;

        Tail(Range body, Probability tail, long cap) {
            this.body = body;
            this.tail = tail;
            this.cap = cap;
        }

        @Override
        public void window(ChoiceStream choices, long[] out) {
            if (!tail.happens(choices)) {
                body.window(choices, out);
                return;
            }
            // Halving slices between max and cap: level k is the slice (span/2^(k+1), span/2^k] above
            // max, reached with probability 2^-(k+1), so the delay is about uniform over the span
            // while choice 0 at every level shrinks it toward max; then a uniform point in the slice.
            long span = cap - body.high;
            int level = 0;
            while (level < LEVELS - 1 && choices.choose(2) == 0) {
                level++;
            }
            long sliceEnd = body.high + (span >> level);
            long sliceStart = body.high + (span >> (level + 1));
            long width = Math.max(1, sliceEnd - sliceStart);
            long offset = width <= (1 << 30) ? choices.choose((int) width)
                    : (long) choices.choose(1 << 30) * (width >> 30);
            long delay = Math.min(cap, sliceStart + offset);
            out[0] = delay;
            out[1] = delay;
        }

        @Override
        public long maxNanos() {
            return cap;
        }

        @Override
        public String describe() {
            return body.describe() + ", tail " + tail + " up to " + TimeText.of(cap);
        }
    }
}
