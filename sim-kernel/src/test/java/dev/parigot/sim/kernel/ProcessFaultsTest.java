package dev.parigot.sim.kernel;

import static dev.parigot.sim.kernel.FaultWorlds.ECHO;
import static dev.parigot.sim.kernel.FaultWorlds.HANDMADE;
import static dev.parigot.sim.kernel.FaultWorlds.MISUSE;
import static dev.parigot.sim.kernel.FaultWorlds.assertFaultsAreTraceSteps;
import static dev.parigot.sim.kernel.FaultWorlds.assertReported;
import static dev.parigot.sim.kernel.FaultWorlds.config;
import static dev.parigot.sim.kernel.FaultWorlds.faults;
import static dev.parigot.sim.kernel.FaultWorlds.i64;
import static dev.parigot.sim.kernel.FaultWorlds.steps;
import static dev.parigot.sim.kernel.FaultWorlds.twice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.faults.InjectedFault;
import dev.parigot.sim.faults.NetworkModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * Process faults: a crash loses the node's memory, timers and unanswered callers; anything
 * meant for the old incarnation is discarded; a restart is a fresh instance that starts and
 * becomes ready again; a pause holds a node's events and resume delivers them in order. Random
 * and explicit faults are trace steps, reported, and replay from the seed.
 */
class ProcessFaultsTest {

    static long count(Sim sim, TestClient client) {
        return i64(sim.await(client.call(HandmadeGuest.SERVICE, "Count", new byte[0])));
    }

    // ------------------------------------------------------------------ explicit crash and restart

    @Test
    void aCrashedNodeHearsNothingAndRestartsFreshRunningStartAndReadyAgain() {
        FaultWorlds.Run<List<Long>> run = twice(config(1, FaultProfile.NONE).build(), sim -> {
            sim.add(HANDMADE);
            TestClient client = sim.client("client");
            List<Long> counts = new ArrayList<>();
            counts.add(count(sim, client));
            counts.add(count(sim, client));
            sim.crash("handmade");
            SimFuture<byte[]> lost = client.call(HandmadeGuest.SERVICE, "Count", new byte[0]);
            sim.run();
            assertThat(lost.isDone()).as("a call to a crashed node is never answered").isFalse();
            sim.restart("handmade");
            counts.add(count(sim, client));
            counts.add(count(sim, client));
            return counts;
        });
        Sim sim = run.sim();
        // The counter lived in the instance: the restarted node counts from 1 again.
        assertThat(run.result()).containsExactly(1L, 2L, 1L, 2L);
        assertThat(sim.injectedFaults()).extracting(InjectedFault::kind, InjectedFault::detail).containsExactly(
                tuple(InjectedFault.Kind.CRASH, "handmade"), tuple(InjectedFault.Kind.RESTART, "handmade"));
        List<TraceStep> s = steps(sim).stream().filter(x -> x.target().equals("handmade")).toList();
        assertThat(s).extracting(TraceStep::kind).containsSubsequence(StepKind.READY, StepKind.CALL, StepKind.CALL,
                StepKind.CRASH, StepKind.DISCARD, StepKind.RESTART, StepKind.READY, StepKind.CALL, StepKind.CALL);
        // The storage node the guest requires is ready once, at boot, before the guest.
        assertThat(FaultWorlds.steps(sim, StepKind.READY)).extracting(TraceStep::target)
                .containsExactly("storage", "handmade", "handmade");
        assertFaultsAreTraceSteps(sim);
        assertThat(assertReported(sim).describe()).contains(" CRASH handmade").contains(" RESTART handmade");
    }

    @Test
    void aCrashForgetsStateKeptInMemoryByACompiledGuest() {
        List<Long> seen = twice(config(2, FaultProfile.NONE).build(), sim -> {
            sim.add(ECHO).add(MISUSE);
            TestClient client = sim.client("client");
            List<Long> out = new ArrayList<>();
            out.add(i64(sim.await(client.call("test.v1.Misuse", "LastSecondReply", new byte[0]))));
            sim.await(client.call("test.v1.Misuse", "ReplyTwice", new byte[0]));
            out.add(i64(sim.await(client.call("test.v1.Misuse", "LastSecondReply", new byte[0]))));
            sim.crash("misuse", Duration.ofMillis(3));
            sim.runFor(Duration.ofMillis(5));
            out.add(i64(sim.await(client.call("test.v1.Misuse", "LastSecondReply", new byte[0]))));
            return out;
        }).result();
        // -1 until ReplyTwice stores 9 (FAILED_PRECONDITION) in a static; a fresh instance has -1 again.
        assertThat(seen).containsExactly(-1L, 9L, -1L);
    }

