package dev.parigot.sim.kernel;

import static dev.parigot.sim.kernel.FaultWorlds.ECHO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parigot.sim.faults.FaultProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What invariants and failure records need from a world: parameters, digests, listeners, errors in test code. */
class WorldApiForInvariantsTest {

    @Test
    void parametersComeFromTheConfigurationThenSystemPropertiesThenTheDefaultAndAreRecordedWithTheFailure() {
        System.setProperty("worldapi.from.property", "prop");
        try {
            Sim sim = Sim.create(Guests.config(1).parameter("worldapi.given", "given").build());
            assertThat(sim.parameter("worldapi.given", "default")).isEqualTo("given");
            assertThat(sim.parameter("worldapi.from.property", "default")).isEqualTo("prop");
            assertThat(sim.parameter("worldapi.absent", "default")).isEqualTo("default");
            assertThat(sim.parametersRead()).containsExactly(
                    java.util.Map.entry("worldapi.given", "given"),
                    java.util.Map.entry("worldapi.from.property", "prop"),
                    java.util.Map.entry("worldapi.absent", "default"));
            sim.add(ECHO);
            assertThatThrownBy(() -> sim.verify("fails", () -> {
                throw new AssertionError("no");
            })).isInstanceOf(SimFailureException.class);
            SimFailure failure = sim.failure().orElseThrow();
            assertThat(failure.parameters()).containsEntry("worldapi.absent", "default").hasSize(3);
            assertThat(failure.modules()).containsExactly(java.util.Map.entry("echo", ECHO.digest()));
            assertThat(failure.describe()).contains("parameters: worldapi.given=given worldapi.from.property=prop"
                    + " worldapi.absent=default").contains("modules (sha-256): echo=" + ECHO.digest().substring(0, 16));
        } finally {
            System.clearProperty("worldapi.from.property");
        }
    }

