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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A guest that traps, never returns, recurses without end or eats its memory ends its unit's
 * world: the caller hears UNAVAILABLE, later callers too, the unit says why, and the process
 * (the JVM) is not harmed.
 */
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
                // The reason, not the simulation's headline (no seed, no steps).
                assertThat(boom.getStatus().getDescription()).startsWith("unit trap has stopped: ")
                        .contains("trap").doesNotContain("seed 0x").doesNotContain("steps");
                assertThat(failure).contains("trap");
                assertThat(later.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
                assertThat(List.copyOf(log)).anyMatch(l -> l.startsWith("unit trap stopped: its world failed: "));
            } finally {
                Modules.close(channel);
            }
        }
    }

    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource({
        "hang, test.v1.Hang/Spin, did not return from parigot_on_call",
        "recurse, test.v1.Recurse/Deep, unbounded recursion",
        "grow, test.v1.Grow/Eat, its memory:",
    })
    void aHostileGuestEndsItsUnitWithAReasonAndTheCallerIsNotLeftWaiting(String guest, String method, String reason)
            throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        Path module = Path.of("..", "sim-kernel", "src", "test", "resources", "guests", guest + ".wasm");
        try (UnitHost unit = UnitHost.builder(guest).node(UnitNode.of(module, guest)).log(log::add).start()) {
            ManagedChannel channel = Modules.channel(unit.target());
            try {
                // A hang is noticed after the world's handler limit (5 s by default), in wall-clock time.
                StatusRuntimeException caller = catchThrowableOfType(StatusRuntimeException.class,
                        () -> Modules.call(channel, method, new byte[0]));
                String failure = unit.ended().get(30, TimeUnit.SECONDS);

                assertThat(caller.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.UNAVAILABLE);
                assertThat(failure).contains(reason);
                assertThat(List.copyOf(log)).anyMatch(l -> l.startsWith("unit " + guest + " stopped: its world failed: "));
            } finally {
                Modules.close(channel);
            }
        }
        // The JVM goes on: another unit of the same module starts and serves.
        try (UnitHost again = UnitHost.builder(guest + "-again").node(UnitNode.of(module, guest)).log(line -> { })
                .start()) {
            assertThat(again.ended()).isNotDone();
        }
    }

    @Test
    void aUnitsHandlerTimeLimitIsItsOwnToSet() throws Exception {
        Path module = Path.of("..", "sim-kernel", "src", "test", "resources", "guests", "hang.wasm");
        try (UnitHost unit = UnitHost.builder("hang").node(UnitNode.of(module, "hang")).log(line -> { })
                .handlerTimeMax(java.time.Duration.ofMillis(300)).start()) {
            ManagedChannel channel = Modules.channel(unit.target());
            try {
                catchThrowableOfType(StatusRuntimeException.class, () -> Modules.call(channel, "test.v1.Hang/Spin",
                        new byte[0]));
                assertThat(unit.ended().get(30, TimeUnit.SECONDS)).contains("within 300 ms of wall-clock time");
            } finally {
                Modules.close(channel);
            }
        }
        assertThat(new Launcher.DurationConverter().convert("250ms")).isEqualTo(java.time.Duration.ofMillis(250));
        assertThat(new Launcher.DurationConverter().convert("PT2S")).isEqualTo(java.time.Duration.ofSeconds(2));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Launcher.DurationConverter().convert("soon"))
                .hasMessageContaining("'soon' is not a duration");
    }
}
