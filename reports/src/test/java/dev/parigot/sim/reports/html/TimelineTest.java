package dev.parigot.sim.reports.html;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parigot.sim.faults.InjectedFault;
import dev.parigot.sim.kernel.NodeOptions;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.kernel.StepKind;
import dev.parigot.sim.kernel.Trace;
import dev.parigot.sim.scheduler.Seed;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A timeline is the run as the public kernel API tells it: lanes, steps, payloads, faults, log, failure. */
class TimelineTest {

    @Test
    void failingBankRunGivesKernelAndNodeLanesInWorldOrderEveryStepAndTheFailure() {
        BankWorld w = BankWorld.failingRun(1);
        Timeline t = Timeline.of(w.sim, "BankTest.noDepositIsLost", "mvn test -Dparigot.seed=1",
                PayloadDecoder.of(BankWorld.BANK_PROTO));

        assertThat(t.lanes()).extracting(Timeline.Lane::node)
                .containsExactly("kernel", "store", "bank", "auditor", "clock", "alice", "bob");
        assertThat(t.lanes().get(2).services()).containsExactly("bank.v1.Bank");
        assertThat(t.stepsTotal()).isEqualTo(w.sim.trace().steps());
        assertThat(t.stepsNotKept()).isZero();
        assertThat(t.steps()).hasSize((int) t.stepsTotal());
        assertThat(t.steps().get(0).number()).isEqualTo(1);
        assertThat(t.seed()).isEqualTo(w.sim.seed().toString());
        assertThat(t.strategy()).isEqualTo(w.sim.config().strategyName());
        assertThat(t.failed()).hasValueSatisfying(f -> {
            assertThat(f.kind()).isEqualTo("INVARIANT");
            assertThat(f.reason()).contains("no acknowledged deposit is lost");
            assertThat(f.step()).isEqualTo(t.stepsTotal());
        });
    }

    @Test
    void callsAndResultsCarryTheirDecodedPayloads() {
        BankWorld w = BankWorld.failingRun(1);
        Timeline t = Timeline.of(w.sim, "bank", "", PayloadDecoder.of(BankWorld.BANK_PROTO));

        Timeline.Step deposit = t.steps().stream()
                .filter(s -> s.kind() == StepKind.CALL && s.method().equals("bank.v1.Bank/Deposit")).findFirst()
                .orElseThrow();
        assertThat(deposit.payloadType()).isEqualTo("bank.v1.DepositRequest");
        assertThat(deposit.payload()).contains("account: \"shared\"").containsPattern("amount: (10|20)");
        Timeline.Step reply = t.steps().stream()
                .filter(s -> s.kind() == StepKind.RESULT && s.method().equals("bank.v1.Bank/Deposit")).findFirst()
                .orElseThrow();
        assertThat(reply.payloadType()).isEqualTo("bank.v1.DepositReply");
        assertThat(reply.status()).isEqualTo("OK");
        assertThat(reply.payload()).startsWith("balance: ");
    }

    @Test
    void everyInjectedFaultIsTiedToTheStepItBecame() {
        BankWorld w = BankWorld.failingRun(1);
        Timeline t = Timeline.of(w.sim, "bank", "");

        assertThat(t.faults()).extracting(Timeline.Fault::kind).containsExactly(InjectedFault.Kind.PAUSE,
                InjectedFault.Kind.RESUME, InjectedFault.Kind.PARTITION, InjectedFault.Kind.HEAL,
                InjectedFault.Kind.CRASH, InjectedFault.Kind.RESTART, InjectedFault.Kind.CLOG);
        for (Timeline.Fault f : t.faults()) {
            Timeline.Step step = t.steps().get((int) f.step() - 1);
            assertThat(step.kind().name()).isEqualTo(f.kind().name());
            assertThat(step.timeNanos()).isEqualTo(f.timeNanos());
            assertThat(step.detail()).isEqualTo(f.detail());
            assertThat(step.method()).isEmpty();
        }
        assertThat(t.logs()).anySatisfy(l -> {
            assertThat(l.node()).isEqualTo("bank");
            assertThat(l.text()).isEqualTo(BankWorld.NASTY_LOG);
        });
    }

