package dev.parigot.sim.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.Sim;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code parigot.profile=nightly}: a long sweep's defaults, under explicit settings and over the annotation. */
class ProfileSettingsTest {
    private static ParigotSimTest annotation(Class<?> type, String method) throws Exception {
        Method m = type.getDeclaredMethod(method, Sim.class);
        return m.getAnnotation(ParigotSimTest.class);
    }

    private static Settings settings(ParigotSimTest a, Map<String, String> config) {
        return Settings.of(a, key -> Optional.ofNullable(config.get(key)), config.keySet(), Map.of());
    }

    @Test
    void nightlyMakesALongSweepWithSwarmedFaultsABudgetProgressAndShrinking() throws Exception {
        Settings s = settings(annotation(Fixtures.LostUpdate.class, "depositsAreNotLost"),
                Map.of(Settings.PROFILE, "nightly"));
        assertThat(s.seeds).isEqualTo(1_000_000);
        assertThat(s.world.faults()).isEqualTo("swarm");
        assertThat(s.world.strategy()).isEqualTo("mix");
        assertThat(s.timeBudget).isEqualTo(Duration.ofHours(1));
        assertThat(s.progressSeconds).isEqualTo(60);
        assertThat(s.shrink).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.inForce(s.world, s.firstSeed)).containsEntry(Settings.PROFILE, "nightly");
    }

    @Test
    void explicitSettingsWinOverTheProfileAndTheProfileOverTheAnnotation() throws Exception {
        Settings s = settings(annotation(Fixtures.AnnotatedFaults.class, "everyAcknowledgedIncrementCountsOnce"),
                Map.of(Settings.PROFILE, "nightly", Settings.SEEDS, "500", Settings.SHRINK, "off"));
        assertThat(s.seeds).isEqualTo(500);
        assertThat(s.shrink).isZero();
        assertThat(s.world.strategy()).as("the profile's strategy over the annotation's pct:3").isEqualTo("mix");
        assertThat(s.world.faults()).isEqualTo("swarm");
    }

    @Test
    void aMethodsOwnFaultProfileIsSwarmed() {
        assertThat(Settings.swarmOf("none")).isEqualTo("swarm");
        assertThat(Settings.swarmOf("default")).isEqualTo("swarm");
        assertThat(Settings.swarmOf("lossy")).isEqualTo("swarm:lossy");
        assertThat(Settings.swarmOf("swarm:lossy")).isEqualTo("swarm:lossy");
    }

    @Test
    void anUnknownProfileIsRefusedNamingTheOnesThereAre() throws Exception {
        ParigotSimTest a = annotation(Fixtures.LostUpdate.class, "depositsAreNotLost");
        assertThatThrownBy(() -> settings(a, Map.of(Settings.PROFILE, "weekly")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("parigot.profile=weekly is not valid")
                .hasMessageContaining("'nightly'");
    }

    @Test
    void aReplayNeedsTheSeedItsChoicesCameFrom() throws Exception {
        ParigotSimTest a = annotation(Fixtures.LostUpdate.class, "depositsAreNotLost");
        assertThatThrownBy(() -> settings(a, Map.of(Settings.REPLAY, "x.shrunk.choices")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("give that seed too, parigot.seed=");
        assertThatThrownBy(() -> settings(a, Map.of(Settings.SHRINK, "soon")))
                .isInstanceOf(SettingsException.class).hasMessageContaining("parigot.shrink=soon is not valid");
    }
}
