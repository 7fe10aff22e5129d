package dev.parigot.sim.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class SeedTest {

    @Property
    void textFormRoundTripsEverySeed(@ForAll long value) {
        Seed seed = Seed.of(value);
        assertThat(Seed.parse(seed.toString())).isEqualTo(seed);
        assertThat(seed.toString()).matches("0x[0-9a-f]{16}");
    }

    @Property
    void unsignedDecimalParsesToTheSameSeed(@ForAll long value) {
        assertThat(Seed.parse(Long.toUnsignedString(value))).isEqualTo(Seed.of(value));
    }

    @Test
    void printsSixteenHexDigits() {
        assertThat(Seed.of(42).toString()).isEqualTo("0x000000000000002a");
        assertThat(Seed.of(0).toString()).isEqualTo("0x0000000000000000");
        assertThat(Seed.of(-1).toString()).isEqualTo("0xffffffffffffffff");
        assertThat(Seed.of(0x5eed000000000000L).toString()).isEqualTo("0x5eed000000000000");
        assertThat(Seed.parse("0x5eed00000000002a").value()).isEqualTo(0x5eed00000000002aL);
        assertThat(Seed.parse(" 0x2A ").value()).isEqualTo(42);
    }

    @Test
    void badTextNamesTheTextAndTheAcceptedForms() {
        for (String bad : new String[] {"", "0x", "0xzz", "-1", "seed", "0x11112222333344445", "1.5"}) {
            assertThatThrownBy(() -> Seed.parse(bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "' is not a seed")
                    .hasMessageContaining("0x followed by 1 to 16 hex digits");
        }
    }
}
