package dev.parigot.sim.scheduler;

import java.util.Arrays;

/** Growable parallel int arrays that record (bound, value) pairs; shared by both streams. */
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
}
