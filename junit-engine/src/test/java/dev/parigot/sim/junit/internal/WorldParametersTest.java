package dev.parigot.sim.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.Sim;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which configuration parameters become the worlds' parameters. Surefire passes every system
 * property of the test JVM as a configuration parameter (class paths, its own command line with a
 * timestamp, the working directory); none of those may become a parameter of the test's, or the
 * shards of one sweep could never be merged.
 */
class WorldParametersTest {

    @Test
    void systemPropertiesAreNotTheTestsParametersButConfigurationParametersAndTheAnnotationsAre() throws Exception {
        ParigotSimTest a = Fixtures.AnnotatedFaults.class.getDeclaredMethod("everyAcknowledgedIncrementCountsOnce", Sim.class)
                .getAnnotation(ParigotSimTest.class);
        Map<String, String> config = new LinkedHashMap<>();
        // What Surefire's fork passes: the JVM's system properties.
        for (String name : new String[] {"java.class.path", "user.dir", "java.version", "sun.java.command"}) {
            if (System.getProperty(name) != null) {
                config.put(name, System.getProperty(name));
            }
        }
        config.put("from.a.properties.file", "7");
        Settings s = Settings.of(a, key -> Optional.ofNullable(config.get(key)), config.keySet(), Map.of());

        assertThat(s.world.parameters()).containsEntry("from.a.properties.file", "7")
                .containsEntry("counter.increments", "40")
                .doesNotContainKeys("java.class.path", "user.dir", "java.version", "sun.java.command");
    }
}
