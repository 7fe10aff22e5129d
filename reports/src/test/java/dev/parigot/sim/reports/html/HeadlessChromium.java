package dev.parigot.sim.reports.html;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's Chromium, headless, asked for the DOM a page has once its script ran
 * ({@code --dump-dom}). Absent, the tests that need it are skipped, unless
 * {@code -Dparigot.requireBrowser=true} or the environment variable
 * {@code PARIGOT_REQUIRE_BROWSER=true} (which {@code .ci/run} sets, so that CI runs the README's
 * test command as it is) says a browser must be there; then they fail.
 */
final class HeadlessChromium {
    /** Debian's Chromium; {@code -Dparigot.chromium=PATH} points elsewhere (a missing path checks the skip). */
    static final Path BINARY = Path.of(System.getProperty("parigot.chromium", "/usr/bin/chromium"));
    static final long TIMEOUT_SECONDS = 90;

    /** What one run of Chromium gave: the DOM and how long it took. */
    record Dump(String dom, long wallMillis) {
    }

    private HeadlessChromium() {
    }

    /** Skips the calling test when Chromium is missing, or fails it when a browser is required. */
    static void assumePresent() {
        boolean present = Files.isExecutable(BINARY);
        boolean required = Boolean.getBoolean("parigot.requireBrowser")
                || "true".equalsIgnoreCase(System.getenv("PARIGOT_REQUIRE_BROWSER"));
        if (!present && required) {
            throw new AssertionError(BINARY + " is missing and a browser is required (-Dparigot.requireBrowser=true"
                    + " or PARIGOT_REQUIRE_BROWSER=true); install it with apt-get install -y chromium");
        }
        assumeTrue(present, BINARY + " is missing, so the HTML timeline is not checked in a browser"
                + " (apt-get install -y chromium; -Dparigot.requireBrowser=true makes this a failure)");
    }

    /** The command the tests run (docs/reports.md shows it). */
    static List<String> command(Path profile, Path page) {
        return List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                "--user-data-dir=" + profile, "--window-size=1400,900", "--virtual-time-budget=5000", "--dump-dom",
                page.toUri().toString());
    }

    static Dump dumpDom(Path page) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory("parigot-chromium-");
        Path out = Files.createTempFile("parigot-dom-", ".html");
        Path err = Files.createTempFile("parigot-chromium-", ".log");
        try {
            long start = System.nanoTime();
            Process p = new ProcessBuilder(command(profile, page)).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("Chromium did not dump " + page + " within " + TIMEOUT_SECONDS + " s; stderr:\n"
                        + tail(err));
            }
            long wallMillis = (System.nanoTime() - start) / 1_000_000;
            String dom = Files.readString(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0 || dom.isBlank()) {
                throw new AssertionError("Chromium exited with " + p.exitValue() + " and " + dom.length()
                        + " characters of DOM for " + page + "; stderr:\n" + tail(err));
            }
            return new Dump(dom, wallMillis);
        } finally {
            delete(profile);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String tail(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    private static void delete(Path dir) throws IOException {
        List<Path> paths = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(paths::add);
        }
        for (Path path : paths) {
            Files.deleteIfExists(path);
        }
    }
}
