package dev.parigot.sim.faults;

/**
 * Faults of storage: what a crash does to each write not yet synced (lost, torn, or kept), and
 * how often a read fails or returns corrupted bytes. Immutable; built through
 * {@code FaultProfile.builder().storage(s -> ...)}. By default a crash loses each unsynced write
 * with probability 1/2 and keeps it otherwise.
 */
public final class StorageFaults {
    static final StorageFaults NONE = new Builder().build();

    private final Probability lostUnsynced;
    private final Probability tornUnsynced;
    private final Probability readError;
    private final Probability corruption;

    private StorageFaults(Builder b) {
        this.lostUnsynced = b.lostUnsynced;
        this.tornUnsynced = b.tornUnsynced;
        this.readError = b.readError;
        this.corruption = b.corruption;
    }

    Builder toBuilder() {
        Builder b = new Builder();
        b.lostUnsynced = lostUnsynced;
        b.lostUnsyncedValue = lostUnsynced.value();
        b.tornUnsynced = tornUnsynced;
        b.tornUnsyncedValue = tornUnsynced.value();
        b.readError = readError;
        b.corruption = corruption;
        return b;
    }

    /** Probability that a crash loses a write not yet synced (default 1/2). */
    public Probability lostUnsynced() {
        return lostUnsynced;
    }

    /** Probability that a crash tears a write not yet synced, keeping a prefix (default never). */
    public Probability tornUnsynced() {
        return tornUnsynced;
    }

    /** Probability that a read fails with 14 UNAVAILABLE (default never). */
    public Probability readError() {
        return readError;
    }

    /** Probability that a read returns one flipped byte (default never). */
    public Probability corruption() {
        return corruption;
    }

    /** Unsynced writes lost half the time at a crash, nothing else: the behaviour that is not a fault to list. */
    boolean isDefault() {
        return Math.abs(lostUnsynced.value() - 0.5) < 1e-9 && tornUnsynced.never() && readError.never()
                && corruption.never();
    }

    /**
     * Sets storage faults, inside {@code FaultProfile.builder().storage(s -> ...)}; starts from
     * what the profile's builder holds. Every probability is validated where given, with an
     * {@link IllegalArgumentException} that names it.
     */
    public static final class Builder {
        private Probability lostUnsynced = Probability.of("storage lost", 0.5);
        private double lostUnsyncedValue = 0.5;
        private Probability tornUnsynced = Probability.NEVER;
        private double tornUnsyncedValue;
        private Probability readError = Probability.NEVER;
        private Probability corruption = Probability.NEVER;

        Builder() {
        }

        /** Probability that a crash loses a write not yet synced. */
        public Builder lostUnsynced(double p) {
            this.lostUnsynced = Probability.of("storage lost unsynced write", p);
            this.lostUnsyncedValue = p;
            return this;
        }

        /** Probability that a crash tears a write not yet synced (a prefix of the value lands). */
        public Builder tornUnsynced(double p) {
            this.tornUnsynced = Probability.of("storage torn unsynced write", p);
            this.tornUnsyncedValue = p;
            return this;
        }

        /** Probability that a read fails (14 UNAVAILABLE). */
        public Builder readError(double p) {
            this.readError = Probability.of("storage read error", p);
            return this;
        }

        /** Probability that a read returns one flipped byte. */
        public Builder corruption(double p) {
            this.corruption = Probability.of("storage corruption", p);
            return this;
        }

        /** Refuses lost + torn above 1: a write is lost, torn or kept, so they share one chance. */
        public StorageFaults build() {
            if (lostUnsyncedValue + tornUnsyncedValue > 1.0) {
                throw new IllegalArgumentException("storage lost (" + lostUnsyncedValue + ") + torn ("
                        + tornUnsyncedValue + ") unsynced write probabilities add up to more than 1: a write is"
                        + " lost, torn or kept, so they must share one chance; make them add up to 1 or less");
            }
            return new StorageFaults(this);
        }
    }
}
