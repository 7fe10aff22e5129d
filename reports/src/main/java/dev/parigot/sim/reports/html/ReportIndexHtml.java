package dev.parigot.sim.reports.html;

import dev.parigot.sim.reports.AssertionReport;
import dev.parigot.sim.reports.FailureReport;
import dev.parigot.sim.reports.MethodReport;
import dev.parigot.sim.reports.ReportException;
import dev.parigot.sim.reports.ReportJson;
import dev.parigot.sim.reports.ShrinkReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The index of a reports directory, {@code index.html}: every method whose report is there (its
 * seeds, failures, steps and time), the assertion coverage of each, and each failing seed with
 * its reason, what shrinking did, and links to its timeline and full trace. Self-contained (no
 * network, no script needed to read it); written again after each method, from every report in
 * the directory, so that one page covers a whole test run.
 */
public final class ReportIndexHtml {
    /** The index's file name in a reports directory. */
    public static final String FILE_NAME = "index.html";

    private ReportIndexHtml() {
    }

    /** Writes {@code <directory>/index.html} from the reports in {@code directory}; returns its path. */
    public static Path write(Path directory) {
        List<MethodReport> reports = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".json")).sorted().toList()) {
                try {
                    reports.add(ReportJson.read(file));
                } catch (ReportException e) {
                    unreadable.add(file.getFileName() + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the reports in " + directory, e);
        }
        reports.sort(Comparator.comparing(MethodReport::testClass).thenComparing(MethodReport::method)
                .thenComparing(MethodReport::shard));
        Path index = directory.resolve(FILE_NAME);
        try {
            Files.writeString(index, render(directory, reports, unreadable), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report index " + index, e);
        }
        return index;
    }

    /** The page for {@code reports} found in {@code directory} (links are relative to it). */
    static String render(Path directory, List<MethodReport> reports, List<String> unreadable) {
        long seeds = reports.stream().mapToLong(MethodReport::seedsRun).sum();
        long failing = reports.stream().mapToLong(MethodReport::seedsFailed).sum();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<title>Parigot Sim report: ").append(failing).append(" failing of ").append(seeds)
                .append(" seeds</title>\n<style>\n")
                .append("body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}")
                .append("table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;")
                .append("padding:3px 8px;text-align:left;vertical-align:top}th{background:#f3f3f3}")
                .append(".fail{color:#b00020;font-weight:600}.pass{color:#1b5e20}.gap{background:#fff3cd}")
                .append("code{font-size:12px;word-break:break-all}.num{text-align:right}")
                .append("h2{margin-top:1.5em;font-size:17px}\n</style></head>\n<body>\n");
        h.append("<h1>Parigot Sim report</h1>\n<p id=\"totals\" data-methods=\"").append(reports.size())
                .append("\" data-seeds=\"").append(seeds).append("\" data-failing=\"").append(failing).append("\">")
                .append(reports.size()).append(" method").append(reports.size() == 1 ? "" : "s").append(", ")
                .append(String.format(Locale.ROOT, "%,d", seeds)).append(" seeds, <span class=\"")
                .append(failing > 0 ? "fail" : "pass").append("\">").append(String.format(Locale.ROOT, "%,d",
                        failing)).append(" failing</span></p>\n");
        for (String problem : unreadable) {
            h.append("<p class=\"fail\">not read: ").append(escape(problem)).append("</p>\n");
        }
        h.append("<table id=\"methods\"><tr><th>method</th><th>shard</th><th>seeds run</th><th>failing</th>")
                .append("<th>steps</th><th>virtual time</th><th>wall time</th><th>strategy</th></tr>\n");
        for (MethodReport r : reports) {
            h.append("<tr class=\"method\" data-method=\"").append(escape(name(r))).append("\"><td><a href=\"#")
                    .append(escape(anchor(r))).append("\">").append(escape(name(r))).append("</a></td><td>")
                    .append(escape(r.shard())).append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%,d", r.seedsRun())).append("</td><td class=\"num ")
                    .append(r.seedsFailed() > 0 ? "fail" : "pass").append("\">").append(r.seedsFailed())
                    .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%,d", r.steps()))
                    .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%.3f s",
                            r.virtualTimeNanos() / 1e9)).append("</td><td class=\"num\">")
                    .append(String.format(Locale.ROOT, "%.2f s", r.wallTimeMillis() / 1e3)).append("</td><td>")
                    .append(escape(r.strategy())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (MethodReport r : reports) {
            h.append("<h2 id=\"").append(escape(anchor(r))).append("\">").append(escape(name(r)))
                    .append(r.shard().equals("1/1") ? "" : " (shard " + escape(r.shard()) + ")").append("</h2>\n");
            if (!r.assertions().isEmpty()) {
                h.append("<table class=\"coverage\"><tr><th>assertion</th><th>reached</th><th>satisfied</th></tr>\n");
                for (AssertionReport a : r.assertions()) {
                    h.append("<tr class=\"assertion").append(a.satisfied() == 0 ? " gap" : "").append("\"><td>")
                            .append(escape(a.assertion())).append("</td><td class=\"num\">").append(a.reached())
                            .append("</td><td class=\"num\">").append(a.satisfied()).append("</td></tr>\n");
                }
                h.append("</table>\n");
            }
            if (r.failures().isEmpty()) {
                h.append("<p class=\"pass\">no failing seed</p>\n");
                continue;
            }
            h.append("<table class=\"failures\"><tr><th>seed</th><th>failure</th><th>steps</th><th>shrunk</th>")
                    .append("<th>files</th><th>replay</th></tr>\n");
            for (FailureReport f : r.failures()) {
                h.append("<tr class=\"failure\" data-seed=\"").append(escape(f.seed())).append("\"><td><code>")
                        .append(escape(f.seed())).append("</code></td><td><span class=\"fail\">")
                        .append(escape(f.kind())).append("</span> ").append(escape(firstLine(f.reason())))
                        .append("</td><td class=\"num\">").append(f.steps()).append("</td><td>")
                        .append(shrunk(f.shrunk())).append("</td><td>");
                if (f.timelineFile() != null) {
                    h.append("<a class=\"timeline\" href=\"").append(escape(link(directory, f.timelineFile())))
                            .append("\">timeline</a> ");
                }
                if (f.traceFile() != null) {
                    h.append("<a class=\"trace\" href=\"").append(escape(link(directory, f.traceFile())))
                            .append("\">trace</a>");
                }
                h.append("</td><td><code>").append(escape(f.replay())).append("</code></td></tr>\n");
            }
            h.append("</table>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    private static String shrunk(ShrinkReport s) {
        if (s == null) {
            return "";
        }
        if (!s.stop().equals("NOT_REPRODUCED") && (s.steps() < s.stepsBefore() || s.faults() < s.faultsBefore())) {
            return String.format(Locale.ROOT, "%,d steps, %d faults &rarr; <b>%,d steps, %d faults</b>",
                    s.stepsBefore(), s.faultsBefore(), s.steps(), s.faults());
        }
        return s.stop().equals("NOT_REPRODUCED") ? "not reproduced" : "not shortened";
    }

    private static String name(MethodReport r) {
        return r.testClass() + "#" + r.method();
    }

    private static String anchor(MethodReport r) {
        return name(r).replaceAll("[^A-Za-z0-9_.-]", "-") + "-" + r.shard().replace('/', '-');
    }

    /** {@code file} (as the engine wrote it, relative to the working directory or absolute) as a link from the index. */
    static String link(Path directory, String file) {
        Path target = Path.of(file).toAbsolutePath().normalize();
        Path from = directory.toAbsolutePath().normalize();
        Path relative;
        try {
            // Outside the directory too (a report whose files stayed in a shard's directory beside it): ../...
            relative = from.relativize(target);
        } catch (IllegalArgumentException e) {
            relative = target; // another root: only an absolute link reaches it
        }
        StringBuilder out = new StringBuilder(relative.isAbsolute() ? "file://" : "");
        for (int i = 0; i < relative.getNameCount(); i++) {
            out.append(i == 0 && !relative.isAbsolute() ? "" : "/")
                    .append(URLEncoder.encode(relative.getName(i).toString(), StandardCharsets.UTF_8)
                            .replace("+", "%20"));
        }
        return out.toString();
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
