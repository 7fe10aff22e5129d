package dev.parigot.sim.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.scheduler.ChoiceStream;
import dev.parigot.sim.scheduler.Seed;
import dev.parigot.sim.scheduler.SeededChoices;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Swarm testing: each seed picks its own subset of the ceiling's fault kinds at its own
 * intensity. Seeds differ, a seed always picks the same, and no pick ever goes past the ceiling.
 */
class SwarmTest {

    static FaultProfile pick(FaultProfile ceiling, long seed) {
        return Swarm.pick(ceiling, new SeededChoices(Seed.of(seed)));
    }

    /** A ceiling that keeps unsynced writes at a crash and never tears them. */
    static FaultProfile gentleStorage() {
        return FaultProfile.defaults().toBuilder().label("gentle storage").storage(0, 0, 0.01, 0.01).build();
    }

    @Provide
    Arbitrary<FaultProfile> ceiling() {
        return Arbitraries.of(FaultProfile.defaults(), gentleStorage(), FaultProfile.NONE,
                FaultProfile.builder().drop(1).duplicate(1).reorder(true).crashes(1, Duration.ZERO, Duration.ZERO)
                        .storage(1, 0, 1, 1).buggify(true).build());
    }

    @Property(tries = 400)
    void everyPickStaysWithinTheCeiling(@ForAll("ceiling") FaultProfile ceiling, @ForAll long seed) {
        FaultProfile p = pick(ceiling, seed);
        assertThat(p.drop.value()).isLessThanOrEqualTo(ceiling.drop.value());
        assertThat(p.duplicate.value()).isLessThanOrEqualTo(ceiling.duplicate.value());
        assertThat(p.reorder).isIn(false, ceiling.reorder);
        assertThat(p.partition.value()).isLessThanOrEqualTo(ceiling.partition.value());
        assertThat(p.clog.value()).isLessThanOrEqualTo(ceiling.clog.value());
        assertThat(p.crash.value()).isLessThanOrEqualTo(ceiling.crash.value());
        assertThat(p.pause.value()).isLessThanOrEqualTo(ceiling.pause.value());
        assertThat(p.skewMax).isLessThanOrEqualTo(ceiling.skewMax);
        assertThat(p.driftPpmMax).isLessThanOrEqualTo(ceiling.driftPpmMax);
        assertThat(p.lostUnsynced.value()).as("lost unsynced").isLessThanOrEqualTo(ceiling.lostUnsynced.value());
        assertThat(p.tornUnsynced.value()).isLessThanOrEqualTo(ceiling.tornUnsynced.value());
        assertThat(p.readError.value()).isLessThanOrEqualTo(ceiling.readError.value());
        assertThat(p.corruption.value()).isLessThanOrEqualTo(ceiling.corruption.value());
        assertThat(p.buggify).isIn(false, ceiling.buggify);
        assertThat(p.latency).isIn(NetworkModel.DEFAULT_LATENCY, ceiling.latency);
        assertThat(p.tick).isEqualTo(ceiling.tick);
        if (!p.partition.never()) {
            assertThat(p.partitionMin).isEqualTo(ceiling.partitionMin);
            assertThat(p.partitionMax).isEqualTo(ceiling.partitionMax);
        }
        if (!p.crash.never()) {
            assertThat(p.restartMin).isEqualTo(ceiling.restartMin);
            assertThat(p.restartMax).isEqualTo(ceiling.restartMax);
        }
    }

    @Test
    void differentSeedsPickDifferentSubsets() {
        Set<String> picks = new LinkedHashSet<>();
        Set<Boolean> crashes = new LinkedHashSet<>();
        Set<Double> dropLevels = new LinkedHashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            FaultProfile p = pick(FaultProfile.defaults(), seed);
            picks.add(p.describe());
            crashes.add(p.crash.never());
            dropLevels.add(p.drop.value());
        }
        assertThat(picks).as("distinct profiles picked by 200 seeds").hasSizeGreaterThan(100);
        assertThat(crashes).containsExactlyInAnyOrder(true, false);
        // Off, or the ceiling's 1% at full, half or quarter intensity.
        assertThat(dropLevels).containsExactlyInAnyOrder(0.0, 0.01, 0.005, 0.0025);
    }

    @Property(tries = 200)
    void aSeedAlwaysPicksTheSameProfile(@ForAll long seed) {
        ChoiceStream a = new SeededChoices(Seed.of(seed));
        ChoiceStream b = new SeededChoices(Seed.of(seed));
        FaultProfile first = Swarm.pick(FaultProfile.defaults(), a);
        FaultProfile second = Swarm.pick(FaultProfile.defaults(), b);
        assertThat(second.describe()).isEqualTo(first.describe());
        assertThat(b.recording()).isEqualTo(a.recording());
        assertThat(first.describe()).startsWith("swarm: ");
    }

    @Test
    void everyKindIsPickedBySomeSeedAndLeftOutBySomeOther() {
        FaultProfile ceiling = FaultProfile.defaults();
        boolean[] seen = new boolean[2 * 9];
        for (long seed = 0; seed < 300; seed++) {
            FaultProfile p = pick(ceiling, seed);
            boolean[] on = {!p.drop.never(), !p.duplicate.never(), p.reorder, !p.partition.never(), !p.clog.never(),
                !p.crash.never(), !p.pause.never(), !p.skewMax.isZero(), p.buggify};
            for (int k = 0; k < on.length; k++) {
                seen[2 * k + (on[k] ? 1 : 0)] = true;
            }
        }
        for (int i = 0; i < seen.length; i++) {
            assertThat(seen[i]).as("kind %d %s", i / 2, i % 2 == 1 ? "on" : "off").isTrue();
        }
    }
}