    @Test
    void aTraceThatKeptOnlyItsLastStepsSaysHowManyCameBefore() {
        Sim sim = Sim.create(SimConfig.builder().seed(3).echoLog(false).traceStepsKept(5).build());
        dev.parigot.sim.kernel.TestClient c = sim.client("c");
        sim.client("d");
        sim.boot();
        sim.partition(List.of("c"), List.of("d"));
        sim.heal();
        for (int i = 0; i < 8; i++) {
            c.schedule(Duration.ofMillis(i + 1), () -> { });
        }
        sim.run();
        Trace trace = sim.trace();

        Timeline t = Timeline.of(sim, "kept", "");

        assertThat(trace.retains(1)).isFalse();
        assertThat(t.stepsNotKept()).isEqualTo(trace.steps() - 5);
        assertThat(t.steps()).hasSize(5).allMatch(s -> s.kind() == StepKind.TIMER);
        assertThat(t.steps().get(0).number()).isEqualTo(t.stepsNotKept() + 1);
        assertThat(t.faults()).extracting(Timeline.Fault::step).containsExactly(0L, 0L);
        assertThat(t.steps().get(0).payload()).isEmpty();
    }

    @Test
    void payloadsNotKeptAreSaidToBeNotKept() {
        Sim sim = Sim.create(SimConfig.builder().seed(1).echoLog(false).build());
        sim.add("echo", dev.parigot.sim.kernel.JavaService.builder("t.Echo")
                .rawMethod("Echo", (bytes, call) -> call.reply(dev.parigot.sim.kernel.Status.OK, bytes)).build());
        sim.await(sim.client("c").call("t.Echo", "Echo", new byte[] {1, 2, 3}));

        Timeline t = Timeline.of(sim, "echo", "");

        assertThat(t.payloadsKept()).isFalse();
        assertThat(t.steps()).filteredOn(s -> s.kind() == StepKind.CALL).singleElement()
                .satisfies(s -> assertThat(s.payload()).isEqualTo("3 bytes (not kept: run with SimConfig"
                        + " tracePayloads(true))"));
    }

    @Test
    void missingPartsAreRefusedWithASentence() {
        assertThatThrownBy(() -> Timeline.of(null, "t", "")).hasMessageContaining("no world");
        assertThatThrownBy(() -> new Timeline("t", "1", "s", null, null, 0, 0, false, List.of(), List.of(), List.of(),
                List.of())).hasMessage("replayCommand is missing (null); give \"\" for none");
        assertThatThrownBy(() -> new Timeline("t", "1", "s", "", null, 3, 4, false, List.of(), List.of(), List.of(),
                List.of())).hasMessageContaining("stepsNotKept 4 is outside 0..3");
    }

    @Test
    void theKernelsOwnProcessIsTheKernelLaneNotASecondOne() {
        // A crash with a restart after a while schedules the restart on the kernel's own process.
        Sim sim = Sim.create(SimConfig.builder().seed(Seed.of(5)).build())
                .add(BankWorld.ECHO, NodeOptions.named("auditor"));
        sim.boot();
        sim.crash("auditor", Duration.ofMillis(2));
        sim.runFor(Duration.ofMillis(5));
        assertThat(sim.nodes()).contains(Timeline.KERNEL);

        Timeline t = Timeline.of(sim, "restart", "mvn test");

        assertThat(t.lanes()).extracting(Timeline.Lane::node).containsExactly(Timeline.KERNEL, "auditor");
        assertThat(t.faults()).extracting(Timeline.Fault::kind).contains(InjectedFault.Kind.CRASH, InjectedFault.Kind.RESTART);
    }
}
