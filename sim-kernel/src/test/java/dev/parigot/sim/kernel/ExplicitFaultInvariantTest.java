package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A fault the test applies between steps is followed by an invariant check, like a step. */
class ExplicitFaultInvariantTest {

    @Test
    void anInvariantBrokenByAnExplicitCrashFailsTheWorldAtOnce() {
        Sim sim = Sim.create(Guests.config(1).build());
        sim.add(Guests.load("echo"), NodeOptions.named("e1"));
        sim.invariant("no fault injected", () -> sim.injectedFaults().isEmpty());
        sim.boot();
        assertThatThrownBy(() -> sim.crash("e1"))
                .isInstanceOf(SimFailureException.class)
                .hasMessageContaining("invariant \"no fault injected\" violated");
        assertThat(sim.failure().orElseThrow().kind()).isEqualTo(FailureKind.INVARIANT);
        assertThat(sim.failure().orElseThrow().lastSteps()).anyMatch(s -> s.kind() == StepKind.CRASH);
    }

    @Test
    void aCallHeldByAPauseThenLostInACrashDoesNotBlockItsLinkForever() {
        Sim sim = Sim.create(Guests.config(2).build());
        sim.add(Guests.load("echo"), NodeOptions.named("e1"));
        TestClient client = sim.client("c");
        SimFuture<byte[]> lost = client.call("test.v1.Echo", "Echo", new byte[] {1});
        sim.pause("e1");
        sim.crash("e1");
        sim.restart("e1");
        SimFuture<byte[]> later = client.call("test.v1.Echo", "Echo", new byte[] {2});
        sim.run();
        assertThat(lost.isDone()).as("the call held by the pause died with the process").isFalse();
        assertThat(later.get()).containsExactly(2);
        assertThat(sim.trace().last(50)).anyMatch(s -> s.kind() == StepKind.DISCARD);
    }

    @Test
    void anExplicitPartitionIsCheckedToo() {
        Sim sim = Sim.create(Guests.config(1).build());
        sim.add(Guests.load("echo"), NodeOptions.named("e1"));
        sim.client("c");
        sim.invariant("never partitioned", () -> sim.injectedFaults().stream()
                .noneMatch(f -> f.kind() == dev.parigot.sim.faults.InjectedFault.Kind.PARTITION));
        sim.boot();
        assertThatThrownBy(() -> sim.partition(List.of("e1"), List.of("c")))
                .hasMessageContaining("invariant \"never partitioned\" violated");
    }
}
