package dev.parigot.sim.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A guest that traps ends its unit's world: the caller hears UNAVAILABLE, later callers too, and the unit says why. */
class FailedWorldTest {

    @Test
    void aTrapEndsTheUnitAndEveryCallerGetsUnavailableInsteadOfWaiting() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Path trap = Path.of("..", "sim-kernel", "src", "test", "resources", "guests", "trap.wasm");
        try (UnitHost unit = UnitHost.builder("trap").node(UnitNode.of(trap, "trap")).log(log::add).start()) {
            ManagedChannel channel = Modules.channel(unit.target());
            try {
                StatusRuntimeException boom = catchThrowableOfType(StatusRuntimeException.class,
                        () -> Modules.call(channel, "test.v1.Trap/Boom", new byte[0]));
                String failure = unit.ended().get(20, TimeUnit.SECONDS);
                StatusRuntimeException later = catchThrowableOfType(StatusRuntimeException.class,
                        () -> Modules.call(channel, "test.v1.Trap/Boom", new byte[0]));

                assertThat(boom.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
                assertThat(boom.getStatus().getDescription()).startsWith("unit trap has stopped: ");
                assertThat(failure).contains("trap");
                assertThat(later.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
                assertThat(List.copyOf(log)).anyMatch(l -> l.startsWith("unit trap stopped: its world failed: "));
            } finally {
                Modules.close(channel);
            }
        }
    }
}
