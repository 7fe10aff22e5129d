package dev.parigot.sim.kernel;

import dev.parigot.sim.faults.TimeText;
import dev.parigot.sim.scheduler.Seed;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Why and where a world failed: the seed, the reason as a sentence, the step and virtual time at
 * failure, the node involved (if any), the last steps of the trace and the world's log tail, the
 * fault context, the test's own parameters the world read ({@link Sim#parameter}) and the SHA-256
 * digest of the module each WASM node ran (node name to digest, in the order nodes were added).
 */
public record SimFailure(
        Seed seed,
        String strategy,
        FailureKind kind,
        String reason,
        String node,
        long step,
        long timeNanos,
        long traceHash,
        List<TraceStep> lastSteps,
        List<LogLine> logTail,
        List<String> faultContext,
        Map<String, String> parameters,
        Map<String, String> modules) {

    /** Copies the lists and maps, so a failure is immutable. */
    public SimFailure {
        lastSteps = List.copyOf(lastSteps);
        logTail = List.copyOf(logTail);
        faultContext = List.copyOf(faultContext);
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        modules = Collections.unmodifiableMap(new LinkedHashMap<>(modules));
    }

    /** A failure without fault-injection context, parameters or modules (the kernel makes these). */
    SimFailure(Seed seed, String strategy, FailureKind kind, String reason, String node, long step,
            long timeNanos, long traceHash, List<TraceStep> lastSteps, List<LogLine> logTail) {
        this(seed, strategy, kind, reason, node, step, timeNanos, traceHash, lastSteps, logTail, List.of(), Map.of(),
                Map.of());
    }

    /** The multi-line text a user reads: seed, reason, trace tail and log tail. */
    public String describe() {
        return describe(List.of());
    }

    /** As {@link #describe()}, with {@code extraLines} (replay commands, say) right after the reason. */
    public String describe(List<String> extraLines) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "seed %s failed after %,d steps, %s virtual time (strategy %s)%n",
                seed, step, TimeText.of(timeNanos), strategy));
        String kindText = kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        // A reason that starts with its kind ("invariant \"x\" violated") is not headed by it twice.
        out.append("  ").append(reason.startsWith(kindText + " ") ? "" : kindText + ": ")
                .append(reason.replace("\n", "\n    ")).append(System.lineSeparator());
        for (String line : extraLines) {
            out.append("  ").append(line).append(System.lineSeparator());
        }
        if (!parameters.isEmpty()) {
            StringBuilder p = new StringBuilder("parameters:");
            parameters.forEach((k, v) -> p.append(' ').append(k).append('=').append(v));
            out.append("  ").append(p).append(System.lineSeparator());
        }
        for (String line : faultContext) {
            out.append("  ").append(line).append(System.lineSeparator());
        }
        if (!lastSteps.isEmpty()) {
            out.append("  last ").append(lastSteps.size()).append(" steps:").append(System.lineSeparator());
            for (TraceStep s : lastSteps) {
                out.append("    ").append(s).append(System.lineSeparator());
            }
        }
        if (!logTail.isEmpty()) {
            out.append("  log (last ").append(logTail.size()).append(" lines):").append(System.lineSeparator());
            for (LogLine line : logTail) {
                out.append("    ").append(line).append(System.lineSeparator());
            }
        }
        if (!modules.isEmpty()) {
            StringBuilder m = new StringBuilder("modules (sha-256):");
            modules.forEach((n, d) -> m.append(' ').append(n).append('=').append(d, 0, Math.min(16, d.length())));
            out.append("  ").append(m).append(System.lineSeparator());
        }
        out.append(String.format(Locale.ROOT, "  trace hash %016x%n", traceHash));
        return out.toString();
    }
}
