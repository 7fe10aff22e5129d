package dev.parigot.sim.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.faults.Swarm;
import dev.parigot.sim.scheduler.ChoiceSource;
import dev.parigot.sim.scheduler.ChoiceStream;
import dev.parigot.sim.scheduler.Seed;
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
        return Swarm.pick(ceiling, ChoiceSource.seeded().recorded().open(Seed.of(seed)));
    }

    /** A ceiling that keeps unsynced writes at a crash and never tears them. */
    static FaultProfile gentleStorage() {
        return FaultProfile.defaults().toBuilder().label("gentle storage")
                .storage(s -> s.lostUnsynced(0).tornUnsynced(0).readError(0.01).corruption(0.01)).build();
    }

    @Provide
    Arbitrary<FaultProfile> ceiling() {
        return Arbitraries.of(FaultProfile.defaults(), gentleStorage(), FaultProfile.NONE,
                FaultProfile.builder().network(n -> n.drop(1).duplicate(1).reorder(true))
                        .process(p -> p.crashes(1).restartDelay(Duration.ZERO, Duration.ZERO))
                        .storage(s -> s.lostUnsynced(1).readError(1).corruption(1)).buggify(true).build());
    }

    @Property(tries = 400)
    void everyPickStaysWithinTheCeiling(@ForAll("ceiling") FaultProfile ceiling, @ForAll long seed) {
        FaultProfile p = pick(ceiling, seed);
        assertThat(p.network().drop().value()).isLessThanOrEqualTo(ceiling.network().drop().value());
        assertThat(p.network().duplicate().value()).isLessThanOrEqualTo(ceiling.network().duplicate().value());
        assertThat(p.network().reorder()).isIn(false, ceiling.network().reorder());
        assertThat(p.network().partitions().value()).isLessThanOrEqualTo(ceiling.network().partitions().value());
        assertThat(p.network().clogging().value()).isLessThanOrEqualTo(ceiling.network().clogging().value());
        assertThat(p.process().crashes().value()).isLessThanOrEqualTo(ceiling.process().crashes().value());
        assertThat(p.process().pauses().value()).isLessThanOrEqualTo(ceiling.process().pauses().value());
        assertThat(p.clock().skewMax()).isLessThanOrEqualTo(ceiling.clock().skewMax());
        assertThat(p.clock().driftPpmMax()).isLessThanOrEqualTo(ceiling.clock().driftPpmMax());
        assertThat(p.storage().lostUnsynced().value()).as("lost unsynced")
                .isLessThanOrEqualTo(ceiling.storage().lostUnsynced().value());
        assertThat(p.storage().tornUnsynced().value()).isLessThanOrEqualTo(ceiling.storage().tornUnsynced().value());
        assertThat(p.storage().readError().value()).isLessThanOrEqualTo(ceiling.storage().readError().value());
        assertThat(p.storage().corruption().value()).isLessThanOrEqualTo(ceiling.storage().corruption().value());
        assertThat(p.buggify()).isIn(false, ceiling.buggify());
        assertThat(p.network().latency()).isIn(NetworkModel.DEFAULT_LATENCY, ceiling.network().latency());
        assertThat(p.tick()).isEqualTo(ceiling.tick());
        if (!p.network().partitions().never()) {
            assertThat(p.network().partitionDuration()).isEqualTo(ceiling.network().partitionDuration());
        }
        if (!p.process().crashes().never()) {
            assertThat(p.process().restartDelay()).isEqualTo(ceiling.process().restartDelay());
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
            crashes.add(p.process().crashes().never());
            dropLevels.add(p.network().drop().value());
        }
        assertThat(picks).as("distinct profiles picked by 200 seeds").hasSizeGreaterThan(100);
        assertThat(crashes).containsExactlyInAnyOrder(true, false);
        // Off, or the ceiling's 1% at full, half or quarter intensity.
        assertThat(dropLevels).containsExactlyInAnyOrder(0.0, 0.01, 0.005, 0.0025);
    }

    @Property(tries = 200)
    void aSeedAlwaysPicksTheSameProfile(@ForAll long seed) {
        ChoiceStream a = ChoiceSource.seeded().recorded().open(Seed.of(seed));
        ChoiceStream b = ChoiceSource.seeded().recorded().open(Seed.of(seed));
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
            NetworkFaults n = p.network();
            boolean[] on = {!n.drop().never(), !n.duplicate().never(), n.reorder(), !n.partitions().never(),
                !n.clogging().never(), !p.process().crashes().never(), !p.process().pauses().never(),
                !p.clock().skewMax().isZero(), p.buggify()};
            for (int k = 0; k < on.length; k++) {
                seen[2 * k + (on[k] ? 1 : 0)] = true;
            }
        }
        for (int i = 0; i < seen.length; i++) {
            assertThat(seen[i]).as("kind %d %s", i / 2, i % 2 == 1 ? "on" : "off").isTrue();
        }
    }
}
