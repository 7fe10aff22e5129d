package dev.parigot.sim.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files a shard's failures name (trace, HTML timeline, the shrunk run's choices and trace),
 * brought into the merge's output directory. A shard's report names them as its machine saw them
 * (relative to that machine's working directory, {@code target/parigot-sim/runs/...}); the engine
 * writes them under {@code runs/} of the directory that holds the report, so that is where a
 * collected shard has them. Each one found is copied to {@code <output>/runs/...} and the merged
 * report names the copy, so the merged directory holds everything its index links to, and the
 * shrunk run's replay command names a file that exists wherever the directory is downloaded.
 */
final class ShardFiles {
    private final Path output;
    /** Copies to make once the merge is accepted, target by source. */
    private final Map<Path, Path> copies = new LinkedHashMap<>();

    ShardFiles(Path output) {
        this.output = output;
    }

    /** {@code shard} with its failures naming the copies its files will have in the output. */
    ShardMerge.Shard relocate(ShardMerge.Shard shard) {
        Path dir = shard.source().toAbsolutePath().getParent();
        List<FailureReport> failures = new ArrayList<>();
        for (FailureReport f : shard.report().failures()) {
            failures.add(relocate(dir, f));
        }
        MethodReport r = shard.report();
        return new ShardMerge.Shard(shard.source(), new MethodReport(r.schema(), r.testClass(), r.method(), r.strategy(),
                r.firstSeed(), r.shard(), r.seedsPlanned(), r.seedsRun(), r.seedsFailed(), r.timeBudgetReached(),
                r.stoppedAtFirstFailure(), r.steps(), r.virtualTimeNanos(), r.wallTimeMillis(), r.stepsPerSecond(),
                r.worldsAtOnce(), r.worldLinearMemoryBytesMax(), r.seedsCovered(), r.settings(), r.parameters(),
                r.mergedFrom(), failures, r.assertions()));
    }

    private FailureReport relocate(Path dir, FailureReport f) {
        ShrinkReport s = f.shrunk();
        if (s != null) {
            String choices = relocate(dir, s.choicesFile());
            s = new ShrinkReport(s.stepsBefore(), s.faultsBefore(), s.choicesBefore(), s.steps(), s.faults(),
                    s.choices(), s.attempts(), s.millis(), s.stop(), s.reason(), s.traceHash(), choices,
                    replayFrom(s.replay(), s.choicesFile(), choices), relocate(dir, s.traceFile()));
        }
        return new FailureReport(f.seed(), f.kind(), f.reason(), f.node(), f.steps(), f.virtualTimeNanos(),
                f.traceHash(), f.determinism(), f.replay(), f.replayInModule(), f.annotation(),
                f.underRecordedSettings(), f.settings(), f.parameters(), f.modules(), f.modulesChanged(),
                relocate(dir, f.traceFile()), relocate(dir, f.timelineFile()), s);
    }

    /**
     * Where {@code file} (as the shard's report names it) will be in the output: the part from its
     * last {@code runs} directory on, found under the shard's directory; {@code file} itself when
     * it is not there (a file the shard's machine kept elsewhere, or none).
     */
    private String relocate(Path dir, String file) {
        if (file == null) {
            return null;
        }
        Path named = Path.of(file);
        for (int i = named.getNameCount() - 2; i >= 0; i--) {
            if (named.getName(i).toString().equals("runs")) {
                Path within = named.subpath(i, named.getNameCount());
                Path found = dir.resolve(within);
                if (Files.isRegularFile(found)) {
                    Path copy = output.resolve(within);
                    copies.put(found, copy);
                    return copy.toString();
                }
            }
        }
        return file;
    }

    /** The shrunk run's replay command naming {@code now} instead of {@code before} as its choices file. */
    static String replayFrom(String replay, String before, String now) {
        if (replay == null || before == null || now == null || before.equals(now)) {
            return replay;
        }
        String option = "-Dparigot.replay=";
        int at = replay.indexOf(option);
        if (at < 0) {
            return replay;
        }
        int from = at + option.length();
        int end = endOfWord(replay, from);
        return replay.substring(0, from) + "'" + now.replace("'", "'\\''") + "'" + replay.substring(end);
    }

    /** Where the shell word starting at {@code from} ends (single quotes and backslashes as a POSIX shell reads them). */
    private static int endOfWord(String text, int from) {
        int i = from;
        while (i < text.length() && !Character.isWhitespace(text.charAt(i))) {
            char c = text.charAt(i);
            if (c == '\'') {
                int close = text.indexOf('\'', i + 1);
                i = close < 0 ? text.length() : close + 1;
            } else if (c == '\\' && i + 1 < text.length()) {
                i += 2;
            } else {
                i++;
            }
        }
        return i;
    }

    /** Copies every file the relocated reports name; returns how many. */
    int copy() {
        for (Map.Entry<Path, Path> e : copies.entrySet()) {
            try {
                Files.createDirectories(e.getValue().toAbsolutePath().getParent());
                Files.copy(e.getKey(), e.getValue(), StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot copy " + e.getKey() + " to " + e.getValue(), ex);
            }
        }
        return copies.size();
    }
}
