package dev.parigot.sim.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Which faults a world injects and how often: network (latency, drops, duplicates, reordering,
 * partitions, clogging), processes (crash and restart, pause and resume), clocks (skew and
 * drift), storage (unsynced writes lost or torn at a crash, read errors, corruption) and
 * BUGGIFY. Immutable; every setting is validated with an error that names it.
 *
 * <p>Random process faults, partitions and clogs are decided at ticks of virtual time (every
 * {@code tick}, 10 ms by default) while the world has work pending: at each tick each kind
 * happens with its probability. Everything is drawn from the world's choice stream.
 */
public final class FaultProfile {
    /** No faults at all: the kernel's plain reliable network. */
    public static final FaultProfile NONE = builder().build();

    final Latency latency;
    final Probability drop;
    final Probability duplicate;
    final boolean reorder;
    final Probability partition;
    final Duration partitionMin;
    final Duration partitionMax;
    final Probability clog;
    final Duration clogMin;
    final Duration clogMax;
    final Probability crash;
    final Duration restartMin;
    final Duration restartMax;
    final Probability pause;
    final Duration pauseMin;
    final Duration pauseMax;
    final Duration skewMax;
    final double driftPpmMax;
    final Probability lostUnsynced;
    final Probability tornUnsynced;
    final Probability readError;
    final Probability corruption;
    final boolean buggify;
    final Duration tick;
    final String label;
    final CrashPoints crashPoints;

