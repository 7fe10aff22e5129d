package dev.parigot.sim.reports;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The command line that merges the reports of a sharded sweep: every
 * {@code <test class>#<method>[.shard-i-of-n].json} under the paths given, grouped by method, each
 * group checked and merged by {@link ShardMerge} into {@code <output>/<test class>#<method>.json};
 * the failure memories ({@code failures.txt}) found beside them are joined into
 * {@code <output>/failures.txt}, and the files the failures name (traces, timelines, shrunk runs'
 * choices) are copied into {@code <output>/runs/} ({@link ShardFiles}). Exits with 0 when every method merged, 1 when a merge was
 * refused (each problem printed, with what to do), 2 for a wrong command line.
 *
 * <pre>
 * java -cp &lt;class path&gt; dev.parigot.sim.reports.MergeShards -o merged shard-1/ shard-2/ shard-3/
 * mvn -q -pl reports exec:java -Dexec.args='-o merged shard-1 shard-2 shard-3'
 * </pre>
 */
@Command(name = "merge-shards", mixinStandardHelpOptions = true, sortOptions = false,
        version = "merge-shards of Parigot Sim, reading reports of schema " + MethodReport.SCHEMA + " and later 1.x",
        description = {"Merges the JSON reports of the shards of a Parigot Sim sweep (parigot.shard=i/n) into one"
                + " report per test method, after checking that the shards ran every seed of the sweep exactly once,"
                + " and joins their failure memories (failures.txt).", ""},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every method merged", "1:a merge was refused: a shard missing, run twice, incomplete or"
                + " run with other settings (the message says which and what to do)", "2:wrong command line"})
public final class MergeShards implements Callable<Integer> {
    /** The joined failure memory's name, as the engine names it. */
    static final String FAILURES = "failures.txt";

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", defaultValue = "merged",
            description = "where merged reports and failures.txt go (default: ${DEFAULT-VALUE})")
    Path output;

    @Option(names = "--allow-incomplete", description = "merge shards whose time budget ran out or that stopped at"
            + " a failure; the merged report then says how many seeds of the sweep ran")
    boolean allowIncomplete;

    @Parameters(paramLabel = "PATH", arity = "1..*", description = "shard reports (*.json), failures.txt files, or"
            + " directories searched for both (each shard's parigot.reports directory, say)")
    List<Path> inputs;

    @Spec
    CommandSpec spec;

    private PrintWriter out;
    private PrintWriter err;

    /**
     * The command line: merges the shard reports {@code args} names and exits with the command's
     * code (0 when every method merged, 1 when a merge was refused).
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new MergeShards()).execute(args));
    }

    /** Runs the command printing to {@code out} and {@code err}; returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return new CommandLine(new MergeShards()).setOut(out).setErr(err).execute(args);
    }

    @Override
    public Integer call() {
        out = spec.commandLine().getOut();
        err = spec.commandLine().getErr();
        List<Path> reports = new ArrayList<>();
        List<Path> failureFiles = new ArrayList<>();
        for (Path input : inputs) {
            if (!Files.exists(input)) {
                err.println("merge-shards: " + input + " does not exist; give shard reports, failures.txt files or"
                        + " directories holding them");
                return 1;
            }
            collect(input, output, reports, failureFiles);
        }
        // A directory given twice (or a file and its directory) is read once: the same file is not two shards.
        reports = distinct(reports);
        failureFiles = distinct(failureFiles);
        if (reports.isEmpty()) {
            err.println("merge-shards: no report (<test class>#<method>[.shard-i-of-n].json) in " + inputs
                    + "; give the parigot.reports directory of each shard (target/parigot-sim by default)");
            return 1;
        }
        List<ShardMerge.Shard> shards = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        for (Path file : reports) {
            try {
                shards.add(new ShardMerge.Shard(file, ReportJson.read(file)));
            } catch (ReportException | UncheckedIOException e) {
                unreadable.add(e.getMessage());
            }
        }
        if (!unreadable.isEmpty()) {
            unreadable.forEach(m -> err.println("merge-shards: " + m));
            return 1;
        }
        ShardFiles files = new ShardFiles(output);
        List<MethodReport> merged;
        try {
            merged = ShardMerge.mergeAll(shards.stream().map(files::relocate).toList(), allowIncomplete);
        } catch (ReportException e) {
            e.getMessage().lines().forEach(m -> err.println("merge-shards: " + m));
            err.println("merge-shards: nothing written to " + output);
            return 1;
        }
        int copied;
        try {
            copied = files.copy();
        } catch (UncheckedIOException e) {
            err.println("merge-shards: " + e.getMessage() + " (" + e.getCause().getMessage() + ")");
            return 1;
        }
        for (MethodReport r : merged) {
            Path file = ReportJson.write(output, r);
            out.printf(Locale.ROOT, "%s: %,d of %,d seeds of the sweep from %s ran in %d shard%s, %d failing -> %s%n",
                    r.name(), r.seedsCovered().sweep().positionsRun(), r.seedsCovered().sweep().seedCount(),
                    r.firstSeed(), r.mergedFrom().size(), r.mergedFrom().size() == 1 ? "" : "s", r.seedsFailed(), file);
            printFailures(r.failures(), file);
        }
        if (copied > 0) {
            out.printf(Locale.ROOT, "files: %,d trace, timeline and choices file%s of the failures -> %s%n", copied,
                    copied == 1 ? "" : "s", output.resolve("runs"));
        }
        Path index = dev.parigot.sim.reports.html.ReportIndexHtml.write(output);
        out.println("index: " + index);
        if (!failureFiles.isEmpty()) {
            Path joined = output.resolve(FAILURES);
            int lines = joinFailures(failureFiles, joined);
            out.printf(Locale.ROOT, "failure memory: %d line%s from %d failures.txt -> %s%n", lines,
                    lines == 1 ? "" : "s", failureFiles.size(), joined);
        }
        return 0;
    }

    /** Failures listed with their replay at most; more are counted by cause. */
    static final int LISTED_MAX = 20;

    /**
     * The failures of one method: grouped by cause (the failure's kind and its reason up to the
     * first colon, numbers masked, as shrinking compares failures) when there are several causes
     * or more than {@link #LISTED_MAX} failures, most frequent first, each with its first seed;
     * then the first {@link #LISTED_MAX} failures with their replay commands.
     */
    private void printFailures(List<FailureReport> failures, Path file) {
        java.util.Map<String, List<FailureReport>> byCause = new java.util.LinkedHashMap<>();
        for (FailureReport f : failures) {
            byCause.computeIfAbsent(cause(f), k -> new ArrayList<>()).add(f);
        }
        if (byCause.size() > 1 || failures.size() > LISTED_MAX) {
            out.printf(Locale.ROOT, "  %,d failing seed%s, %d cause%s:%n", failures.size(),
                    failures.size() == 1 ? "" : "s", byCause.size(), byCause.size() == 1 ? "" : "s");
            byCause.entrySet().stream()
                    .sorted((a, b) -> Integer.compare(b.getValue().size(), a.getValue().size()))
                    .forEach(e -> {
                        FailureReport first = e.getValue().get(0);
                        String reason = firstLine(first.reason());
                        int colon = reason.indexOf(':');
                        out.printf(Locale.ROOT, "    %,6d  %s: %s (first: seed %s)%n", e.getValue().size(), first.kind(),
                                colon < 0 ? reason : reason.substring(0, colon), first.seed());
                    });
        }
        for (FailureReport f : failures.subList(0, Math.min(failures.size(), LISTED_MAX))) {
            out.println("  seed " + f.seed() + " " + f.kind() + ": " + firstLine(f.reason()));
            out.println("    replay: " + f.replay());
        }
        if (failures.size() > LISTED_MAX) {
            out.printf(Locale.ROOT, "  ... and %,d more failing seeds, each with its replay in %s%n",
                    failures.size() - LISTED_MAX, file);
        }
    }

    /** What tells failures apart ({@link FailureReport#causeOf}). */
    static String cause(FailureReport f) {
        return FailureReport.causeOf(f.kind(), f.reason());
    }

    /** The reports and failure memories under {@code input}, but none in {@code output} (a merge run again). */
    private static void collect(Path input, Path output, List<Path> reports, List<Path> failureFiles) {
        if (Files.isRegularFile(input)) {
            (isFailures(input) ? failureFiles : reports).add(input);
            return;
        }
        Path skipped = output.toAbsolutePath().normalize();
        try (Stream<Path> files = Files.walk(input)) {
            files.filter(Files::isRegularFile).filter(f -> !f.toAbsolutePath().normalize().startsWith(skipped))
                    .sorted().forEach(f -> {
                        if (isFailures(f)) {
                            failureFiles.add(f);
                        } else if (isReport(f)) {
                            reports.add(f);
                        }
                    });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + input + ": " + e.getMessage(), e);
        }
    }

    private static List<Path> distinct(List<Path> files) {
        java.util.Map<Path, Path> byFile = new java.util.LinkedHashMap<>();
        for (Path f : files) {
            byFile.putIfAbsent(f.toAbsolutePath().normalize(), f);
        }
        return new ArrayList<>(byFile.values());
    }

    private static boolean isFailures(Path f) {
        return f.getFileName().toString().equals(FAILURES);
    }

    /** The engine names a report {@code <test class>#<method>[.shard-i-of-n].json}. */
    private static boolean isReport(Path f) {
        String name = f.getFileName().toString();
        return name.endsWith(".json") && name.contains("#");
    }

    /**
     * Joins failure memories: every line once, in the order first found. A line is a seed, what
     * it ran under and why it failed, so the same line from two machines is the same failure.
     */
    static int joinFailures(List<Path> files, Path joined) {
        Set<String> lines = new LinkedHashSet<>();
        try {
            for (Path f : files) {
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        lines.add(line);
                    }
                }
            }
            Files.createDirectories(joined.toAbsolutePath().getParent());
            Files.write(joined, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot join the failure memories into " + joined + ": " + e.getMessage(),
                    e);
        }
        return lines.size();
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
