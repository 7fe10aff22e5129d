package dev.parigot.sim.scheduler;

import dev.parigot.sim.scheduler.internal.Prng;

/**
 * A choice stream drawn from a seed ({@link ChoiceSource#seeded()}). Created with {@code new} it
 * records every choice, for a {@link #recording()} to replay or shrink; {@link #unrecorded(Seed)}
 * keeps no record, so a stream nobody will replay (a world's by default: the world replays from
 * its seed) draws for as long as the run goes without growing.
 */
final class SeededChoices implements ChoiceStream {
    private final Prng prng;
    private final Recorder recorder;
    private int position;

    /** A stream that records every choice. */
    SeededChoices(Seed seed) {
        this(seed, new Recorder());
    }

    private SeededChoices(Seed seed, Recorder recorder) {
        this.prng = new Prng(seed.value());
        this.recorder = recorder;
    }

    /** A stream that records nothing; its {@link #recording()} refuses. */
    static SeededChoices unrecorded(Seed seed) {
        return new SeededChoices(seed, null);
    }

    @Override
    public int choose(int n) {
        if (n <= 1) {
            if (n == 1) {
                return 0;
            }
            throw new IllegalArgumentException("a choice needs at least one option, got " + n);
        }
        int value = prng.nextInt(n);
        position++;
        if (recorder != null) {
            recorder.add(n, value);
        }
        return value;
    }

    @Override
    public ChoiceRecording recording() {
        return Recorder.snapshot(recorder, "ChoiceSource.seeded().recorded()");
    }

    @Override
    public int position() {
        return position;
    }

    /** How many choices are held for a recording: 0 when {@link #unrecorded(Seed)}. */
    int recordedCount() {
        return recorder == null ? 0 : recorder.size();
    }
}
