package dev.parigot.sim.reports.html;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Draws timelines as one self-contained HTML file: inline CSS and script, no network, the
 * timelines embedded as JSON. One swimlane per node, time downward, calls and results as arrows
 * between lanes, faults as markers, the failure highlighted; several timelines (the original run
 * and its shrunk run, say) become tabs. docs/reports.md tells how to read it.
 */
public final class TimelineHtml {
    private static final String TEMPLATE_RESOURCE = "timeline.html";
    private static final String DATA_MARK = "/*TIMELINE_DATA*/";
    private static final String TITLE_MARK = "<!--TITLE-->";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A timeline and the name of its tab, e.g. "original" or "shrunk". */
    public record Tab(String name, Timeline timeline) {
        /**
         * Checks the tab.
         *
         * @throws IllegalArgumentException if the name is blank or the timeline is null
         */
        public Tab {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a tab needs a name, e.g. \"original\" or \"shrunk\"");
            }
            if (timeline == null) {
                throw new IllegalArgumentException("tab '" + name + "' has no timeline (null)");
            }
        }
    }

    private TimelineHtml() {
    }

    /** The page of one timeline, in a tab named "original". */
    public static String render(Timeline timeline) {
        return render(List.of(new Tab("original", timeline)));
    }

    /** The page of several timelines, one tab each, the first shown. */
    public static String render(List<Tab> tabs) {
        if (tabs == null || tabs.isEmpty()) {
            throw new IllegalArgumentException("no timeline to draw; give at least one tab");
        }
        Set<String> names = new HashSet<>();
        for (Tab tab : tabs) {
            if (!names.add(tab.name())) {
                throw new IllegalArgumentException("two tabs are named '" + tab.name() + "'; name each once");
            }
        }
        String template = template();
        String title = tabs.get(0).timeline().title();
        return template.replace(TITLE_MARK, escapeHtml(title.isEmpty() ? "Parigot Sim timeline" : title))
                .replace(DATA_MARK, scriptJson(Map.of("tabs", tabs)));
    }

    /** Writes the page of one timeline to {@code file}, creating its folder. */
    public static Path write(Path file, Timeline timeline) throws IOException {
        return write(file, List.of(new Tab("original", timeline)));
    }

    /** Writes the page of these timelines to {@code file}, creating its folder. */
    public static Path write(Path file, List<Tab> tabs) throws IOException {
        String page = render(tabs);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return Files.writeString(file, page, StandardCharsets.UTF_8);
    }

    /**
     * JSON that is safe inside a {@code <script>} element: {@code <}, {@code >} and {@code &}
     * are written as {@code \\u003c}, {@code \\u003e}, {@code \\u0026} (only ever inside JSON
     * strings, where they mean the same), so no text can close the element or open a comment;
     * U+2028 and U+2029 likewise, for older script parsers.
     */
    public static String scriptJson(Object value) {
        String json;
        try {
            json = JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the timeline as JSON: " + e.getOriginalMessage(), e);
        }
        StringBuilder out = new StringBuilder(json.length() + 64);
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            switch (c) {
                case '<' -> out.append("\\u003c");
                case '>' -> out.append("\\u003e");
                case '&' -> out.append("\\u0026");
                case '\u2028' -> out.append("\\u2028");
                case '\u2029' -> out.append("\\u2029");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String escapeHtml(String text) {
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

    private static String template() {
        try (InputStream in = TimelineHtml.class.getResourceAsStream(TEMPLATE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(TEMPLATE_RESOURCE + " is missing beside " + TimelineHtml.class.getName()
                        + "; the reports jar is incomplete");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + TEMPLATE_RESOURCE, e);
        }
    }
}
