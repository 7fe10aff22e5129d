package dev.parigot.sim.scheduler;

import java.util.Locale;
import java.util.Objects;

/**
 * Where a world's choices come from, chosen by the world's configuration and never by its
 * strategy (strategies only pick from the stream they are handed). Either the world's seed
 * ({@link #seeded()}, the default) or a recording of an earlier run ({@link #replay}); either
 * way the stream records what it hands out only when asked to ({@link #recorded()}), since a run
 * that nobody reads the recording of replays from its seed, and a long run must not grow.
 *
 * <p>Immutable; {@link #open(Seed)} makes a fresh stream for one world.
 */
public final class ChoiceSource {
    private static final ChoiceSource SEEDED = new ChoiceSource(null, false);

    private final ChoiceRecording replayed; // null: drawn from the seed
    private final boolean records;
    /** For a fork: the seed its choices are drawn from once the replayed prefix is used up; else null. */
    private final Seed continuation;

    private ChoiceSource(ChoiceRecording replayed, boolean records) {
        this(replayed, records, null);
    }

    private ChoiceSource(ChoiceRecording replayed, boolean records, Seed continuation) {
        this.replayed = replayed;
        this.records = records;
        this.continuation = continuation;
    }

    /** Choices drawn from the world's seed, unrecorded: the default. */
    public static ChoiceSource seeded() {
        return SEEDED;
    }

    /**
     * Choices replayed from {@code recording}, whatever the world's seed: the same module bytes,
     * test code and configuration give the recorded run again. A run that leaves the recording
     * still goes on to some legal run (past its end every choice is 0; a recorded value drawn
     * among another number of options is reduced modulo that number), and
     * {@link ChoiceStream#divergence()} names the first choice where it left.
     */
    public static ChoiceSource replay(ChoiceRecording recording) {
        return new ChoiceSource(Objects.requireNonNull(recording, "recording"), false);
    }

    /**
     * The choices of a fork: {@code prefix} replayed, then choices drawn from {@code continuation}
     * (where the prefix's replay first left the recording is {@link ChoiceStream#divergence()}).
     * A world run under it goes exactly as the recorded one for as long as the prefix lasts,
     * then on its own way.
     */
    public static ChoiceSource fork(ChoiceRecording prefix, Seed continuation) {
        return new ChoiceSource(Objects.requireNonNull(prefix, "prefix"), false,
                Objects.requireNonNull(continuation, "continuation"));
    }

    /** This source, recording every choice it hands out for {@link ChoiceStream#recording()}. */
    public ChoiceSource recorded() {
        return recorded(true);
    }

    /** This source, recording every choice it hands out or not. */
    public ChoiceSource recorded(boolean value) {
        return value == records ? this : new ChoiceSource(replayed, value, continuation);
    }

    /** Whether the streams it opens keep every choice for {@link ChoiceStream#recording()}. */
    public boolean records() {
        return records;
    }

    /** Whether it replays a recording rather than draw from the seed. */
    public boolean replays() {
        return replayed != null;
    }

    /** A fresh stream for one world whose seed is {@code seed} (ignored by a replay). */
    public ChoiceStream open(Seed seed) {
        if (continuation != null) {
            return new ForkedChoices(replayed, continuation, records);
        }
        if (replayed != null) {
            return records ? new ReplayedChoices(replayed) : ReplayedChoices.unrecorded(replayed);
        }
        return records ? new SeededChoices(seed) : SeededChoices.unrecorded(seed);
    }

    /** "seeded", "seeded, recorded", "replay of 1,234 choices", "replay of 1,234 choices, recorded". */
    public String describe() {
        String from = replayed == null ? "seeded" : continuation != null
                ? String.format(Locale.ROOT, "fork: %,d choices replayed, then seed %s", replayed.size(), continuation)
                : String.format(Locale.ROOT, "replay of %,d choices", replayed.size());
        return records ? from + ", recorded" : from;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChoiceSource s && records == s.records && Objects.equals(replayed, s.replayed)
                && Objects.equals(continuation, s.continuation);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Objects.hashCode(replayed) + Boolean.hashCode(records)) + Objects.hashCode(continuation);
    }

    @Override
    public String toString() {
        return "ChoiceSource[" + describe() + "]";
    }
}
