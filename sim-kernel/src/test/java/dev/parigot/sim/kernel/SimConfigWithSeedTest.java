package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.scheduler.ChoiceSource;
import dev.parigot.sim.scheduler.Seed;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** withSeed copies every setting but the seed, as toBuilder().seed(...).build() does. */
class SimConfigWithSeedTest {
    @Test
    void withSeedKeepsEverySettingButTheSeed() throws Exception {
        SimConfig config = SimConfig.builder().seed(3).strategy("pct:2").faults(FaultProfile.defaults()).swarm(true)
                .stepsMax(1234).virtualTimeMax(Duration.ofSeconds(7)).payloadBytesLimit(999).memoryBytesMax(1 << 20)
                .handlerWallMillisMax(77).logLinesKept(11).traceStepsKept(22).failureStepsShown(3)
                .failureLogLinesShown(4).echoLog(false).snapshots(false).choices(ChoiceSource.seeded().recorded())
                .parameter("p", "v").expectModule("n", "0123456789abcdef").build();
        SimConfig fast = config.withSeed(Seed.of(42));
        SimConfig built = config.toBuilder().seed(Seed.of(42)).build();
        int compared = 0;
        for (Method m : SimConfig.class.getMethods()) {
            if (m.getParameterCount() != 0 || Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() == Object.class
                    || m.getName().equals("toBuilder") || m.getName().equals("newStrategy")) {
                continue;
            }
            assertThat(String.valueOf(m.invoke(fast))).as(m.getName()).isEqualTo(String.valueOf(m.invoke(built)));
            compared++;
        }
        assertThat(compared).isGreaterThan(15);
        assertThat(fast.seed()).isEqualTo(Seed.of(42));
    }
}
