package dev.parigot.sim.kernel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "sometimes" and "reachable" assertions of one world (Antithesis' kinds): how often each
 * was reached and how often its condition held. A test engine sums them over every seed; one
 * never satisfied in any seed is a coverage gap.
 */
public final class AssertionTally {

    /** One assertion site: its kind, message, and counts in this world. */
    public record Entry(String kind, String message, long reached, long satisfied) {
    }

    private final Map<String, long[]> counts = new LinkedHashMap<>();
    private final Map<String, String[]> sites = new LinkedHashMap<>();

    void record(String kind, String message, boolean satisfied) {
        String key = kind + '\u0000' + message;
        long[] c = counts.get(key);
        if (c == null) {
            c = new long[2];
            counts.put(key, c);
            sites.put(key, new String[] {kind, message});
        }
        c[0]++;
        if (satisfied) {
            c[1]++;
        }
    }

    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        counts.forEach((key, c) -> {
            String[] site = sites.get(key);
            out.add(new Entry(site[0], site[1], c[0], c[1]));
        });
        return out;
    }
}
