package dev.parigot.sim.scheduler;

/**
 * A choice stream that replays a recording. Past its end every choice is 0 (the default); a
 * recorded value that does not fit the bound asked now is reduced modulo the bound, so edited or
 * shrunk recordings still replay to some legal run. Created with {@code new} it records what it
 * hands out; {@link #unrecorded(ChoiceRecording)} keeps no record (a world's replay, from
 * {@link Strategies#replay}, which would otherwise grow past the recording's end).
 */
public final class ReplayedChoices implements ChoiceStream {
    private final ChoiceRecording source;
    private final Recorder recorder;
    private int next;

    /** A replay that records what it hands out. */
    public ReplayedChoices(ChoiceRecording source) {
        this(source, new Recorder());
    }

    private ReplayedChoices(ChoiceRecording source, Recorder recorder) {
        this.source = source;
        this.recorder = recorder;
    }

    /** A replay that records nothing; its {@link #recording()} refuses. */
    public static ReplayedChoices unrecorded(ChoiceRecording source) {
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
        int value = next < source.size() ? source.value(next) % n : 0;
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

    @Override
    public ChoiceRecording recording() {
        return Recorder.snapshot(recorder, "new ReplayedChoices(recording)");
    }

    @Override
    public int position() {
        return next;
    }
}
