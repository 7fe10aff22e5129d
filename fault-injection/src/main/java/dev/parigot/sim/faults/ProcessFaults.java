package dev.parigot.sim.faults;

import java.time.Duration;

/**
 * Faults of processes: random crashes (restarted after a delay) and pauses decided at ticks,
 * and crashes, pauses and clogs at crash points. Immutable; built through
 * {@code FaultProfile.builder().process(p -> ...)}.
 */
public final class ProcessFaults {
    static final ProcessFaults NONE = new Builder().build();

    private final Probability crashes;
    private final DurationRange restartDelay;
    private final Probability pauses;
    private final DurationRange pauseDuration;
    private final CrashPoints crashPoints;

    private ProcessFaults(Builder b) {
        this.crashes = b.crashes;
        this.restartDelay = b.restartDelay;
        this.pauses = b.pauses;
        this.pauseDuration = b.pauseDuration;
        this.crashPoints = b.crashPoints;
    }

    Builder toBuilder() {
        Builder b = new Builder();
        b.crashes = crashes;
        b.restartDelay = restartDelay;
        b.pauses = pauses;
        b.pauseDuration = pauseDuration;
        b.crashPoints = crashPoints;
        return b;
    }

    /** Probability per tick of a random crash. */
    public Probability crashes() {
        return crashes;
    }

    /** How long a crashed node waits to restart, after crashes at ticks and at crash points. */
    public DurationRange restartDelay() {
        return restartDelay;
    }

    /** Probability per tick of a random pause. */
    public Probability pauses() {
        return pauses;
    }

    /** How long a pause lasts, at ticks and at crash points. */
    public DurationRange pauseDuration() {
        return pauseDuration;
    }

    /** Faults decided between steps: crashes at any step and at targeted points, pauses and clogs there. */
    public CrashPoints crashPoints() {
        return crashPoints;
    }

    /**
     * Sets process faults, inside {@code FaultProfile.builder().process(p -> ...)}; starts from
     * what the profile's builder holds. Every setting is validated where given, with an
     * {@link IllegalArgumentException} that names it.
     */
    public static final class Builder {
        private Probability crashes = Probability.NEVER;
        private DurationRange restartDelay = DurationRange.of("restart delay", Duration.ofMillis(1),
                Duration.ofMillis(100));
        private Probability pauses = Probability.NEVER;
        private DurationRange pauseDuration = DurationRange.of("pause duration", Duration.ofMillis(1),
                Duration.ofMillis(50));
        private CrashPoints crashPoints = CrashPoints.NONE;

        Builder() {
        }

        /**
         * Random crashes of a node: probability per tick (within the crash budget of
         * {@link CrashPoints#crashesMax}), restarted as a fresh instance after {@link #restartDelay}.
         */
        public Builder crashes(double perTick) {
            this.crashes = Probability.of("crashes", perTick);
            return this;
        }

        /** How long a crashed node waits to restart: [min, max], 1 ms to 100 ms unless set. */
        public Builder restartDelay(Duration min, Duration max) {
            this.restartDelay = DurationRange.of("restart delay", min, max);
            return this;
        }

        /** Random pauses of a node (it runs nothing, messages wait): probability per tick. */
        public Builder pauses(double perTick) {
            this.pauses = Probability.of("pauses", perTick);
            return this;
        }

        /** How long a pause lasts (at ticks and at crash points): [min, max], 1 ms to 50 ms unless set. */
        public Builder pauseDuration(Duration min, Duration max) {
            this.pauseDuration = DurationRange.of("pause duration", min, max);
            return this;
        }

        /**
         * Faults between steps: crashes at any step and right where durability bugs hide (after a
         * call was handled, after unsynced writes were issued, after a reply was sent), pauses and
         * clogs there, and the most random crashes per run. Pauses and clogs at points last the
         * pause and clog durations; restarts wait the restart delay.
         */
        public Builder crashPoints(CrashPoints value) {
            if (value == null) {
                throw new IllegalArgumentException("crash points must not be null; give CrashPoints.NONE for none");
            }
            this.crashPoints = value;
            return this;
        }

        /** The process faults, immutable. */
        public ProcessFaults build() {
            return new ProcessFaults(this);
        }
    }
}
