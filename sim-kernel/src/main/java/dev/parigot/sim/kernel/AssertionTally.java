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

    /** Each site's counts, in the order sites were first reached; made when the first one is. */
    private Map<String, Site> sites;

    private static final class Site {
        final String kind;
        final String message;
        long reached;
        long satisfied;

        Site(String kind, String message) {
            this.kind = kind;
            this.message = message;
        }
    }

    void record(String kind, String message, boolean satisfied) {
        if (sites == null) {
            sites = new LinkedHashMap<>();
        }
        Site site = sites.computeIfAbsent(kind + '\u0000' + message, key -> new Site(kind, message));
        site.reached++;
        if (satisfied) {
            site.satisfied++;
        }
    }

    /** Each assertion site's counts, in the order sites were first reached; empty if none was. */
    public List<Entry> entries() {
        List<Entry> out = new ArrayList<>();
        if (sites != null) {
            for (Site site : sites.values()) {
                out.add(new Entry(site.kind, site.message, site.reached, site.satisfied));
            }
        }
        return out;
    }
}
