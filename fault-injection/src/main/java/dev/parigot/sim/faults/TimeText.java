package dev.parigot.sim.faults;

import java.util.Locale;

/** Virtual time as people read it: 0 ns, 12.5 µs, 312.4 ms, 3.000 s. */
public final class TimeText {
    private TimeText() {
    }

    /**
     * {@code nanos} in nanoseconds below 1 µs, else in µs, ms or s: "850 ns", "12.5 µs", "312.4
     * ms", "3.000 s".
     */
    public static String of(long nanos) {
        if (nanos < 1_000L) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000L) {
            return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
        }
        if (nanos < 1_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.3f s", nanos / 1e9);
    }

    /** Fixed-width form for log lines: seconds with microsecond digits. */
    public static String stamp(long nanos) {
        return String.format(Locale.ROOT, "%d.%06ds", nanos / 1_000_000_000L, (nanos / 1_000L) % 1_000_000L);
    }
}
