package dev.parigot.sim.faults;

import dev.parigot.sim.scheduler.ChoiceStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Faults decided between steps rather than at ticks of virtual time: the windows where
 * durability bugs hide (between a write and its sync, between handling a request and replying)
 * last microseconds, far shorter than a tick, so a crash must be able to fall right there.
 *
 * <p>After every step in which a WASM node ran a handler, the kernel asks {@link #decide} what
 * happens to that node now. Each applicable point draws from the choice stream (choice 0 = no
 * fault): a crash right after the node handled an incoming call ({@code afterCall}), right after
 * a handler issued storage writes it has not synced yet ({@code afterUnsyncedWrite}), right after
 * it sent a reply ({@code afterReply}), or, after any step at all, a running node drawn at random
 * ({@code anyStep}); failing a
 * crash, a pause or a clog at a targeted point. Random crashes, at ticks and here together, stop
 * at {@code crashesMax} per run, so a run still makes progress.
 */
public final class CrashPoints {
    /** No faults between steps. */
    public static final CrashPoints NONE = builder().build();

    final Probability anyStep;
    final Probability afterCall;
    final Probability afterUnsyncedWrite;
    final Probability afterReply;
    final Probability pauseAtPoint;
    final Probability clogAtPoint;
    final int crashesMax;

    private CrashPoints(Builder b) {
        this.anyStep = b.anyStep;
        this.afterCall = b.afterCall;
        this.afterUnsyncedWrite = b.afterUnsyncedWrite;
        this.afterReply = b.afterReply;
        this.pauseAtPoint = b.pauseAtPoint;
        this.clogAtPoint = b.clogAtPoint;
        this.crashesMax = b.crashesMax;
    }

    /**
     * A builder with every point off (probability 0) and no limit on random crashes: unchanged, it
     * builds the same points as {@link #NONE}.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The points the default profile uses: rare per step, more likely where durability bugs hide. */
    public static CrashPoints defaults() {
        return builder().anyStep(0.0005).afterCall(0.01).afterUnsyncedWrite(0.03).afterReply(0.01)
                .pauseAtPoint(0.005).clogAtPoint(0.005).crashesMax(3).build();
    }

    /** A builder holding every setting of these points, to derive a variant. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.anyStep = anyStep;
        b.afterCall = afterCall;
        b.afterUnsyncedWrite = afterUnsyncedWrite;
        b.afterReply = afterReply;
        b.pauseAtPoint = pauseAtPoint;
        b.clogAtPoint = clogAtPoint;
        b.crashesMax = crashesMax;
        return b;
    }

    /** Whether any fault may be drawn between steps. */
    public boolean any() {
        return !anyStep.never() || !afterCall.never() || !afterUnsyncedWrite.never() || !afterReply.never()
                || !pauseAtPoint.never() || !clogAtPoint.never();
    }

    /** The most random crashes in one run (ticks and points together). */
    public int crashesMax() {
        return crashesMax;
    }

    /** What one step of a node did, as far as the points are concerned. */
    public record StepFacts(boolean handledCall, boolean issuedUnsyncedWrite, boolean sentReply) {
        boolean targeted() {
            return handledCall || issuedUnsyncedWrite || sentReply;
        }
    }

    /**
     * What happens now: NOTHING; CRASH the node that just ran; CRASH_ANY, crash a running node
     * drawn at random; PAUSE or CLOG the node that just ran (for the profile's pause or clog
     * durations).
     */
    public enum Decision { NOTHING, CRASH, CRASH_ANY, PAUSE, CLOG }

    /**
     * Decides, from the choice stream, what happens right after a step of a node. {@code
     * crashAllowed} is false once the run's crash budget is spent: then only pauses and clogs
     * are drawn.
     */
    public Decision decide(StepFacts facts, boolean crashAllowed, ChoiceStream choices) {
        if (crashAllowed) {
            if (facts.handledCall() && afterCall.happens(choices)) {
                return Decision.CRASH;
            }
            if (facts.issuedUnsyncedWrite() && afterUnsyncedWrite.happens(choices)) {
                return Decision.CRASH;
            }
            if (facts.sentReply() && afterReply.happens(choices)) {
                return Decision.CRASH;
            }
            if (anyStep.happens(choices)) {
                return Decision.CRASH_ANY;
            }
        }
        if (facts.targeted()) {
            if (pauseAtPoint.happens(choices)) {
                return Decision.PAUSE;
            }
            if (clogAtPoint.happens(choices)) {
                return Decision.CLOG;
            }
        }
        return Decision.NOTHING;
    }

    /** This setting with every probability scaled by {@code factor} (swarm intensity). */
    CrashPoints scaled(double factor) {
        return toBuilder().anyStep(anyStep.scaled(factor).value()).afterCall(afterCall.scaled(factor).value())
                .afterUnsyncedWrite(afterUnsyncedWrite.scaled(factor).value())
                .afterReply(afterReply.scaled(factor).value()).pauseAtPoint(pauseAtPoint.scaled(factor).value())
                .clogAtPoint(clogAtPoint.scaled(factor).value()).build();
    }

    String describe() {
        List<String> parts = new ArrayList<>();
        add(parts, "any step", anyStep);
        add(parts, "after a call", afterCall);
        add(parts, "after an unsynced write", afterUnsyncedWrite);
        add(parts, "after a reply", afterReply);
        String crashes = parts.isEmpty() ? "" : "crash points " + String.join(", ", parts)
                + (crashesMax == Integer.MAX_VALUE ? "" : " (at most " + crashesMax + " crashes)");
        List<String> other = new ArrayList<>();
        add(other, "pause", pauseAtPoint);
        add(other, "clog", clogAtPoint);
        String rest = other.isEmpty() ? "" : "at those points " + String.join(", ", other);
        return crashes.isEmpty() ? rest : rest.isEmpty() ? crashes : crashes + "; " + rest;
    }

    private static void add(List<String> parts, String what, Probability p) {
        if (!p.never()) {
            parts.add(what + " " + p);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CrashPoints other && describe().equals(other.describe());
    }

    @Override
    public int hashCode() {
        return describe().hashCode();
    }

    /**
     * Sets crash points; every probability is 0 to 1 and starts at 0, validated where given with an
     * {@link IllegalArgumentException} that names the setting.
     */
    public static final class Builder {
        private Probability anyStep = Probability.NEVER;
        private Probability afterCall = Probability.NEVER;
        private Probability afterUnsyncedWrite = Probability.NEVER;
        private Probability afterReply = Probability.NEVER;
        private Probability pauseAtPoint = Probability.NEVER;
        private Probability clogAtPoint = Probability.NEVER;
        private int crashesMax = Integer.MAX_VALUE;

        private Builder() {
        }

        /** Probability, after any step, that a random running WASM node crashes. */
        public Builder anyStep(double p) {
            this.anyStep = Probability.of("crash points anyStep", p);
            return this;
        }

        /** Probability that a node crashes right after it handled an incoming call. */
        public Builder afterCall(double p) {
            this.afterCall = Probability.of("crash points afterCall", p);
            return this;
        }

        /** Probability that a node crashes right after a handler that issued storage writes not yet synced. */
        public Builder afterUnsyncedWrite(double p) {
            this.afterUnsyncedWrite = Probability.of("crash points afterUnsyncedWrite", p);
            return this;
        }

        /** Probability that a node crashes right after a handler that sent a reply. */
        public Builder afterReply(double p) {
            this.afterReply = Probability.of("crash points afterReply", p);
            return this;
        }

        /** Probability, at a targeted point where no crash fell, that the node pauses (for the profile's pause durations). */
        public Builder pauseAtPoint(double p) {
            this.pauseAtPoint = Probability.of("crash points pauseAtPoint", p);
            return this;
        }

        /** Probability, at a targeted point, that the node is clogged (for the profile's clog durations). */
        public Builder clogAtPoint(double p) {
            this.clogAtPoint = Probability.of("crash points clogAtPoint", p);
            return this;
        }

        /**
         * The most random crashes in one run (at ticks and points together); 0 turns random
         * crashes off. Unlimited unless set ({@link CrashPoints#defaults()} sets 3).
         */
        public Builder crashesMax(int value) {
            if (value < 0) {
                throw new IllegalArgumentException("crash points crashesMax = " + value + " is negative; give the"
                        + " most random crashes one run may have (0 for none)");
            }
            this.crashesMax = value;
            return this;
        }

        /** The crash points, immutable. */
        public CrashPoints build() {
            return new CrashPoints(this);
        }
    }
}
