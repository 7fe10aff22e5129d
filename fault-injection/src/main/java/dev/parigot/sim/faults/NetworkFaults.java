package dev.parigot.sim.faults;

import java.time.Duration;

/**
 * Faults of the network: latency, drops, duplicates, reordering, and random partitions and
 * clogs (decided at ticks) with how long they last. Immutable; built through
 * {@code FaultProfile.builder().network(n -> ...)}.
 */
public final class NetworkFaults {
    static final NetworkFaults NONE = new Builder().build();

    private final Latency latency;
    private final Probability drop;
    private final Probability duplicate;
    private final boolean reorder;
    private final Probability partitions;
    private final DurationRange partitionDuration;
    private final Probability clogging;
    private final DurationRange clogDuration;

    private NetworkFaults(Builder b) {
        this.latency = b.latency;
        this.drop = b.drop;
        this.duplicate = b.duplicate;
        this.reorder = b.reorder;
        this.partitions = b.partitions;
        this.partitionDuration = b.partitionDuration;
        this.clogging = b.clogging;
        this.clogDuration = b.clogDuration;
    }

    Builder toBuilder() {
        Builder b = new Builder();
        b.latency = latency;
        b.drop = drop;
        b.duplicate = duplicate;
        b.reorder = reorder;
        b.partitions = partitions;
        b.partitionDuration = partitionDuration;
        b.clogging = clogging;
        b.clogDuration = clogDuration;
        return b;
    }

    /**
     * The one-way latency window every message gets (default {@link NetworkModel#DEFAULT_LATENCY},
     * 100 µs to 1 ms).
     */
    public Latency latency() {
        return latency;
    }

    /** Probability that a message is lost (default never). */
    public Probability drop() {
        return drop;
    }

    /** Probability that a message is delivered twice (default never). */
    public Probability duplicate() {
        return duplicate;
    }

    /** Whether messages on one link may overtake each other (default false: FIFO per link). */
    public boolean reorder() {
        return reorder;
    }

    /** Probability per tick of a random partition. */
    public Probability partitions() {
        return partitions;
    }

    /** How long a random partition lasts (default 10 ms to 100 ms). */
    public DurationRange partitionDuration() {
        return partitionDuration;
    }

    /** Probability per tick of a random clog of one node. */
    public Probability clogging() {
        return clogging;
    }

    /** How long a clog lasts, at ticks and at crash points. */
    public DurationRange clogDuration() {
        return clogDuration;
    }

    /** True if anything but the plain reliable latency window is on. */
    boolean any() {
        return !drop.never() || !duplicate.never() || reorder || !partitions.never() || !clogging.never()
                || latency != NetworkModel.DEFAULT_LATENCY;
    }

    /** One line: the latency window and every network fault that is on. */
    public String describe() {
        StringBuilder s = new StringBuilder("latency ").append(latency.describe());
        if (!drop.never()) {
            s.append(", drop ").append(drop);
        }
        if (!duplicate.never()) {
            s.append(", duplicate ").append(duplicate);
        }
        if (reorder) {
            s.append(", reorder");
        }
        return s.toString();
    }

    /**
     * Sets network faults, inside {@code FaultProfile.builder().network(n -> ...)}; starts from
     * what the profile's builder holds. Every setting is validated where given, with an
     * {@link IllegalArgumentException} that names it.
     */
    public static final class Builder {
        private Latency latency = NetworkModel.DEFAULT_LATENCY;
        private Probability drop = Probability.NEVER;
        private Probability duplicate = Probability.NEVER;
        private boolean reorder;
        private Probability partitions = Probability.NEVER;
        private DurationRange partitionDuration = DurationRange.of("partition duration", Duration.ofMillis(10),
                Duration.ofMillis(100));
        private Probability clogging = Probability.NEVER;
        private DurationRange clogDuration = DurationRange.of("clog duration", Duration.ofMillis(1),
                Duration.ofMillis(50));

        Builder() {
        }

        /**
         * The one-way latency window every message gets (default
         * {@link NetworkModel#DEFAULT_LATENCY}, 100 µs to 1 ms); see {@link Latency#fixed},
         * {@link Latency#uniform}, {@link Latency#longTail}.
         *
         * @throws IllegalArgumentException if {@code value} is null
         */
        public Builder latency(Latency value) {
            if (value == null) {
                throw new IllegalArgumentException("latency must not be null; give a Latency, e.g."
                        + " Latency.uniform(100_000, 1_000_000) for 100 µs to 1 ms");
            }
            this.latency = value;
            return this;
        }

        /** Probability that a message is lost. */
        public Builder drop(double p) {
            this.drop = Probability.of("drop", p);
            return this;
        }

        /** Probability that a message is delivered twice. */
        public Builder duplicate(double p) {
            this.duplicate = Probability.of("duplicate", p);
            return this;
        }

        /** Whether messages on one link may overtake each other (no per-link FIFO). */
        public Builder reorder(boolean value) {
            this.reorder = value;
            return this;
        }

        /** Random partitions: probability per tick; healed after {@link #partitionDuration}. */
        public Builder partitions(double perTick) {
            this.partitions = Probability.of("partitions", perTick);
            return this;
        }

        /** How long a random partition lasts: [min, max], 10 ms to 100 ms unless set. */
        public Builder partitionDuration(Duration min, Duration max) {
            this.partitionDuration = DurationRange.of("partition duration", min, max);
            return this;
        }

        /** Random clogging of a node (everything to and from it waits): probability per tick. */
        public Builder clogging(double perTick) {
            this.clogging = Probability.of("clogging", perTick);
            return this;
        }

        /** How long a clog lasts (at ticks and at crash points): [min, max], 1 ms to 50 ms unless set. */
        public Builder clogDuration(Duration min, Duration max) {
            this.clogDuration = DurationRange.of("clog duration", min, max);
            return this;
        }

        /** The network faults, immutable. */
        public NetworkFaults build() {
            return new NetworkFaults(this);
        }
    }
}
