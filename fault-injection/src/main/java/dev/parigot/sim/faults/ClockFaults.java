package dev.parigot.sim.faults;

import java.time.Duration;

/**
 * Faults of clocks: each node's clock offset by up to ±{@code skewMax} and running fast or slow
 * by up to ±{@code driftPpmMax}, drawn per node. Immutable; built through
 * {@code FaultProfile.builder().clock(c -> ...)}.
 */
public final class ClockFaults {
    static final ClockFaults NONE = new Builder().build();

    private final Duration skewMax;
    private final double driftPpmMax;

    private ClockFaults(Builder b) {
        this.skewMax = b.skewMax;
        this.driftPpmMax = b.driftPpmMax;
    }

    Builder toBuilder() {
        return new Builder().skewMax(skewMax).driftPpmMax(driftPpmMax);
    }

    /** The largest offset of a node's clock from the others, either way (default zero: no skew). */
    public Duration skewMax() {
        return skewMax;
    }

    /** The largest rate error of a node's clock, fast or slow, in parts per million (default 0). */
    public double driftPpmMax() {
        return driftPpmMax;
    }

    boolean any() {
        return !skewMax.isZero() || driftPpmMax != 0;
    }

    /**
     * Sets clock faults, inside {@code FaultProfile.builder().clock(c -> ...)}; starts from what
     * the profile's builder holds.
     */
    public static final class Builder {
        private Duration skewMax = Duration.ZERO;
        private double driftPpmMax;

        Builder() {
        }

        /** Each node's clock is offset by up to ±{@code max} (drawn per node). */
        public Builder skewMax(Duration max) {
            DurationRange.requireNanos("clock skew", max);
            if (max.isNegative()) {
                throw new IllegalArgumentException("clock skew = " + max + " is negative; give the largest offset"
                        + " as a positive duration (nodes get offsets from -max to +max)");
            }
            this.skewMax = max;
            return this;
        }

        /** Each node's clock runs fast or slow by up to ±{@code ppmMax} parts per million. */
        public Builder driftPpmMax(double ppmMax) {
            if (Double.isNaN(ppmMax) || ppmMax < 0 || ppmMax >= 100_000) {
                throw new IllegalArgumentException("clock drift = " + ppmMax + " ppm is not valid: use 0 to 99,999"
                        + " parts per million (1,000 ppm = 0.1% fast or slow)");
            }
            this.driftPpmMax = ppmMax;
            return this;
        }

        /** The clock faults, immutable. */
        public ClockFaults build() {
            return new ClockFaults(this);
        }
    }
}
