package dev.parigot.sim.scheduler;

import java.util.Optional;

/**
 * A choice stream that replays a recording ({@link ChoiceSource#replay}). A run that draws what
 * the recorded run drew gets the recorded values. A run that leaves the recording still goes on
 * to some legal run, so that an edited or shrunk recording replays: past its end every choice is
 * 0 (the default), and a recorded value drawn now among another number of options is reduced
 * modulo that number. The first place it left the recording is kept as a sentence,
 * {@link #divergence()}. Created with {@code new} it records what it hands out;
 * {@link #unrecorded(ChoiceRecording)} keeps no record.
 */
final class ReplayedChoices implements ChoiceStream {
    private final ChoiceRecording source;
    private final Recorder recorder;
    private int next;
    private String divergence;

    /** A replay that records what it hands out. */
    ReplayedChoices(ChoiceRecording source) {
        this(source, new Recorder());
    }

    private ReplayedChoices(ChoiceRecording source, Recorder recorder) {
        this.source = source;
        this.recorder = recorder;
    }

    /** A replay that records nothing; its {@link #recording()} refuses. */
    static ReplayedChoices unrecorded(ChoiceRecording source) {
        return new ReplayedChoices(source, null);
    }

    @Override
    public int choose(int n) {
        if (n <= 1) {
            if (n == 1) {
                return 0;
            }
            throw new IllegalArgumentException("a choice needs at least one option, got " + n);
        }
        int value;
        if (next < source.size()) {
            value = source.value(next) % n;
            if (divergence == null && source.bound(next) != n) {
                divergence = "choice " + next + " was recorded among " + source.bound(next)
                        + " options but is drawn among " + n + " now (replayed as " + value
                        + "): the run left its recording there";
            }
        } else {
            value = 0;
            if (divergence == null) {
                divergence = "the run drew more than the " + source.size() + " choices recorded (the extra"
                        + " ones are 0): the recording ran out at choice " + next;
            }
        }
        next++;
        if (recorder != null) {
            recorder.add(n, value);
        }
        return value;
    }

    /** True once every recorded choice has been handed out. */
    public boolean exhausted() {
        return next >= source.size();
    }

    /**
     * Where this run first left its recording, as a sentence naming the choice: drawn among
     * another number of options than recorded, or past the recording's end. Empty while every
     * choice has matched the recording. A world with the same module bytes, test code and
     * configuration as the recorded one never leaves it.
     */
    @Override
    public Optional<String> divergence() {
        return Optional.ofNullable(divergence);
    }

    @Override
    public ChoiceRecording recording() {
        return Recorder.snapshot(recorder, "ChoiceSource.replay(recording).recorded()");
    }

    @Override
    public int position() {
        return next;
    }
}
