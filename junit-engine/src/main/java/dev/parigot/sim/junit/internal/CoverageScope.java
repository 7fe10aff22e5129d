package dev.parigot.sim.junit.internal;

import dev.parigot.sim.junit.ParigotSimTest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which {@code sometimes} and {@code reachable} assertions a method answers for
 * ({@link ParigotSimTest#coverage()}): every one its seeds reach (the default), the ones named, or
 * none. A full sweep fails the method for a gap in what it answers for; a gap in anything else
 * (an assertion of a guest other methods exercise) is only noted.
 */
final class CoverageScope {
    static final String NONE = "none";

    /** Null: every assertion reached; empty: none; else the assertion texts named. */
    private final Set<String> named;

    private CoverageScope(Set<String> named) {
        this.named = named;
    }

    static final CoverageScope ALL = new CoverageScope(null);

    /** The scope an annotation's {@code coverage} gives; a value it cannot mean is an error saying what to write. */
    static CoverageScope of(String[] coverage) {
        if (coverage.length == 0) {
            return ALL;
        }
        Set<String> texts = new LinkedHashSet<>();
        for (String text : coverage) {
            String problem = text.isBlank() ? "an assertion text is blank"
                    : text.equals(NONE) && coverage.length > 1 ? "\"none\" stands alone"
                    : !texts.add(text) ? "\"" + text + "\" is given twice" : null;
            if (problem != null) {
                throw new SettingsException("@ParigotSimTest(coverage = " + quoted(coverage) + ") is not valid: "
                        + problem + "; name the sometimes and reachable assertions the method answers for, as"
                        + " written (coverage = {\"the cache was hit\", \"the retry path\"}), or coverage ="
                        + " \"none\" for none");
            }
        }
        return new CoverageScope(texts.contains(NONE) ? Set.of() : Collections.unmodifiableSet(texts));
    }

    private static String quoted(String[] texts) {
        List<String> q = new ArrayList<>();
        for (String t : texts) {
            q.add("\"" + t + "\"");
        }
        return texts.length == 1 ? q.get(0) : "{" + String.join(", ", q) + "}";
    }

    /**
     * Gaps found over a method's seeds.
     *
     * @param failing what the method answers for and never held (or, named, never ran)
     * @param noted assertions that never held but are not the method's to answer for
     */
    record Gaps(List<String> failing, List<String> noted) {
    }

    /** An assertion site: its kind ("sometimes", "reachable") and text. */
    record Site(String kind, String message) {
        @Override
        public String toString() {
            return kind + " \"" + message + "\"";
        }
    }

    /** Judges the sum of every seed's assertions: by site, how often each was reached and held. */
    Gaps judge(Map<Site, long[]> tallies) {
        List<String> failing = new ArrayList<>();
        List<String> noted = new ArrayList<>();
        Set<String> ran = new LinkedHashSet<>();
        tallies.forEach((site, c) -> {
            ran.add(site.message());
            if (c[1] == 0) {
                (named == null || named.contains(site.message()) ? failing : noted).add(site + " (reached " + c[0]
                        + " times, never held)");
            }
        });
        if (named != null) {
            for (String text : named) {
                if (!ran.contains(text)) {
                    failing.add("\"" + text + "\" (never ran: no sometimes or reachable assertion has that text;"
                            + " the ones that ran: " + (tallies.isEmpty() ? "none" : tallies.keySet().stream()
                            .map(Site::toString).collect(Collectors.joining(", "))) + ")");
                }
            }
        }
        return new Gaps(failing, noted);
    }

    /** How the annotation reads, for a note on a gap the method does not answer for. */
    String describe() {
        return named == null ? "" : named.isEmpty() ? "coverage = \"none\"" : "coverage = " + quoted(
                named.toArray(String[]::new));
    }
}
