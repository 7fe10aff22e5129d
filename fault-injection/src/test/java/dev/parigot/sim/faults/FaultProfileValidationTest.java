package dev.parigot.sim.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.function.DoubleConsumer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.junit.jupiter.api.Test;

/**
 * Bad input to a fault profile is refused where it is given, with an IllegalArgumentException
 * whose message names the setting and says what to write instead: probabilities outside 0..1,
 * negative or reversed durations, null values, impossible clock drift, and contradictory
 * storage settings.
 */
class FaultProfileValidationTest {
    private static final Duration MS = Duration.ofMillis(1);
    private static final String PROBABILITY_HINT = "use a number from 0 (never) to 1 (always)";

    /** Every probability setting of the builder, by the name its error must carry. */
    record Setting(String name, DoubleConsumer set) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Setting> probabilitySettings() {
        return List.of(
                new Setting("drop", v -> FaultProfile.builder().network(n -> n.drop(v))),
                new Setting("duplicate", v -> FaultProfile.builder().network(n -> n.duplicate(v))),
                new Setting("partitions", v -> FaultProfile.builder().network(n -> n.partitions(v))),
                new Setting("clogging", v -> FaultProfile.builder().network(n -> n.clogging(v))),
                new Setting("crashes", v -> FaultProfile.builder().process(p -> p.crashes(v))),
                new Setting("pauses", v -> FaultProfile.builder().process(p -> p.pauses(v))),
                new Setting("storage lost unsynced write", v -> FaultProfile.builder().storage(s -> s.lostUnsynced(v))),
                // Lost 0, so that torn 1 is allowed: the two share one chance.
                new Setting("storage torn unsynced write",
                        v -> FaultProfile.builder().storage(s -> s.lostUnsynced(0).tornUnsynced(v))),
                new Setting("storage read error", v -> FaultProfile.builder().storage(s -> s.readError(v))),
                new Setting("storage corruption", v -> FaultProfile.builder().storage(s -> s.corruption(v))),
                new Setting("latency tail probability", p -> Latency.longTail(1, 2, p, 3)));
    }

    @Provide
    Arbitrary<Setting> probabilitySetting() {
        return Arbitraries.of(probabilitySettings());
    }

    @Provide
    Arbitrary<Double> notAProbability() {
        return Arbitraries.oneOf(
                Arbitraries.doubles().between(-1e9, -1e-6).ofScale(6),
                Arbitraries.doubles().between(1.000001, 1e9).ofScale(6),
                Arbitraries.of(Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, -0.001, 1.001));
    }

