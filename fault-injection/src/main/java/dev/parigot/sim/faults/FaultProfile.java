package dev.parigot.sim.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Which faults a world injects and how often, nested by domain: {@link NetworkFaults} (latency,
 * drops, duplicates, reordering, partitions, clogging), {@link ProcessFaults} (crash and restart,
 * pause and resume, crash points), {@link ClockFaults} (skew and drift), {@link StorageFaults}
 * (unsynced writes lost or torn at a crash, read errors, corruption), plus BUGGIFY and the tick.
 * Immutable; every setting is validated where it is given, with an error that names it.
 *
 * <pre>{@code
 * FaultProfile.builder()
 *         .network(n -> n.drop(0.01).reorder(true))
 *         .storage(s -> s.lostUnsynced(0.5).tornUnsynced(0.1))
 *         .build();
 * }</pre>
 *
 * <p>Random process faults, partitions and clogs are decided at ticks of virtual time (every
 * {@code tick}, 10 ms by default) while the world has work pending: at each tick each kind
 * happens with its probability. Everything is drawn from the world's choice stream.
 */
public final class FaultProfile {
    /** No faults at all: the kernel's plain reliable network. */
    public static final FaultProfile NONE = builder().build();

    private final NetworkFaults network;
    private final ProcessFaults process;
    private final ClockFaults clock;
    private final StorageFaults storage;
    private final boolean buggify;
    private final Duration tick;
    private final String label;

    private FaultProfile(Builder b) {
        this.network = b.network;
        this.process = b.process;
        this.clock = b.clock;
        this.storage = b.storage;
        this.buggify = b.buggify;
        this.tick = b.tick;
        this.label = b.label;
    }

    /** A builder holding no faults: a profile built from it unchanged is {@link #NONE}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The default mix when faults are on: a long-tailed network that loses 1% and duplicates
     * 0.5% of messages and reorders them, occasional partitions and clogs, crashes with restart,
     * pauses, clock skew and drift, storage that loses or tears unsynced writes, and BUGGIFY.
     */
    public static FaultProfile defaults() {
        return builder()
                .label("default")
                .network(n -> n.latency(Latency.longTail(100_000, 1_000_000, 0.01, 50_000_000))
                        .drop(0.01)
                        .duplicate(0.005)
                        .reorder(true)
                        .partitions(0.01).partitionDuration(Duration.ofMillis(20), Duration.ofMillis(500))
                        .clogging(0.01).clogDuration(Duration.ofMillis(5), Duration.ofMillis(100)))
                .process(p -> p.crashes(0.005).restartDelay(Duration.ofMillis(10), Duration.ofMillis(500))
                        .pauses(0.005).pauseDuration(Duration.ofMillis(5), Duration.ofMillis(200))
                        .crashPoints(CrashPoints.defaults()))
                .clock(c -> c.skewMax(Duration.ofMillis(50)).driftPpmMax(5_000))
                .storage(s -> s.lostUnsynced(0.5).tornUnsynced(0.1).readError(0.001).corruption(0.0005))
                .buggify(true)
                .build();
    }

    /**
     * A builder holding every setting of this profile, to derive a variant
     * ({@code FaultProfile.defaults().toBuilder().network(n -> n.drop(0))} changes only the drop
     * rate).
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.network = network;
        b.process = process;
        b.clock = clock;
        b.storage = storage;
        b.buggify = buggify;
        b.tick = tick;
        b.label = label;
        return b;
    }

    /** The network faults: latency, drops, duplicates, reordering, random partitions and clogs. */
    public NetworkFaults network() {
        return network;
    }

    /** The process faults: random crashes and pauses at ticks, and the crash points between steps. */
    public ProcessFaults process() {
        return process;
    }

    /** The clock faults: each node's skew and drift. */
    public ClockFaults clock() {
        return clock;
    }

    /** The storage faults: unsynced writes lost or torn at a crash, read errors, corruption. */
    public StorageFaults storage() {
        return storage;
    }

    /** Whether BUGGIFY sites may fire in this world (see {@link Builder#buggify}). */
    public boolean buggify() {
        return buggify;
    }

    /** How often random process faults, partitions and clogs are decided. */
    public Duration tick() {
        return tick;
    }

    /** True if the network needs the faulty model (anything but the plain reliable latency window). */
    public boolean networkFaults() {
        return network.any();
    }

    /** True if random process, partition or clog decisions are drawn at ticks. */
    public boolean ticking() {
        return !process.crashes().never() || !process.pauses().never() || !network.partitions().never()
                || !network.clogging().never();
    }

