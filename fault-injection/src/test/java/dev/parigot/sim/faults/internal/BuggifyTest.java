package dev.parigot.sim.faults.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.faults.internal.Buggify;
import dev.parigot.sim.scheduler.ChoiceSource;
import dev.parigot.sim.scheduler.ChoiceStream;
import dev.parigot.sim.scheduler.Seed;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * BUGGIFY as FoundationDB has it: off, a site never fires and the world's choice stream is left
 * untouched; on, a site is enabled (or not) for the whole world the first time it is reached,
 * an enabled site fires now and then, and a disabled one never does and never draws again.
 */
class BuggifyTest {

    static ChoiceStream stream(long seed) {
        return ChoiceSource.seeded().recorded().open(Seed.of(seed));
    }

    @Property(tries = 100)
    void offNeverFiresAndDrawsNothing(@ForAll long seed) {
        Buggify off = new Buggify(false);
        ChoiceStream choices = stream(seed);
        for (int i = 0; i < 200; i++) {
            assertThat(off.fire("site-" + (i % 7), choices)).isFalse();
        }
        assertThat(choices.position()).isZero();
        assertThat(off.enabledSites()).isEmpty();
        assertThat(off.firedSites()).isEmpty();
    }

    @Property(tries = 200)
    void aSiteIsDecidedOnceForTheWholeWorld(@ForAll long seed) {
        Buggify on = new Buggify(true);
        ChoiceStream choices = stream(seed);
        boolean firedOnce = false;
        on.fire("a", choices);
        boolean enabled = on.enabledSites().contains("a");
        for (int i = 0; i < 100; i++) {
            int before = choices.position();
            firedOnce |= on.fire("a", choices);
            // Enabled: one draw (fire or not) per visit; disabled: no draw at all.
            assertThat(choices.position() - before).isEqualTo(enabled ? 1 : 0);
            assertThat(on.enabledSites().contains("a")).isEqualTo(enabled);
        }
        if (!enabled) {
            assertThat(firedOnce).isFalse();
            assertThat(on.firedSites()).isEmpty();
        } else {
            // 101 visits at 1/4 each: never firing has probability (3/4)^100, about 3e-13.
            assertThat(firedOnce).isTrue();
            assertThat(on.firedSites()).containsExactly("a");
        }
    }

    @Test
    void aboutAQuarterOfSitesAreEnabledAndAboutAQuarterOfVisitsFire() {
        int enabled = 0;
        int visits = 0;
        int fires = 0;
        for (long seed = 0; seed < 400; seed++) {
            Buggify on = new Buggify(true);
            ChoiceStream choices = stream(seed);
            for (int site = 0; site < 10; site++) {
                for (int visit = 0; visit < 20; visit++) {
                    boolean fired = on.fire("s" + site, choices);
                    if (on.enabledSites().contains("s" + site)) {
                        visits++;
                        fires += fired ? 1 : 0;
                    }
                }
            }
            enabled += on.enabledSites().size();
        }
        assertThat(enabled).as("sites enabled of 4,000").isBetween(1_000 - 150, 1_000 + 150);
        assertThat((double) fires / visits).as("fires per visit of an enabled site").isBetween(0.23, 0.27);
    }

    @Test
    void sitesAreListedInTheOrderFirstReachedAndFirstFired() {
        for (long seed = 0; seed < 200; seed++) {
            Buggify on = new Buggify(true);
            ChoiceStream choices = stream(seed);
            List<String> reached = List.of("zeta", "alpha", "mid", "beta", "omega", "gamma");
            List<String> firedOrder = new ArrayList<>();
            for (int round = 0; round < 30; round++) {
                for (String site : reached) {
                    if (on.fire(site, choices) && !firedOrder.contains(site)) {
                        firedOrder.add(site);
                    }
                }
            }
            List<String> enabledInReachOrder = reached.stream().filter(on.enabledSites()::contains).toList();
            assertThat(on.enabledSites()).isEqualTo(enabledInReachOrder);
            assertThat(on.firedSites()).isEqualTo(firedOrder);
            assertThat(enabledInReachOrder).containsAll(firedOrder);
        }
    }

    @Property(tries = 100)
    void theSameSeedMakesTheSameDecisions(@ForAll long seed) {
        List<Boolean> first = new ArrayList<>();
        List<Boolean> second = new ArrayList<>();
        Buggify a = new Buggify(true);
        Buggify b = new Buggify(true);
        ChoiceStream ca = stream(seed);
        ChoiceStream cb = stream(seed);
        for (int i = 0; i < 100; i++) {
            first.add(a.fire("s" + (i % 5), ca));
            second.add(b.fire("s" + (i % 5), cb));
        }
        assertThat(second).isEqualTo(first);
        assertThat(b.enabledSites()).isEqualTo(a.enabledSites());
        assertThat(b.firedSites()).isEqualTo(a.firedSites());
    }
}
