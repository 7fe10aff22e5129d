package dev.parigot.sim.scheduler;

/** A choice stream drawn from a seed, recording every choice as it goes. */
public final class SeededChoices implements ChoiceStream {
    private final Prng prng;
    private final Recorder recorder = new Recorder();

    public SeededChoices(Seed seed) {
        this.prng = new Prng(seed.value());
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
        recorder.add(n, value);
        return value;
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
