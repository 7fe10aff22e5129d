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
    static Optional<Shrunk> shrink(SeedExecutor executor, String test, Seed seed, Shrinker shrinker, Path dir) {
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
            file = write(dir, test, seed, result.shrunk());
        }
        return Optional.of(new Shrunk(seed, original, first.outcome().steps(), first.faults(), result, shrunk, file));
    }

    /**
     * What "fails the same way" compares: the failure's kind and its reason up to the first
     * colon (the invariant or assertion's name, the node that trapped, the limit reached), with
     * every number masked, so that a shrunk run may fail at another step, time or value.
     */
    static String failureClass(SimFailure f) {
        return dev.parigot.sim.reports.FailureReport.causeOf(f.kind().name(), f.reason());
    }

    /** The first line of a choices file: whose run it holds, and a checksum of that and the recording. */
    private static final Pattern HEADER = Pattern.compile(
            "# parigot-sim choices of a shrunk run: test (\\S+), seed (\\S+), crc32 ([0-9a-f]{8})");

    private static Path write(Path dir, String test, Seed seed, ChoiceRecording recording) {
        Path file = dir.resolve(seed + ".shrunk.choices");
        String encoded = recording.encode();
        try {
            Files.createDirectories(dir);
            Files.writeString(file, "# parigot-sim choices of a shrunk run: test " + test + ", seed " + seed
                    + ", crc32 " + crc32(test + " " + seed + " " + encoded) + "\n" + encoded + "\n",
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the shrunk run's choices to " + file, e);
        }
        return file;
    }

    private static String crc32(String text) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(text.getBytes(StandardCharsets.US_ASCII));
        return String.format(Locale.ROOT, "%08x", crc.getValue());
    }

    /**
     * A choices file as read: the recording, and the test ({@code <class>#<method>}) and seed its
     * header names; both null for a file without the header (written by hand, or by an older version).
     */
    record ChoicesFile(Path file, ChoiceRecording recording, String test, String seed) {

        /** Refuses this file for a run of {@code seed}: it replays only the seed it was recorded from. */
        void requireSeed(Seed seed) {
            if (this.seed != null && !this.seed.equals(seed.toString())) {
                throw new SettingsException(Settings.REPLAY + "=" + file + " holds the shrunk run of seed " + this.seed
                        + (test == null ? "" : " of " + test) + ", not of seed " + seed + ": replay it with "
                        + Settings.SEED + "=" + this.seed + " (the shrunk run's replay command gives both)");
            }
        }

        /** Refuses this file for a run of {@code test}. */
        void requireTest(String test) {
            if (this.test != null && !this.test.equals(test)) {
                throw new SettingsException(Settings.REPLAY + "=" + file + " holds a shrunk run of " + this.test
                        + ", not of " + test + ": run " + this.test + " alone with it (-Dtest=... as the shrunk run's"
                        + " replay command gives)");
            }
        }
    }

    /** Reads a choices file written by {@link #shrink} (or by hand), saying what is wrong with a bad one. */
    static ChoicesFile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new SettingsException("cannot read the choices file " + file.toAbsolutePath() + " (" + e
                    + "); give the path of a .choices file a failure report printed");
        }
        String test = null;
        String seed = null;
        if (text.startsWith("#")) {
            int nl = text.indexOf('\n');
            String header = nl < 0 ? text : text.substring(0, nl).strip();
            text = nl < 0 ? "" : text.substring(nl + 1).strip();
            java.util.regex.Matcher m = HEADER.matcher(header);
            if (m.matches()) {
                test = m.group(1);
                seed = m.group(2);
                if (!m.group(3).equals(crc32(test + " " + seed + " " + text))) {
                    throw new SettingsException("the choices file " + file.toAbsolutePath() + " was changed after it"
                            + " was written (its test, seed or recording no longer matches the checksum in its first"
                            + " line); give the .choices file as the failure report wrote it");
                }
            }
        }
        if (text.isEmpty()) {
            throw new SettingsException("the choices file " + file.toAbsolutePath() + " holds no recording; give"
                    + " the path of a .choices file a failure report printed");
        }
        try {
            return new ChoicesFile(file, ChoiceRecording.decode(text), test, seed);
        } catch (IllegalArgumentException e) {
            throw new SettingsException("the choices file " + file.toAbsolutePath() + " is not a recorded choice"
                    + " stream (" + e.getMessage() + "); give the path of a .choices file a failure report printed");
        }
    }
}
