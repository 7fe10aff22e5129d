package dev.parigot.sim.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.kernel.StepKind;
import org.junit.jupiter.api.Test;

class PingPongSimTest {
    @Test
    void pingCompletesEveryRoundTripAndEachIsTwoSteps() {
        Sim sim = Sim.create(SimConfig.builder().echoLog(false).build());
        assertThat(PingPongSample.rounds(sim, 1_000)).isEqualTo(1_000);
        // 2 ready steps, the driver's call, 1000 x (call + result), the reply to the driver.
        assertThat(sim.steps()).isEqualTo(2 + 1 + 2_000 + 1);
        assertThat(sim.trace().last(3)).extracting(s -> s.kind())
                .containsExactly(StepKind.CALL, StepKind.RESULT, StepKind.RESULT);
    }
}