    @Test
    void callersOfACrashedNodeGetNoReplyAndResultsForItAreDiscarded() {
        Sim sim = twice(config(3, FaultProfile.NONE).build(), s -> {
            s.add(MISUSE).add("slow", FaultWorlds.slowEcho(5_000_000));
            TestClient client = s.client("client");
            SimFuture<byte[]> viaMisuse = client.call("test.v1.Misuse", "CallEcho", new byte[] {1, 2});
            // Misuse has passed the call on to the slow echo, which answers 5 ms later.
            s.runUntil(() -> steps(s).stream().anyMatch(t -> t.kind() == StepKind.CALL && t.target().equals("slow")));
            s.crash("misuse");
            s.restart("misuse");
            s.run();
            assertThat(viaMisuse.isDone()).as("the crashed incarnation's caller").isFalse();
            return null;
        }).sim();
        assertThat(sim.failure()).isEmpty();
        // The slow echo's answer was meant for the incarnation that crashed: discarded, not delivered.
        List<TraceStep> toMisuse = steps(sim).stream()
                .filter(t -> t.source().equals("slow") && t.target().equals("misuse")).toList();
        assertThat(toMisuse).extracting(TraceStep::kind).containsExactly(StepKind.DISCARD);
        assertFaultsAreTraceSteps(sim);
    }

    @Test
    void aCallSentBeforeItsCallerRestartedIsAnsweredToNobody() {
        // 5 ms each way: client -> misuse arrives at 5 ms, misuse -> echo at 10 ms. Misuse crashes and
        // restarts at 7 ms, while its call to echo is still on the wire.
        SimConfig cfg = Guests.config(4).network(NetworkModel.latency(5_000_000, 5_000_000)).build();
        Sim sim = twice(cfg, s -> {
            s.add(ECHO).add(MISUSE);
            TestClient client = s.client("client");
            SimFuture<byte[]> call = client.call("test.v1.Misuse", "CallEcho", new byte[] {7});
            s.runFor(Duration.ofMillis(7));
            s.crash("misuse");
            s.restart("misuse");
            s.run();
            assertThat(call.isDone()).isFalse();
            return null;
        }).sim();
        assertThat(steps(sim)).filteredOn(t -> t.source().equals("echo") && t.target().equals("misuse"))
                .extracting(TraceStep::kind, TraceStep::timeNanos)
                .containsExactly(tuple(StepKind.DISCARD, 15_000_000L));
        assertThat(sim.failure()).isEmpty();
    }

