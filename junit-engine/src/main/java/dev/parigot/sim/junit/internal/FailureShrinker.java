package dev.parigot.sim.junit.internal;

import dev.parigot.sim.kernel.SimFailure;
import dev.parigot.sim.scheduler.ChoiceRecording;
import dev.parigot.sim.scheduler.Seed;
import dev.parigot.sim.scheduler.ShrinkResult;
import dev.parigot.sim.scheduler.Shrinker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Shrinks a failing seed's run: the seed runs once more recording every choice its world draws;
 * the scheduler's {@link Shrinker} then replays smaller and simpler recordings of it (fewer
 * choices, more zeros: earlier ends, fewer faults, the default order), keeping one only if its
 * run fails the same way ({@link #failureClass}); the smallest runs once more keeping every step,
 * log line and payload for the report, and its recording is written to a file that
 * {@code -Dparigot.replay=<file>} replays.
 */
final class FailureShrinker {
    private static final Pattern NUMBERS = Pattern.compile("0x[0-9a-fA-F]+|\\d+");

    private FailureShrinker() {
    }

    /** What shrinking one failing seed gave. */
    record Shrunk(Seed seed, SimFailure original, long stepsBefore, int faultsBefore, ShrinkResult result,
            SeedExecutor.Ran shrunk, Path choicesFile) {

        long stepsAfter() {
            return shrunk.outcome().steps();
        }

        int faultsAfter() {
            return shrunk.faults();
        }

        /** Whether the shrunk run has fewer steps or fewer faults than the failure as the seed made it. */
        boolean smaller() {
            return result.reproduced() && (stepsAfter() < stepsBefore || faultsAfter() < faultsBefore);
        }

        /** "shrunk from 1,450 steps and 7 faults to 38 steps and 1 fault (214 replays, 2.1 s)". */
        String headline() {
            if (!result.reproduced()) {
                return "not shrunk: " + result;
            }
            if (!smaller()) {
                return String.format(Locale.ROOT, "not shortened: no run with fewer than its %,d step%s and %,d"
                        + " fault%s fails the same way; its choices simplified from %,d to %,d"
                        + " (%,d replay%s, %.1f s%s)",
                        stepsBefore, stepsBefore == 1 ? "" : "s", faultsBefore, faultsBefore == 1 ? "" : "s",
                        result.original().size(), result.shrunk().size(), result.attempts(),
                        result.attempts() == 1 ? "" : "s", result.nanos() / 1e9,
                        result.budgetReached() ? ", budget reached" : "");
            }
            return String.format(Locale.ROOT, "shrunk from %,d step%s and %,d fault%s to %,d step%s and %,d fault%s"
                    + " (%,d replay%s, %.1f s%s)", stepsBefore, stepsBefore == 1 ? "" : "s", faultsBefore,
                    faultsBefore == 1 ? "" : "s", stepsAfter(), stepsAfter() == 1 ? "" : "s", faultsAfter(),
                    faultsAfter() == 1 ? "" : "s", result.attempts(), result.attempts() == 1 ? "" : "s",
                    result.nanos() / 1e9, result.budgetReached() ? ", budget reached" : "");
        }
    }

    /**
     * Shrinks {@code seed}'s failure under {@code executor}'s settings within {@code shrinker}'s
     * budget and writes the shrunk recording into {@code dir}; empty if the seed does not fail
     * again when it records its choices (a nondeterministic seed: its report says so already).
     */
    static Optional<Shrunk> shrink(SeedExecutor executor, Seed seed, Shrinker shrinker, Path dir) {
        SeedExecutor.Ran first = executor.runChoices(seed, null, false);
        SimFailure original = first.outcome().failure();
        if (original == null) {
            return Optional.empty();
        }
        String wanted = failureClass(original);
        long stepsMax = first.outcome().steps();
        int faultsMax = first.faults();
        // A smaller recording can still mean a longer run (a drop traded for a duplicate and a
        // retry): a candidate must also take no more steps and faults than the failure did.
        ShrinkResult result = shrinker.shrink(first.choices(), candidate -> {
            SeedExecutor.Ran ran = executor.runChoices(seed, candidate, false);
            SimFailure f = ran.outcome().failure();
            boolean same = f != null && failureClass(f).equals(wanted) && ran.outcome().steps() <= stepsMax
                    && ran.faults() <= faultsMax;
            return same ? Optional.of(ran.choices()) : Optional.empty();
        });
        SeedExecutor.Ran shrunk = executor.runChoices(seed, result.shrunk(), true);
        Path file = null;
        if (result.reproduced() && shrunk.outcome().failure() != null) {
            file = write(dir, seed, result.shrunk());
        }
        return Optional.of(new Shrunk(seed, original, first.outcome().steps(), first.faults(), result, shrunk, file));
    }

    /**
     * What "fails the same way" compares: the failure's kind and its reason up to the first
     * colon (the invariant or assertion's name, the node that trapped, the limit reached), with
     * every number masked, so that a shrunk run may fail at another step, time or value.
     */
    static String failureClass(SimFailure f) {
        String reason = f.reason();
        int colon = reason.indexOf(':');
        String head = colon < 0 ? reason : reason.substring(0, colon);
        return f.kind() + " " + NUMBERS.matcher(head).replaceAll("#");
    }

    private static Path write(Path dir, Seed seed, ChoiceRecording recording) {
        Path file = dir.resolve(seed + ".shrunk.choices");
        try {
            Files.createDirectories(dir);
            Files.writeString(file, recording.encode() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the shrunk run's choices to " + file, e);
        }
        return file;
    }

    /** Reads a choices file written by {@link #shrink} (or by hand), saying what is wrong with a bad one. */
    static ChoiceRecording read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new SettingsException("cannot read the choices file " + file.toAbsolutePath() + " (" + e
                    + "); give the path of a .choices file a failure report printed");
        }
        try {
            return ChoiceRecording.decode(text);
        } catch (IllegalArgumentException e) {
            throw new SettingsException("the choices file " + file.toAbsolutePath() + " is not a recorded choice"
                    + " stream (" + e.getMessage() + "); give the path of a .choices file a failure report printed");
        }
    }
}
