package dev.parigot.sim.junit.internal;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.platform.engine.DiscoverySelector;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * One run of the engine through JUnit's EngineTestKit, isolated in a directory of its own:
 * failure memory, regression file and JSON summaries all live there, so nothing one test
 * remembers reaches another. Progress lines are off, and so is shrinking (it replays a failing
 * seed many times, which tests that count the seeds run would see); everything else is the
 * engine's default unless {@link #set} says otherwise.
 */
final class EngineRun {
    private final Path dir;
    private final Map<String, String> config = new LinkedHashMap<>();

    private EngineRun(Path dir) {
        this.dir = dir;
        config.put(Settings.REPORTS, reports().toString());
        config.put(Settings.REGRESSIONS, regressions().toString());
        config.put(Settings.PROGRESS, "0");
        config.put(Settings.SHRINK, "off");
    }

    static EngineRun in(Path dir) {
        return new EngineRun(dir);
    }

    EngineRun set(String key, String value) {
        config.put(key, value);
        return this;
    }

    Path reports() {
        return dir.resolve("reports");
    }

    Path regressions() {
        return dir.resolve("parigot-regressions.txt");
    }

    Path failuresFile() {
        return reports().resolve(FailureStore.FILE_NAME);
    }

    /** The JSON summary of one method of an unsharded run. */
    Path summary(Class<?> testClass, String method) {
        return reports().resolve(testClass.getName() + "#" + method + ".json");
    }

    EngineExecutionResults run(Class<?> testClass) {
        return run(selectClass(testClass));
    }

    EngineExecutionResults run(DiscoverySelector... selectors) {
        return EngineTestKit.engine(ParigotSimEngine.ID)
                .enableImplicitConfigurationParameters(false)
                .configurationParameters(config)
                .selectors(selectors)
                .execute();
    }

    // ---- reading results ----

    /** The failing seeds' tests, in the order they were reported. */
    static List<Event> failedSeeds(EngineExecutionResults results) {
        return results.testEvents().failed().filter(e -> e.getTestDescriptor() instanceof SeedDescriptor).toList();
    }

    /**
     * The failing seeds as "display name: message", in the order they were reported, each
     * message {@link #comparable} with those of runs in other directories.
     */
    static List<String> failedSeedReports(EngineExecutionResults results) {
        return failedSeeds(results).stream().map(e -> e.getTestDescriptor().getDisplayName() + ": "
                + comparable(message(e))).toList();
    }

    private static final Pattern TRACE_FILE = Pattern.compile("((?:full trace and log|timeline \\(HTML\\)): ).*?(/runs/)");

    /** A failure message without the directory of its run (its trace file's path names it). */
    static String comparable(String message) {
        return TRACE_FILE.matcher(message).replaceAll("$1<reports>$2");
    }

    private static final Pattern TRACE_FILE_PATH = Pattern.compile("full trace and log: (.*)");

    /** The file a failure message names as its full trace and log. */
    static Path traceFile(String message) {
        Matcher m = TRACE_FILE_PATH.matcher(message);
        if (!m.find()) {
            throw new AssertionError("no trace file in: " + message);
        }
        return Path.of(m.group(1).strip());
    }

    /** The seed text of each failing seed's test ("0x5eed..."), in the order they were reported. */
    static List<String> failedSeedTexts(EngineExecutionResults results) {
        return failedSeeds(results).stream()
                .map(e -> e.getTestDescriptor().getDisplayName().substring("seed ".length())).toList();
    }

    /** What a failed test's stack trace shows: a failing seed's whole report, else the message. */
    static String message(Event finished) {
        Throwable t = finished.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow();
        return t.getLocalizedMessage();
    }

    private static final Pattern TRACE_HASH = Pattern.compile("trace hash ([0-9a-f]{16})");

    static String traceHash(String message) {
        Matcher m = TRACE_HASH.matcher(message);
        if (!m.find()) {
            throw new AssertionError("no trace hash in: " + message);
        }
        return m.group(1);
    }

    /** The report entry the engine published on a method ({@code parigot.seeds} and its siblings). */
    static Map<String, String> methodReport(EngineExecutionResults results, String method) {
        List<Map<String, String>> entries = results.allEvents().reportingEntryPublished()
                .filter(e -> e.getTestDescriptor() instanceof SimMethodDescriptor
                        && e.getTestDescriptor().getDisplayName().equals(method))
                .map(e -> e.getRequiredPayload(ReportEntry.class).getKeyValuePairs()).toList();
        if (entries.size() != 1) {
            throw new AssertionError("expected one report entry on " + method + ", got " + entries);
        }
        return entries.get(0);
    }

    /** What {@code action} printed on System.out (where the engine prints its summaries, notes and progress). */
    static String printedBy(Runnable action) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream console = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setOut(console);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String text) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
