package dev.parigot.sim.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The console hint for a test JVM that leaves large guest functions to its bytecode interpreter. */
class HugeMethodsHintTest {

    @Test
    void aJvmWithTheDefaultSaysWhatToAddAndWhere() {
        assertThat(ParigotSimEngine.hugeMethodsHint(Optional.of(true))).hasValueSatisfying(line -> assertThat(line)
                .startsWith("[parigot] this test JVM runs large guest functions")
                .contains("add -XX:-DontCompileHugeMethods to the test JVM (Surefire's <argLine>"));
    }

    @Test
    void aJvmWithTheFlagOrWithoutHotSpotsBeanSaysNothing() {
        assertThat(ParigotSimEngine.hugeMethodsHint(Optional.of(false))).isEmpty();
        assertThat(ParigotSimEngine.hugeMethodsHint(Optional.empty())).isEmpty();
    }
}
