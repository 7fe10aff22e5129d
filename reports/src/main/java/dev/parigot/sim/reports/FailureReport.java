package dev.parigot.sim.reports;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * One failing seed: what failed, where, how to replay it, what it ran under and where its full
 * trace is.
 *
 * @param seed the seed, as printed
 * @param kind the kind of failure ({@code ASSERTION}, {@code INVARIANT}, {@code TRAP}, {@code HANG}, ...:
 *     {@code dev.parigot.sim.kernel.FailureKind})
 * @param reason the failure's sentence
 * @param node the node it is blamed on; null when none is
 * @param steps the steps the world had taken when it failed
 * @param virtualTimeNanos the virtual time when it failed
 * @param traceHash the trace hash, 16 hex digits: a replay that fails with the same hash ran the same world
 * @param determinism what re-running the seed showed ({@code re-run: the same failure and trace hash}, ...)
 * @param replay the Maven command that replays the seed, from the repository root
 * @param replayInModule the same command to paste in the test's module directory; absent for a one-module build
 * @param annotation the {@code @ParigotSimTest(...)} that runs the seed alone
 * @param underRecordedSettings whether the seed ran under the settings it was remembered with, not the run's
 * @param settings every setting in force for the seed, by {@code parigot.*} key
 * @param parameters the test's own parameters the world read, with the values it got
 * @param modules each WASM node's module digest (SHA-256, 16 hex digits)
 * @param modulesChanged the line a replay against other module bytes printed; absent when it did not
 * @param traceFile the file holding the seed's full trace and log; null when it was not written
 * @param timelineFile the seed's HTML timeline (beside its trace file); absent when it was not written
 * @param shrunk what shrinking the seed's run gave; absent when it was not shrunk (only the first
 *     failing seed a method reports is, and only while {@code parigot.shrink} is not {@code off})
 */
public record FailureReport(
        String seed,
        String kind,
        String reason,
        String node,
        long steps,
        long virtualTimeNanos,
        String traceHash,
        String determinism,
        String replay,
        @JsonInclude(JsonInclude.Include.NON_NULL) String replayInModule,
        String annotation,
        boolean underRecordedSettings,
        Map<String, String> settings,
        Map<String, String> parameters,
        Map<String, String> modules,
        @JsonInclude(JsonInclude.Include.NON_NULL) String modulesChanged,
        String traceFile,
        @JsonInclude(JsonInclude.Include.NON_NULL) String timelineFile,
        @JsonInclude(JsonInclude.Include.NON_NULL) ShrinkReport shrunk) {

    /** Copies the settings, parameters and modules, in order. */
    private static final java.util.regex.Pattern NUMBERS = java.util.regex.Pattern.compile("0x[0-9a-fA-F]+|\\d+");

    /**
     * What tells two failures apart as one cause or two: the kind and the reason up to its first
     * colon (the invariant or assertion's name, the node that trapped, the limit reached), every
     * number masked, so that the same bug failing at another step, time or value is one cause.
     * Shrinking keeps a smaller run only if it fails this same way; the merge counts by it.
     *
     * @param kind the failure's kind
     * @param reason the failure's sentence
     * @return the cause, as text
     */
    public static String causeOf(String kind, String reason) {
        int colon = reason.indexOf(':');
        return kind + " " + NUMBERS.matcher(colon < 0 ? reason : reason.substring(0, colon)).replaceAll("#");
    }

    public FailureReport {
        settings = MethodReport.orderedCopy(settings);
        parameters = MethodReport.orderedCopy(parameters);
        modules = MethodReport.orderedCopy(modules);
    }
}
