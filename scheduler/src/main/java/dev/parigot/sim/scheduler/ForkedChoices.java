package dev.parigot.sim.scheduler;

import java.util.Optional;

/**
 * The choice stream of a fork ({@link ChoiceSource#fork}): the recorded choices of a prefix,
 * then choices drawn from a continuation seed. A world that replays its prefix exactly reaches
 * the state the prefix left, and from there goes its own way. Where the prefix's replay first
 * left the recording is kept as a sentence ({@link #divergence()}), as a plain replay does.
 */
final class ForkedChoices implements ChoiceStream {
    private final ReplayedChoices prefix;
    private final int prefixLength;
    private final SeededChoices continuation;
    private final Recorder recorder;
    private int position;

    ForkedChoices(ChoiceRecording prefix, Seed continuation, boolean records) {
        this.prefix = ReplayedChoices.unrecorded(prefix);
        this.prefixLength = prefix.size();
        this.continuation = SeededChoices.unrecorded(continuation);
        this.recorder = records ? new Recorder() : null;
    }

    @Override
    public int choose(int n) {
        int value = position < prefixLength ? prefix.choose(n) : continuation.choose(n);
        if (n > 1) {
            position++;
            if (recorder != null) {
                recorder.add(n, value);
            }
        }
        return value;
    }

    /** Where the prefix's replay first left its recording, or empty. */
    @Override
    public Optional<String> divergence() {
        return prefix.divergence();
    }

    @Override
    public ChoiceRecording recording() {
        return Recorder.snapshot(recorder, "ChoiceSource.fork(prefix, continuation).recorded()");
    }

    @Override
    public int position() {
        return position;
    }
}
