package dev.parigot.sim.scheduler;

import java.util.Arrays;

/**
 * Growable parallel int arrays that record (bound, value) pairs; shared by both streams, and
 * present only in a stream asked to record.
 */
final class Recorder {
    private int[] bounds = new int[256];
    private int[] values = new int[256];
    private int size;

    void add(int bound, int value) {
        if (size == values.length) {
            bounds = Arrays.copyOf(bounds, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        bounds[size] = bound;
        values[size] = value;
        size++;
    }

    int size() {
        return size;
    }

    ChoiceRecording snapshot() {
        return new ChoiceRecording(Arrays.copyOf(bounds, size), Arrays.copyOf(values, size));
    }

    /** The recording of a stream, or a sentence naming how to create one that records. */
    static ChoiceRecording snapshot(Recorder recorder, String recordedFactory) {
        if (recorder == null) {
            throw new IllegalStateException("this choice stream was not asked to record its choices;"
                    + " create it with " + recordedFactory + " to get a recording to replay");
        }
        return recorder.snapshot();
    }
}
