package dev.parigot.sim.faults;

import dev.parigot.sim.scheduler.ChoiceStream;

/**
 * A probability as parts per million, so that every decision is one bounded choice of the
 * world's stream, and "no" (the default, choice 0) shrinks toward the fault-free run.
 */
public final class Probability {
    static final int MILLION = 1_000_000;
    /** Probability 0: the decision draws nothing and the answer is always no. */
    public static final Probability NEVER = new Probability(0);

    private final int ppm;

    private Probability(int ppm) {
        this.ppm = ppm;
    }

    /** Validates {@code value} in 0..1; the error names {@code setting}. */
    public static Probability of(String setting, double value) {
        if (Double.isNaN(value) || value < 0 || value > 1) {
            throw new IllegalArgumentException(setting + " = " + value + " is not a probability: use a number"
                    + " from 0 (never) to 1 (always), e.g. 0.01 for one in a hundred");
        }
        return new Probability((int) Math.round(value * MILLION));
    }

    /** Whether this is 0. */
    public boolean never() {
        return ppm == 0;
    }

    /** The probability, 0 to 1 (kept in parts per million). */
    public double value() {
        return ppm / (double) MILLION;
    }

    /** Draws the decision (one choice, unless the probability is 0 or 1). */
    public boolean happens(ChoiceStream choices) {
        return choices.chance(ppm, MILLION);
    }

    /** This probability scaled by {@code factor} (swarm intensity), capped at 1. */
    Probability scaled(double factor) {
        return new Probability((int) Math.min(MILLION, Math.round(ppm * factor)));
    }

    @Override
    public String toString() {
        double v = value();
        return v == 0 ? "0" : String.format(java.util.Locale.ROOT, "%.4g", v);
    }
}
