package dev.parigot.sim.scheduler;

/**
 * A choice stream that replays a recording. Past its end every choice is 0 (the default); a
 * recorded value that does not fit the bound asked now is reduced modulo the bound, so edited or
 * shrunk recordings still replay to some legal run. It records what it hands out.
 */
public final class ReplayedChoices implements ChoiceStream {
    private final ChoiceRecording source;
    private final Recorder recorder = new Recorder();
    private int next;

    public ReplayedChoices(ChoiceRecording source) {
        this.source = source;
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
        recorder.add(n, value);
        return value;
    }

    /** True once every recorded choice has been handed out. */
    public boolean exhausted() {
        return next >= source.size();
    }

    @Override
    public ChoiceRecording recording() {
        return recorder.snapshot();
    }

    @Override
    public int position() {
        return recorder.size();
    }
}