    @Test
    void crashingAJavaNodeIsRefusedClearlyAndCrashingACrashedNodeDoesNothing() {
        Sim sim = Sim.create(Guests.config(1).build());
        sim.add(ECHO).add("slow", JavaService.builder("test.v1.Slow").build());
        sim.client("client");
        assertThatThrownBy(() -> sim.crash("slow"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("only WASM nodes can crash; 'slow' is a Java service");
        assertThatThrownBy(() -> sim.crash("client"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("only WASM nodes can crash; 'client' is a test client");
        assertThatThrownBy(() -> sim.crash("nobody"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no node 'nobody' in this world; nodes: [echo, slow, client]");
        assertThatThrownBy(() -> sim.restart("echo"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("node 'echo' has not crashed (ready); only a crashed node can restart");
        assertThat(sim.isRunning("echo")).isTrue();
        sim.crash("echo");
        assertThat(sim.isRunning("echo")).isFalse();
        assertThat(sim.isCrashed("echo")).isTrue();
        sim.crash("echo"); // a crashed node: nothing happens, no second CRASH
        sim.crash("echo", Duration.ofMillis(1));
        assertThatThrownBy(() -> sim.pause("echo"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("node 'echo' is not running, or already paused");
        assertThat(sim.injectedFaults()).extracting(InjectedFault::kind).containsExactly(InjectedFault.Kind.CRASH);
        assertThat(sim.failure()).isEmpty();
    }

    @Test
    void aScheduledRestartOfANodeTheTestRestartedFirstDoesNothing() {
        Sim sim = twice(config(5, FaultProfile.NONE).build(), s -> {
            s.add(ECHO);
            TestClient client = s.client("client");
            s.crash("echo", Duration.ofMillis(5));
            s.restart("echo");
            s.runFor(Duration.ofMillis(10));
            s.await(client.call("test.v1.Echo", "Echo", new byte[] {1}));
            return null;
        }).sim();
        assertThat(sim.failure()).isEmpty();
        assertThat(sim.injectedFaults()).extracting(InjectedFault::kind)
                .containsExactly(InjectedFault.Kind.CRASH, InjectedFault.Kind.RESTART);
    }

    @Test
    void aRestartFromInsideAStepKeepsTheHangWatchdogOnTheWorld() throws Exception {
        // The restart runs guest code from within a client's timer; a hang after it must still be caught.
        GuestModule hang = Guests.load("hang");
        Sim sim = Sim.create(Guests.config(6).handlerWallMillisMax(200).build());
        sim.add(ECHO).add(hang);
        TestClient client = sim.client("client");
        sim.crash("echo");
        client.schedule(Duration.ofMillis(1), () -> {
            sim.restart("echo");
            client.call("test.v1.Hang", "Spin", new byte[0]);
        });
        Thread[] runner = new Thread[1];
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            Future<SimFailure> failed = executor.submit(() -> {
                runner[0] = Thread.currentThread();
                try {
                    sim.run();
                    return null;
                } catch (SimFailureException e) {
                    return e.failure();
                }
            });
            SimFailure failure;
            try {
                failure = failed.get(20, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                runner[0].interrupt(); // stop the spinning guest ourselves
                throw new AssertionError("the watchdog did not stop a hang after a restart inside a step", e);
            }
            assertThat(failure).isNotNull();
            assertThat(failure.kind()).isEqualTo(FailureKind.HANG);
        } finally {
            executor.shutdownNow();
        }
    }

    // ------------------------------------------------------------------ random crashes

    @Test
    void randomCrashesHitGuestsAndTheyComeBackReady() {
        FaultProfile crashing = FaultProfile.builder().label("crashy")
                .process(p -> p.crashes(0.5).restartDelay(Duration.ofMillis(2), Duration.ofMillis(4))).build();
        FaultWorlds.Run<List<Boolean>> run = twice(config(7, crashing).build(),
                sim -> NetworkFaultsTest.steadyTraffic(sim, 100));
        Sim sim = run.sim();
        List<InjectedFault> crashes = faults(sim, InjectedFault.Kind.CRASH);
        List<InjectedFault> restarts = faults(sim, InjectedFault.Kind.RESTART);
        assertThat(crashes).isNotEmpty().allSatisfy(f -> assertThat(f.detail()).isEqualTo("echo"));
        assertThat(restarts).hasSize(crashes.size());
        for (int i = 0; i < crashes.size(); i++) {
            assertThat(restarts.get(i).timeNanos() - crashes.get(i).timeNanos()).isBetween(2_000_000L, 4_000_000L);
        }
        assertThat(run.result()).contains(true, false);
        // Every RESTART step is followed at once by the node's READY step.
        List<TraceStep> all = steps(sim);
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).kind() == StepKind.RESTART) {
                assertThat(all.get(i + 1)).extracting(TraceStep::kind, TraceStep::target, TraceStep::timeNanos)
                        .containsExactly(StepKind.READY, "echo", all.get(i).timeNanos());
            }
        }
        assertThat(FaultWorlds.steps(sim, StepKind.DISCARD)).isNotEmpty();
        assertFaultsAreTraceSteps(sim);
        assertThat(assertReported(sim).describe()).contains("faults: crashy: ")
                .contains("crashes 0.5000/tick, restart after 2.0 ms..4.0 ms");
    }

    @Test
    void randomFaultsGoOnWhenTheTestSendsMoreWorkAfterTheWorldWentQuiet() {
        FaultProfile crashing = FaultProfile.builder()
                .process(p -> p.crashes(1).restartDelay(Duration.ofMillis(1), Duration.ofMillis(1))).build();
        Sim sim = twice(config(8, crashing).build(), s -> {
            s.add(ECHO);
            TestClient client = s.client("client");
            for (int round = 0; round < 2; round++) {
                for (int i = 0; i < 30; i++) {
                    client.schedule(Duration.ofMillis(i), () -> client.call("test.v1.Echo", "Echo", new byte[] {1}));
                }
                s.run();
            }
            return null;
        }).sim();
        List<InjectedFault> crashes = faults(sim, InjectedFault.Kind.CRASH);
        // The second round starts once the first went quiet (its ticks stopped): crashes come back with it.
        long secondRoundStart = FaultWorlds.steps(sim, StepKind.TIMER).get(30).timeNanos();
        assertThat(crashes).anySatisfy(f -> assertThat(f.timeNanos()).isLessThan(secondRoundStart));
        assertThat(crashes).anySatisfy(f -> assertThat(f.timeNanos()).isGreaterThan(secondRoundStart));
    }

    // ------------------------------------------------------------------ pause and resume

    @Test
    void aPausedNodeRunsNothingAndGetsItsEventsInOrderOnResume() {
        Sim sim = twice(config(9, FaultProfile.NONE).build(), s -> {
            s.add(ECHO);
            TestClient client = s.client("client");
            s.pause("echo");
            List<SimFuture<byte[]>> calls = new ArrayList<>();
            for (int i = 1; i <= 5; i++) {
                calls.add(client.call("test.v1.Echo", "Echo", new byte[] {(byte) i}));
            }
            s.runFor(Duration.ofMillis(50));
            assertThat(calls).noneMatch(SimFuture::isDone);
            s.resume("echo");
            s.run();
            assertThat(calls).allMatch(SimFuture::isOk);
            return null;
        }).sim();
        assertThat(sim.injectedFaults()).extracting(InjectedFault::kind, InjectedFault::timeNanos).containsExactly(
                tuple(InjectedFault.Kind.PAUSE, 0L), tuple(InjectedFault.Kind.RESUME, 50_000_000L));
        List<TraceStep> calls = FaultWorlds.steps(sim, StepKind.CALL);
        assertThat(calls).hasSize(5).allSatisfy(c -> assertThat(c.timeNanos()).isEqualTo(50_000_000L));
        // Held on one FIFO link, they arrive in the order sent: call ids ascending.
        assertThat(calls).extracting(TraceStep::id).isSorted();
        assertThat(steps(sim)).extracting(TraceStep::kind).startsWith(StepKind.READY, StepKind.PAUSE, StepKind.RESUME);
        assertFaultsAreTraceSteps(sim);
        assertReported(sim);
    }

    @Test
    void aTimerDueWhilePausedFiresOnResume() {
        Sim sim = Sim.create(Guests.config(10).build());
        List<Long> fired = new ArrayList<>();
        sim.add("ticker", JavaService.builder("test.v1.Ticker")
                .onReady(ctx -> ctx.schedule(Duration.ofMillis(2), () -> fired.add(ctx.nowNanos())))
                .build());
        sim.pause("ticker");
        sim.runFor(Duration.ofMillis(10));
        assertThat(fired).isEmpty();
        sim.resume("ticker");
        sim.run();
        assertThat(fired).containsExactly(10_000_000L);
    }

    @Test
    void randomPausesHoldAGuestForAWhile() {
        FaultProfile pausing = FaultProfile.builder()
                .process(p -> p.pauses(0.5).pauseDuration(Duration.ofMillis(3), Duration.ofMillis(6))).build();
        FaultWorlds.Run<List<Boolean>> run = twice(config(12, pausing).build(),
                sim -> NetworkFaultsTest.steadyTraffic(sim, 80));
        Sim sim = run.sim();
        List<InjectedFault> pauses = faults(sim, InjectedFault.Kind.PAUSE);
        List<InjectedFault> resumes = faults(sim, InjectedFault.Kind.RESUME);
        assertThat(pauses).isNotEmpty().allSatisfy(f -> assertThat(f.detail()).isEqualTo("echo"));
        assertThat(resumes).hasSize(pauses.size());
        for (int i = 0; i < pauses.size(); i++) {
            assertThat(resumes.get(i).timeNanos() - pauses.get(i).timeNanos()).isBetween(3_000_000L, 6_000_000L);
        }
        assertThat(run.result()).as("a pause delays, it loses nothing").containsOnly(true);
        // Nothing ran on echo while it was paused.
        for (TraceStep s : FaultWorlds.steps(sim, StepKind.CALL)) {
            for (int i = 0; i < pauses.size(); i++) {
                long from = pauses.get(i).timeNanos();
                long to = resumes.get(i).timeNanos();
                assertThat(s.timeNanos() > from && s.timeNanos() < to).as("call at %d during pause [%d, %d]",
                        s.timeNanos(), from, to).isFalse();
            }
        }
        assertFaultsAreTraceSteps(sim);
        assertReported(sim);
    }
}