    private FaultProfile(Builder b) {
        this.crashPoints = b.crashPoints;
        this.latency = b.latency;
        this.drop = b.drop;
        this.duplicate = b.duplicate;
        this.reorder = b.reorder;
        this.partition = b.partition;
        this.partitionMin = b.partitionMin;
        this.partitionMax = b.partitionMax;
        this.clog = b.clog;
        this.clogMin = b.clogMin;
        this.clogMax = b.clogMax;
        this.crash = b.crash;
        this.restartMin = b.restartMin;
        this.restartMax = b.restartMax;
        this.pause = b.pause;
        this.pauseMin = b.pauseMin;
        this.pauseMax = b.pauseMax;
        this.skewMax = b.skewMax;
        this.driftPpmMax = b.driftPpmMax;
        this.lostUnsynced = b.lostUnsynced;
        this.tornUnsynced = b.tornUnsynced;
        this.readError = b.readError;
        this.corruption = b.corruption;
        this.buggify = b.buggify;
        this.tick = b.tick;
        this.label = b.label;
    }

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
                .latency(Latency.longTail(100_000, 1_000_000, 0.01, 50_000_000))
                .drop(0.01)
                .duplicate(0.005)
                .reorder(true)
                .partitions(0.01, Duration.ofMillis(20), Duration.ofMillis(500))
                .clogging(0.01, Duration.ofMillis(5), Duration.ofMillis(100))
                .crashes(0.005, Duration.ofMillis(10), Duration.ofMillis(500))
                .pauses(0.005, Duration.ofMillis(5), Duration.ofMillis(200))
                .clockSkew(Duration.ofMillis(50))
                .clockDrift(5_000)
                .storage(0.5, 0.1, 0.001, 0.0005)
                .buggify(true)
                .crashPoints(CrashPoints.defaults())
                .build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.latency = latency;
        b.drop = drop;
        b.duplicate = duplicate;
        b.reorder = reorder;
        b.partition = partition;
        b.partitionMin = partitionMin;
        b.partitionMax = partitionMax;
        b.clog = clog;
        b.clogMin = clogMin;
        b.clogMax = clogMax;
        b.crash = crash;
        b.restartMin = restartMin;
        b.restartMax = restartMax;
        b.pause = pause;
        b.pauseMin = pauseMin;
        b.pauseMax = pauseMax;
        b.skewMax = skewMax;
        b.driftPpmMax = driftPpmMax;
        b.lostUnsynced = lostUnsynced;
        b.tornUnsynced = tornUnsynced;
        b.readError = readError;
        b.corruption = corruption;
        b.buggify = buggify;
        b.tick = tick;
        b.label = label;
        b.crashPoints = crashPoints;
        return b;
    }

    /** True if the network needs the faulty model (anything but the plain reliable latency window). */
    public boolean networkFaults() {
        return !drop.never() || !duplicate.never() || reorder || !partition.never() || !clog.never()
                || latency != NetworkModel.DEFAULT_LATENCY;
    }

    /** True if random process, partition or clog decisions are drawn at ticks. */
    public boolean ticking() {
        return !crash.never() || !pause.never() || !partition.never() || !clog.never();
    }

    /** The faulty network model for one world (explicit partitions and clogs apply through it too). */
    public NetworkModel newNetwork(LinkState links) {
        return new FaultyNetwork(this, links);
    }

    public boolean buggify() {
        return buggify;
    }

    public Duration tick() {
        return tick;
    }

    public Latency latency() {
        return latency;
    }

    String describeNetwork() {
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

    /** One line a failure report prints: what this world injects. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        parts.add(describeNetwork());
        if (!partition.never()) {
            parts.add("partitions " + partition + "/tick for " + TimeText.of(partitionMin.toNanos()) + ".."
                    + TimeText.of(partitionMax.toNanos()));
        }
        if (!clog.never()) {
            parts.add("clogs " + clog + "/tick for " + TimeText.of(clogMin.toNanos()) + ".."
                    + TimeText.of(clogMax.toNanos()));
        }
        if (!crash.never()) {
            parts.add("crashes " + crash + "/tick, restart after " + TimeText.of(restartMin.toNanos()) + ".."
                    + TimeText.of(restartMax.toNanos()));
        }
        if (crashPoints.any()) {
            parts.add(crashPoints.describe());
        }
        if (!pause.never()) {
            parts.add("pauses " + pause + "/tick for " + TimeText.of(pauseMin.toNanos()) + ".."
                    + TimeText.of(pauseMax.toNanos()));
        }
        if (!skewMax.isZero() || driftPpmMax != 0) {
            parts.add("clock skew up to " + TimeText.of(skewMax.toNanos()) + ", drift up to "
                    + Math.round(driftPpmMax) + " ppm");
        }
        boolean storageDefault = Math.abs(lostUnsynced.value() - 0.5) < 1e-9 && tornUnsynced.never()
                && readError.never() && corruption.never();
        if (!storageDefault) {
            parts.add("storage: unsynced lost " + lostUnsynced + ", torn " + tornUnsynced + ", read errors "
                    + readError + ", corruption " + corruption);
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

    // ---- accessors for the kernel ----

    /** Faults decided between steps: crashes at any step and at targeted points, pauses and clogs there. */
    public CrashPoints crashPoints() {
        return crashPoints;
    }

    public Probability crash() {
        return crash;
    }

    public Probability pause() {
        return pause;
    }

    public Probability partition() {
        return partition;
    }

    public Probability clog() {
        return clog;
    }

    public Duration restartMin() {
        return restartMin;
    }

    public Duration restartMax() {
        return restartMax;
    }

    public Duration pauseMin() {
        return pauseMin;
    }

    public Duration pauseMax() {
        return pauseMax;
    }

    public Duration partitionMin() {
        return partitionMin;
    }

    public Duration partitionMax() {
        return partitionMax;
    }

    public Duration clogMin() {
        return clogMin;
    }

    public Duration clogMax() {
        return clogMax;
    }

    public Duration skewMax() {
        return skewMax;
    }

    public double driftPpmMax() {
        return driftPpmMax;
    }

    public Probability lostUnsynced() {
        return lostUnsynced;
    }

    public Probability tornUnsynced() {
        return tornUnsynced;
    }

    public Probability readError() {
        return readError;
    }

    public Probability corruption() {
        return corruption;
    }

    public static final class Builder {
        private Latency latency = NetworkModel.DEFAULT_LATENCY;
        private Probability drop = Probability.NEVER;
        private Probability duplicate = Probability.NEVER;
        private boolean reorder;
        private Probability partition = Probability.NEVER;
        private Duration partitionMin = Duration.ofMillis(10);
        private Duration partitionMax = Duration.ofMillis(100);
        private Probability clog = Probability.NEVER;
        private Duration clogMin = Duration.ofMillis(1);
        private Duration clogMax = Duration.ofMillis(50);
        private Probability crash = Probability.NEVER;
        private Duration restartMin = Duration.ofMillis(1);
        private Duration restartMax = Duration.ofMillis(100);
        private Probability pause = Probability.NEVER;
        private Duration pauseMin = Duration.ofMillis(1);
        private Duration pauseMax = Duration.ofMillis(50);
        private Duration skewMax = Duration.ZERO;
        private double driftPpmMax;
        private Probability lostUnsynced = Probability.of("storage lost", 0.5);
        private Probability tornUnsynced = Probability.NEVER;
        private Probability readError = Probability.NEVER;
        private Probability corruption = Probability.NEVER;
        private boolean buggify;
        private Duration tick = Duration.ofMillis(10);
        private String label = "";
        private CrashPoints crashPoints = CrashPoints.NONE;

        private Builder() {
        }

        /**
         * Faults between steps: crashes at any step and right where durability bugs hide (after a
         * call was handled, after unsynced writes were issued, after a reply was sent), pauses and
         * clogs there, and the most random crashes per run. Pauses and clogs at points last the
         * profile's pause and clog durations; restarts wait the profile's restart delay.
         */
        public Builder crashPoints(CrashPoints value) {
            if (value == null) {
                throw new IllegalArgumentException("crash points must not be null; give CrashPoints.NONE for none");
            }
            this.crashPoints = value;
            return this;
        }

        public Builder label(String value) {
            this.label = value == null ? "" : value;
            return this;
        }

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

        /** Random partitions: probability per tick, healed after a duration in [min, max]. */
        public Builder partitions(double perTick, Duration min, Duration max) {
            this.partition = Probability.of("partitions", perTick);
            range("partition duration", min, max);
            this.partitionMin = min;
            this.partitionMax = max;
            return this;
        }

        /** Random clogging of a node (everything to and from it waits): per tick, for [min, max]. */
        public Builder clogging(double perTick, Duration min, Duration max) {
            this.clog = Probability.of("clogging", perTick);
            range("clog duration", min, max);
            this.clogMin = min;
            this.clogMax = max;
            return this;
        }

        /** Random crashes of a node: per tick (within the crash budget of {@link CrashPoints#crashesMax}), restarted as a fresh instance after [min, max]. */
        public Builder crashes(double perTick, Duration restartAfterMin, Duration restartAfterMax) {
            this.crash = Probability.of("crashes", perTick);
            range("restart delay", restartAfterMin, restartAfterMax);
            this.restartMin = restartAfterMin;
            this.restartMax = restartAfterMax;
            return this;
        }

        /** Random pauses of a node (it runs nothing, messages wait): per tick, for [min, max]. */
        public Builder pauses(double perTick, Duration min, Duration max) {
            this.pause = Probability.of("pauses", perTick);
            range("pause duration", min, max);
            this.pauseMin = min;
            this.pauseMax = max;
            return this;
        }

        /** Each node's clock is offset by up to ±{@code max} (drawn per node). */
        public Builder clockSkew(Duration max) {
            nanos("clock skew", max);
            if (max.isNegative()) {
                throw new IllegalArgumentException("clock skew = " + max + " is negative; give the largest offset"
                        + " as a positive duration (nodes get offsets from -max to +max)");
            }
            this.skewMax = max;
            return this;
        }

        /** Each node's clock runs fast or slow by up to ±{@code ppmMax} parts per million. */
        public Builder clockDrift(double ppmMax) {
            if (Double.isNaN(ppmMax) || ppmMax < 0 || ppmMax >= 100_000) {
                throw new IllegalArgumentException("clock drift = " + ppmMax + " ppm is not valid: use 0 to 99,999"
                        + " parts per million (1,000 ppm = 0.1% fast or slow)");
            }
            this.driftPpmMax = ppmMax;
            return this;
        }

        /**
         * What a crash does to writes not yet synced (each: lost, torn, or kept), and how often a
         * read fails or returns corrupted bytes.
         */
        public Builder storage(double lostUnsyncedWrite, double tornUnsyncedWrite, double readErrorP,
                double corruptionP) {
            this.lostUnsynced = Probability.of("storage lost unsynced write", lostUnsyncedWrite);
            this.tornUnsynced = Probability.of("storage torn unsynced write", tornUnsyncedWrite);
            if (lostUnsyncedWrite + tornUnsyncedWrite > 1.0) {
                throw new IllegalArgumentException("storage lost (" + lostUnsyncedWrite + ") + torn ("
                        + tornUnsyncedWrite + ") unsynced write probabilities add up to more than 1: a write is"
                        + " lost, torn or kept, so they must share one chance; make them add up to 1 or less");
            }
            this.readError = Probability.of("storage read error", readErrorP);
            this.corruption = Probability.of("storage corruption", corruptionP);
            return this;
        }

        public Builder buggify(boolean value) {
            this.buggify = value;
            return this;
        }

        /** How often random process faults, partitions and clogs are decided. */
        public Builder tick(Duration value) {
            nanos("fault tick", value);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException("fault tick = " + value + " must be positive");
            }
            this.tick = value;
            return this;
        }

        public FaultProfile build() {
            return new FaultProfile(this);
        }

        private static void range(String setting, Duration min, Duration max) {
            nanos(setting + " min", min);
            nanos(setting + " max", max);
            if (min.isNegative() || max.isNegative()) {
                throw new IllegalArgumentException(setting + " [" + min + ", " + max + "] is negative; durations are"
                        + " zero or more");
            }
            if (max.compareTo(min) < 0) {
                throw new IllegalArgumentException(setting + " min " + min + " is above max " + max
                        + "; swap them");
            }
        }

        /** A duration must be given, and fit virtual time (nanoseconds in a long), or it fails later, unnamed. */
        private static void nanos(String setting, Duration value) {
            if (value == null) {
                throw new IllegalArgumentException(setting + " is missing (null); give a duration, e.g."
                        + " Duration.ofMillis(10)");
            }
            try {
                value.toNanos();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(setting + " " + value + " is too long: virtual time counts"
                        + " nanoseconds in a long, up to about 292 years; give a shorter duration", e);
            }
        }
    }
}
