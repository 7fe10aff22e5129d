package dev.parigot.sim.junit.internal;

import dev.parigot.sim.kernel.LogLine;
import dev.parigot.sim.kernel.Trace;
import dev.parigot.sim.scheduler.Seed;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The full trace and log of a failing seed, in a file next to the failure memory:
 * {@code <reports>/runs/<class>#<method>/<seed>.txt}. The failure's report comes first, then
 * every step, each followed by the log lines written while it ran.
 */
final class TraceFile {
    static final String DIRECTORY = "runs";

    private TraceFile() {
    }

    /**
     * A log line and the step it followed.
     *
     * @param afterStep the steps the world had run when the line was written, or -1 if unknown
     */
    record LogEntry(long afterStep, LogLine line) {
    }

    /** Where the seed's file goes; {@code variant} tells apart runs of one seed under other settings. */
    static Path path(Path reports, Class<?> testClass, String method, Seed seed, String variant) {
        String name = seed + (variant.isEmpty() ? "" : String.format(Locale.ROOT, "-%08x", variant.hashCode()));
        return reports.resolve(DIRECTORY).resolve(testClass.getName() + "#" + method).resolve(name + ".txt");
    }

    static void write(Path path, String header, Trace trace, List<LogEntry> log) {
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            try (BufferedWriter out = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
                out.write(header);
                out.newLine();
                body(out, trace, log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the trace of a failing seed to " + path, e);
        }
    }

    private static void body(BufferedWriter out, Trace trace, List<LogEntry> log) throws IOException {
        long steps = trace.steps();
        long first = steps + 1;
        while (first > 1 && trace.retains(first - 1)) {
            first--;
        }
        boolean placed = log.isEmpty() || log.get(0).afterStep() >= 0;
        String kept = first == 1 ? "every step" : "the last " + (steps - first + 1) + " of " + steps + " steps";
        out.write(placed ? "trace and log: " + kept + ", each followed by the log lines written as it ran"
                : "trace: " + kept);
        out.newLine();
        int next = 0;
        for (long s = first; s <= steps; s++) {
            out.write("  " + trace.step(s));
            out.newLine();
            while (placed && next < log.size() && log.get(next).afterStep() <= s) {
                out.write("      " + log.get(next++).line());
                out.newLine();
            }
        }
        if (next < log.size()) {
            out.write(placed ? "log after the last step:" : "log: the last " + log.size() + " lines");
            out.newLine();
            while (next < log.size()) {
                out.write("  " + log.get(next++).line());
                out.newLine();
            }
        }
    }
}