    @Test
    void oneParameterReadWithTwoDefaultsIsAnError() {
        Sim sim = Sim.create(Guests.config(1).build());
        sim.parameter("worldapi.twice", "a");
        assertThat(sim.parameter("worldapi.twice", "a")).isEqualTo("a");
        assertThatThrownBy(() -> sim.parameter("worldapi.twice", "b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("parameter 'worldapi.twice' read twice with different defaults ('a', then 'b')");
    }

    @Test
    void stepAndLogListenersHearEveryStepAndLineOnceInOrderEvenPastTheKeptWindow() {
        Sim sim = Sim.create(Guests.config(3).logLinesKept(2).traceStepsKept(4).build());
        sim.add(ECHO);
        TestClient client = sim.client("client");
        List<Long> steps = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        sim.onStep(step -> steps.add(step.step()));
        sim.onLog(line -> lines.add(line.text()));
        for (int i = 0; i < 5; i++) {
            client.call("test.v1.Echo", "Echo", new byte[] {(byte) i});
            client.log(LogLine.Level.INFO, "sent " + i);
        }
        sim.run();
        List<Long> expected = new ArrayList<>();
        for (long s = 1; s <= sim.trace().steps(); s++) {
            expected.add(s);
        }
        assertThat(steps).isEqualTo(expected);
        assertThat(lines).contains("sent 0", "sent 4");
        assertThat(lines.stream().filter(l -> l.startsWith("sent ")).toList())
                .containsExactly("sent 0", "sent 1", "sent 2", "sent 3", "sent 4");
        assertThat(sim.log()).hasSize(2); // the kept window is small; the listener heard everything
    }

    @Test
    void anExceptionInAnInvariantIsAnErrorInTestCodeWithItsStackNotAViolation() {
        Sim sim = Sim.create(Guests.config(1).build());
        sim.add(ECHO);
        TestClient client = sim.client("client");
        sim.invariant("reads a map", () -> {
            String missing = null;
            missing.length();
        });
        assertThatThrownBy(() -> { // boot is the first step: the invariant already throws there
            client.call("test.v1.Echo", "Echo", new byte[] {1});
            sim.run();
        }).isInstanceOf(SimFailureException.class).hasCauseInstanceOf(NullPointerException.class);
        SimFailure failure = sim.failure().orElseThrow();
        assertThat(failure.kind()).isEqualTo(FailureKind.TEST_CODE);
        assertThat(failure.reason()).startsWith("the invariant \"reads a map\" threw java.lang.NullPointerException")
                .contains("an error in the test's own check, not a violation");
    }

    @Test
    void anAssertionErrorInAnInvariantIsAViolation() {
        Sim sim = Sim.create(Guests.config(1).build());
        sim.add(ECHO);
        TestClient client = sim.client("client");
        sim.invariant("never any step", () -> {
            if (sim.steps() > 1) {
                throw new AssertionError("a step happened");
            }
        });
        client.call("test.v1.Echo", "Echo", new byte[] {1});
        assertThatThrownBy(sim::run).isInstanceOf(SimFailureException.class);
        assertThat(sim.failure().orElseThrow().kind()).isEqualTo(FailureKind.INVARIANT);
        assertThat(sim.failure().orElseThrow().reason()).isEqualTo("invariant \"never any step\" violated: a step happened");
    }

    @Test
    void anExceptionInAVerifiedCheckIsAnErrorInTestCodeButAFailedCallIsAFailedAssertion() {
        Sim sim = Sim.create(Guests.config(1).build());
        sim.add(ECHO);
        assertThatThrownBy(() -> sim.verify("parses", () -> Integer.parseInt("x")))
                .isInstanceOf(SimFailureException.class).hasCauseInstanceOf(NumberFormatException.class);
        assertThat(sim.failure().orElseThrow().kind()).isEqualTo(FailureKind.TEST_CODE);
        assertThat(sim.failure().orElseThrow().reason()).startsWith("the check \"parses\" threw"
                + " java.lang.NumberFormatException");
    }

    @Test
    void aThrowingStepListenerFailsTheWorldAsTestCode() {
        Sim sim = Sim.create(Guests.config(1).build());
        sim.add(ECHO);
        TestClient client = sim.client("client");
        sim.onStep(step -> {
            throw new IllegalStateException("listener bug");
        });
        assertThatThrownBy(() -> {
            client.call("test.v1.Echo", "Echo", new byte[] {1});
            sim.run();
        }).isInstanceOf(SimFailureException.class);
        assertThat(sim.failure().orElseThrow().kind()).isEqualTo(FailureKind.TEST_CODE);
        assertThat(sim.failure().orElseThrow().reason()).contains("a step listener threw"
                + " java.lang.IllegalStateException: listener bug at step 1");
    }

    @Test
    void theFailureReportListsEveryNodesDrawnClockSkewAndDrift() {
        FaultProfile clocks = FaultProfile.builder()
                .clock(c -> c.skewMax(Duration.ofMillis(50)).driftPpmMax(200)).build();
        Sim sim = Sim.create(Guests.config(7).faults(clocks).build());
        sim.add(ECHO);
        assertThatThrownBy(() -> sim.verify("fails", () -> {
            throw new AssertionError("no");
        })).isInstanceOf(SimFailureException.class);
        assertThat(sim.failure().orElseThrow().faultContext()).anySatisfy(line ->
                assertThat(line).startsWith("clocks: echo skew ").contains(" ppm"));
    }

    @Test
    void aReplayAgainstChangedModuleBytesSaysSoInOneLineAtBoot() {
        Sim same = Sim.create(Guests.config(1).expectModule("echo", ECHO.digest().substring(0, 12)).build());
        same.add(ECHO).boot();
        assertThat(same.modulesChanged()).isEmpty();
        Sim changed = Sim.create(Guests.config(1).expectModule("echo", "0123456789abcdef").build());
        changed.add(ECHO).boot();
        assertThat(changed.modulesChanged()).hasValue("replaying against changed module bytes (node 'echo' runs module "
                + ECHO.digest().substring(0, 16) + ", the failure ran 0123456789abcdef): the run may not follow the"
                + " recorded failure");
        assertThat(changed.log()).anySatisfy(line -> assertThat(line.text()).startsWith("replaying against changed"));
        assertThatThrownBy(() -> Guests.config(1).expectModule("echo", "xyz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be at least 8 hex digits");
    }
}
