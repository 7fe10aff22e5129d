package dev.parigot.sim.faults.internal;

import dev.parigot.sim.faults.Probability;
import dev.parigot.sim.scheduler.ChoiceStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * FoundationDB's BUGGIFY for one world: the first time a site is reached, it is enabled for the
 * whole world with probability 1/4; each time an enabled site is reached it fires with
 * probability 1/4. Off (never fires) unless the fault profile turns it on.
 */
public final class Buggify {
    private static final Probability ENABLE = Probability.of("buggify enable", 0.25);
    private static final Probability FIRE = Probability.of("buggify fire", 0.25);

    private final boolean on;
    private final Map<String, Boolean> enabled = new LinkedHashMap<>();
    private final Set<String> fired = new LinkedHashSet<>();

    public Buggify(boolean on) {
        this.on = on;
    }

    public boolean fire(String site, ChoiceStream choices) {
        if (!on) {
            return false;
        }
        Boolean siteOn = enabled.get(site);
        if (siteOn == null) {
            siteOn = ENABLE.happens(choices);
            enabled.put(site, siteOn);
        }
        if (siteOn && FIRE.happens(choices)) {
            fired.add(site);
            return true;
        }
        return false;
    }

    /** Sites enabled in this world, in the order first reached. */
    public List<String> enabledSites() {
        List<String> out = new ArrayList<>();
        enabled.forEach((site, isOn) -> {
            if (isOn) {
                out.add(site);
            }
        });
        return out;
    }

    /** Sites that fired at least once, in the order they first fired. */
    public List<String> firedSites() {
        return new ArrayList<>(fired);
    }
}