    /** One line a failure report prints: what this world injects. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        parts.add(network.describe());
        if (!network.partitions().never()) {
            parts.add("partitions " + network.partitions() + "/tick for " + network.partitionDuration().describe());
        }
        if (!network.clogging().never()) {
            parts.add("clogs " + network.clogging() + "/tick for " + network.clogDuration().describe());
        }
        if (!process.crashes().never()) {
            parts.add("crashes " + process.crashes() + "/tick, restart after " + process.restartDelay().describe());
        }
        if (process.crashPoints().any()) {
            parts.add(process.crashPoints().describe());
        }
        if (!process.pauses().never()) {
            parts.add("pauses " + process.pauses() + "/tick for " + process.pauseDuration().describe());
        }
        if (clock.any()) {
            parts.add("clock skew up to " + TimeText.of(clock.skewMax().toNanos()) + ", drift up to "
                    + Math.round(clock.driftPpmMax()) + " ppm");
        }
        if (!storage.isDefault()) {
            parts.add("storage: unsynced lost " + storage.lostUnsynced() + ", torn " + storage.tornUnsynced()
                    + ", read errors " + storage.readError() + ", corruption " + storage.corruption());
        } else if (!process.crashes().never() || process.crashPoints().any()) {
            // The default disk rule is a fault too once nodes crash: say it where the crashes are said.
            parts.add("storage (default): each unsynced write lost at a crash with probability " + storage.lostUnsynced());
        }
        if (buggify) {
            parts.add("buggify");
        }
        return (label.isEmpty() ? "" : label + ": ") + String.join("; ", parts);
    }

    @Override
    public String toString() {
        return "FaultProfile[" + describe() + "]";
    }

    /** Each domain is set through its own builder, starting from what this builder holds. */
    public static final class Builder {
        NetworkFaults network = NetworkFaults.NONE;
        ProcessFaults process = ProcessFaults.NONE;
        ClockFaults clock = ClockFaults.NONE;
        StorageFaults storage = StorageFaults.NONE;
        private boolean buggify;
        private Duration tick = Duration.ofMillis(10);
        private String label = "";

        private Builder() {
        }

        /**
         * A name for this profile, printed at the head of {@link #describe()} in failure reports
         * (e.g. "default", "swarm"); null is the same as none, the default. Changes no fault.
         */
        public Builder label(String value) {
            this.label = value == null ? "" : value;
            return this;
        }

        /** Network faults: {@code network(n -> n.drop(0.01).reorder(true))}. */
        public Builder network(Consumer<NetworkFaults.Builder> settings) {
            NetworkFaults.Builder b = network.toBuilder();
            settings.accept(b);
            this.network = b.build();
            return this;
        }

        /** Process faults: {@code process(p -> p.crashes(0.005).restartDelay(min, max))}. */
        public Builder process(Consumer<ProcessFaults.Builder> settings) {
            ProcessFaults.Builder b = process.toBuilder();
            settings.accept(b);
            this.process = b.build();
            return this;
        }

        /** Clock faults: {@code clock(c -> c.skewMax(Duration.ofMillis(50)).driftPpmMax(5_000))}. */
        public Builder clock(Consumer<ClockFaults.Builder> settings) {
            ClockFaults.Builder b = clock.toBuilder();
            settings.accept(b);
            this.clock = b.build();
            return this;
        }

        /** Storage faults: {@code storage(s -> s.lostUnsynced(0.5).tornUnsynced(0.1))}. */
        public Builder storage(Consumer<StorageFaults.Builder> settings) {
            StorageFaults.Builder b = storage.toBuilder();
            settings.accept(b);
            this.storage = b.build();
            return this;
        }

        /**
         * Whether BUGGIFY sites may fire (off by default): each site is enabled for a world with
         * probability 1/4 the first time it is reached, and an enabled site fires with probability
         * 1/4 each time, drawn from the world's choice stream (FoundationDB's BUGGIFY). Off, every
         * site answers no.
         */
        public Builder buggify(boolean value) {
            this.buggify = value;
            return this;
        }

        /** How often random process faults, partitions and clogs are decided. */
        public Builder tick(Duration value) {
            DurationRange.requireNanos("fault tick", value);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("fault tick = " + value + " must be positive");
            }
            this.tick = value;
            return this;
        }

        /** The profile, immutable. */
        public FaultProfile build() {
            return new FaultProfile(this);
        }
    }
}