    @Property(tries = 300)
    void everyProbabilityOutsideZeroToOneIsRefusedNamingItsSetting(
            @ForAll("probabilitySetting") Setting setting, @ForAll("notAProbability") double value) {
        assertThatThrownBy(() -> setting.set.accept(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(setting.name + " = " + value + " is not a probability")
                .hasMessageContaining(PROBABILITY_HINT);
    }

    @Property(tries = 300)
    void everyProbabilityFromZeroToOneIsAccepted(
            @ForAll("probabilitySetting") Setting setting, @ForAll @DoubleRange(min = 0, max = 0.5) double value) {
        // At most 0.5, so that storage lost + torn (two of these) never add up past 1.
        assertThatCode(() -> setting.set.accept(value)).doesNotThrowAnyException();
    }

    @Test
    void probabilityBoundsThemselvesAreAccepted() {
        for (Setting setting : probabilitySettings()) {
            assertThatCode(() -> setting.set.accept(0.0)).as(setting.name).doesNotThrowAnyException();
            assertThatCode(() -> setting.set.accept(1.0)).as(setting.name).doesNotThrowAnyException();
        }
    }

    /** Every duration range of the builder, by the name its error must carry. */
    interface RangeSetter {
        void set(Duration min, Duration max);
    }

    static List<Object[]> rangeSettings() {
        return List.of(
                new Object[] {"partition duration",
                    (RangeSetter) (a, b) -> FaultProfile.builder().network(n -> n.partitionDuration(a, b))},
                new Object[] {"clog duration",
                    (RangeSetter) (a, b) -> FaultProfile.builder().network(n -> n.clogDuration(a, b))},
                new Object[] {"restart delay",
                    (RangeSetter) (a, b) -> FaultProfile.builder().process(p -> p.restartDelay(a, b))},
                new Object[] {"pause duration",
                    (RangeSetter) (a, b) -> FaultProfile.builder().process(p -> p.pauseDuration(a, b))});
    }

    @Test
    void negativeDurationsAreRefusedNamingTheSetting() {
        for (Object[] row : rangeSettings()) {
            String name = (String) row[0];
            RangeSetter setter = (RangeSetter) row[1];
            assertThatThrownBy(() -> setter.set(Duration.ofMillis(-1), MS)).as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(name + " [PT-0.001S, PT0.001S] is negative")
                    .hasMessageContaining("durations are zero or more");
            assertThatThrownBy(() -> setter.set(Duration.ofMillis(-5), Duration.ofMillis(-1))).as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(name + " ");
        }
    }

    @Test
    void reversedDurationRangesAreRefusedAskingToSwapThem() {
        for (Object[] row : rangeSettings()) {
            String name = (String) row[0];
            RangeSetter setter = (RangeSetter) row[1];
            assertThatThrownBy(() -> setter.set(Duration.ofMillis(50), Duration.ofMillis(5))).as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(name + " min PT0.05S is above max PT0.005S; swap them");
        }
    }

    @Test
    void missingDurationsAreRefusedNamingTheSettingNotWithANullPointer() {
        for (Object[] row : rangeSettings()) {
            String name = (String) row[0];
            RangeSetter setter = (RangeSetter) row[1];
            assertThatThrownBy(() -> setter.set(null, MS)).as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(name + " min is missing")
                    .hasMessageContaining("Duration.ofMillis");
            assertThatThrownBy(() -> setter.set(MS, null)).as(name)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(name + " max is missing");
        }
        assertThatThrownBy(() -> FaultProfile.builder().clock(c -> c.skewMax(null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("clock skew is missing");
        assertThatThrownBy(() -> FaultProfile.builder().tick(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("fault tick is missing");
    }

    @Test
    void durationsBeyondWhatNanosecondsCanCountAreRefused() {
        Duration ages = Duration.ofDays(365L * 1_000);
        assertThatThrownBy(() -> FaultProfile.builder().process(p -> p.restartDelay(MS, ages)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("restart delay max PT8760000H is too long")
                .hasMessageContaining("292 years");
        assertThatThrownBy(() -> FaultProfile.builder().clock(c -> c.skewMax(ages)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("clock skew PT8760000H is too long");
        assertThatThrownBy(() -> FaultProfile.builder().tick(ages))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("fault tick PT8760000H is too long");
    }

    @Test
    void equalMinAndMaxAreAOneValueRange() {
        assertThatCode(() -> FaultProfile.builder()
                .network(n -> n.partitions(1).partitionDuration(MS, MS)
                        .clogging(1).clogDuration(Duration.ZERO, Duration.ZERO))
                .process(p -> p.crashes(1).restartDelay(MS, MS).pauses(1).pauseDuration(MS, MS))
                .build()).doesNotThrowAnyException();
    }

    @Test
    void negativeClockSkewIsRefusedAskingForThePositiveLargestOffset() {
        assertThatThrownBy(() -> FaultProfile.builder().clock(c -> c.skewMax(Duration.ofMillis(-3))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("clock skew = PT-0.003S is negative; give the largest offset as a positive duration"
                        + " (nodes get offsets from -max to +max)");
        assertThatCode(() -> FaultProfile.builder().clock(c -> c.skewMax(Duration.ZERO))).doesNotThrowAnyException();
    }

    @Test
    void clockDriftOutsideZeroTo99999PpmIsRefused() {
        for (double bad : new double[] {-1, -0.001, 100_000, 1e9, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(() -> FaultProfile.builder().clock(c -> c.driftPpmMax(bad))).as("drift " + bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("clock drift = " + bad + " ppm is not valid")
                    .hasMessageContaining("use 0 to 99,999 parts per million");
        }
        assertThatCode(() -> FaultProfile.builder().clock(c -> c.driftPpmMax(0).driftPpmMax(99_999)))
                .doesNotThrowAnyException();
    }

    @Test
    void storageLostAndTornAddingUpPastOneIsAContradiction() {
        assertThatThrownBy(() -> FaultProfile.builder().storage(s -> s.lostUnsynced(0.7).tornUnsynced(0.5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("storage lost (0.7) + torn (0.5) unsynced write probabilities add up to"
                        + " more than 1")
                .hasMessageContaining("make them add up to 1 or less");
        assertThatCode(() -> FaultProfile.builder()
                .storage(s -> s.lostUnsynced(0.7).tornUnsynced(0.3).readError(1).corruption(1)))
                .doesNotThrowAnyException();
    }

    @Test
    void tickMustBePositive() {
        for (Duration bad : List.of(Duration.ZERO, Duration.ofNanos(-1), Duration.ofMillis(-10))) {
            assertThatThrownBy(() -> FaultProfile.builder().tick(bad)).as(bad.toString())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("fault tick = " + bad + " must be positive");
        }
        assertThat(FaultProfile.builder().tick(Duration.ofNanos(1)).build().tick()).isEqualTo(Duration.ofNanos(1));
    }

    @Test
    void nullLatencyIsRefusedSuggestingALatency() {
        assertThatThrownBy(() -> FaultProfile.builder().network(n -> n.latency(null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("latency must not be null")
                .hasMessageContaining("Latency.uniform");
    }

    @Test
    void negativeLatenciesAreRefusedNamingWhichOne() {
        assertThatThrownBy(() -> Latency.fixed(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("latency = -1 ns is negative; latencies are durations of zero or more");
        assertThatThrownBy(() -> Latency.uniform(-5, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("latency min = -5 ns is negative");
        assertThatThrownBy(() -> Latency.uniform(5, -10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("latency max = -10 ns is negative");
        assertThatThrownBy(() -> Latency.longTail(-1, 10, 0.1, 100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("latency min = -1 ns is negative");
        assertThatThrownBy(() -> NetworkModel.latency(-1, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("latency min = -1 ns is negative");
    }

    @Test
    void reversedLatencyWindowsAndACapBelowTheMaxAreRefused() {
        assertThatThrownBy(() -> Latency.uniform(2_000_000, 1_000_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("latency min 2.0 ms is above latency max 1.0 ms; swap them");
        assertThatThrownBy(() -> NetworkModel.latency(2_000, 1_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("swap them");
        assertThatThrownBy(() -> Latency.longTail(100_000, 1_000_000, 0.01, 500_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("latency tail cap 500.0 µs is below latency max 1.0 ms; the cap bounds the tail from"
                        + " above");
    }

    @Test
    void noneInjectsNothingAndDefaultsInjectEveryKind() {
        FaultProfile none = FaultProfile.NONE;
        assertThat(none.networkFaults()).isFalse();
        assertThat(none.ticking()).isFalse();
        assertThat(none.buggify()).isFalse();
        // The default storage behaviour (unsynced writes lost half the time at a crash) is not a fault to list.
        assertThat(none.describe()).isEqualTo("latency 100.0 µs to 1.0 ms");
        assertThat(FaultProfile.builder().build().networkFaults()).isFalse();

        FaultProfile all = FaultProfile.defaults();
        assertThat(all.networkFaults()).isTrue();
        assertThat(all.ticking()).isTrue();
        assertThat(all.buggify()).isTrue();
        assertThat(all.describe()).isEqualTo("default: latency 100.0 µs to 1.0 ms, tail 0.01000 up to 50.0 ms,"
                + " drop 0.01000, duplicate 0.005000, reorder; partitions 0.01000/tick for 20.0 ms..500.0 ms;"
                + " clogs 0.01000/tick for 5.0 ms..100.0 ms; crashes 0.005000/tick, restart after 10.0 ms..500.0 ms;"
                + " crash points any step 0.0005000, after a call 0.01000, after an unsynced write 0.03000, after a"
                + " reply 0.01000 (at most 3 crashes); at those points pause 0.005000, clog 0.005000;"
                + " pauses 0.005000/tick for 5.0 ms..200.0 ms; clock skew up to 50.0 ms, drift up to 5000 ppm;"
                + " storage: unsynced lost 0.5000, torn 0.1000, read errors 0.001000, corruption 0.0005000; buggify");
        assertThat(all.toString()).isEqualTo("FaultProfile[" + all.describe() + "]");
    }

    @Test
    void toBuilderKeepsEverySetting() {
        FaultProfile all = FaultProfile.defaults();
        assertThat(all.toBuilder().build().describe()).isEqualTo(all.describe());
        FaultProfile changed = all.toBuilder().network(n -> n.drop(0)).label("quiet").build();
        assertThat(changed.describe()).startsWith("quiet: ").doesNotContain("drop");
        assertThat(all.describe()).contains("drop 0.01000");
    }
}
