package dev.parigot.sim.kernel;

import static dev.parigot.sim.kernel.FaultWorlds.ECHO;
import static dev.parigot.sim.kernel.FaultWorlds.assertFaultsAreTraceSteps;
import static dev.parigot.sim.kernel.FaultWorlds.assertReported;
import static dev.parigot.sim.kernel.FaultWorlds.config;
import static dev.parigot.sim.kernel.FaultWorlds.faults;
import static dev.parigot.sim.kernel.FaultWorlds.steps;
import static dev.parigot.sim.kernel.FaultWorlds.twice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.faults.InjectedFault;
import dev.parigot.sim.faults.Latency;
import dev.parigot.sim.faults.NetworkModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Network faults in a running world: drops, duplicates, reordering, long tails, random and
 * explicit partitions, clogs. Each one happens, is a step of the trace and a line of the failure
 * report, and replays identically from the seed; with no faults the trace is the fault-free one.
 */
class NetworkFaultsTest {

    /** A client sends {@code n} calls to the echo guest at time 0; returns which were answered. */
    static List<Boolean> burst(Sim sim, int n) {
        sim.add(ECHO);
        TestClient client = sim.client("client");
        List<SimFuture<byte[]>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(client.call("test.v1.Echo", "Echo", new byte[] {(byte) i}));
        }
        sim.run();
        return calls.stream().map(SimFuture::isOk).toList();
    }

    /** A Java service that records the first payload byte of every call in the order delivered. */
    static JavaService recorder(List<Integer> order) {
        return JavaService.builder("test.v1.Sink")
                .rawMethod("Put", (bytes, call) -> {
                    order.add((int) bytes[0]);
                    call.reply(Status.OK, bytes);
                })
                .build();
    }

    /** A client sends {@code n} calls to a recorder at time 0; returns the order they arrived in. */
    static List<Integer> arrivals(Sim sim, int n) {
        List<Integer> order = new ArrayList<>();
        sim.add("sink", recorder(order));
        TestClient client = sim.client("client");
        for (int i = 0; i < n; i++) {
            client.call("test.v1.Sink", "Put", new byte[] {(byte) i});
        }
        sim.run();
        return order;
    }

    /** A client calls echo every millisecond for {@code millis} ms; returns which calls were answered. */
    static List<Boolean> steadyTraffic(Sim sim, int millis) {
        sim.add(ECHO);
        TestClient client = sim.client("client");
        List<SimFuture<byte[]>> calls = new ArrayList<>();
        for (int i = 0; i < millis; i++) {
            byte[] payload = {(byte) i};
            client.schedule(Duration.ofMillis(i), () -> calls.add(client.call("test.v1.Echo", "Echo", payload)));
        }
        sim.run();
        return calls.stream().map(SimFuture::isOk).toList();
    }

    // ------------------------------------------------------------------ no faults

    @Test
    void withNoFaultsTheTraceIsTheFaultFreeOne() {
        for (long seed : new long[] {1, 2, 0x5eed}) {
            long plain = DeterminismCheck.runOnce(Guests.config(seed).build(), DeterminismTest::multiNodeScenario)
                    .trace().hash();
            Sim none = DeterminismCheck.runOnce(config(seed, FaultProfile.NONE).build(),
                    DeterminismTest::multiNodeScenario);
            Sim built = DeterminismCheck.runOnce(config(seed, FaultProfile.builder().build()).build(),
                    DeterminismTest::multiNodeScenario);
            assertThat(none.trace().hash()).isEqualTo(plain);
            assertThat(built.trace().hash()).isEqualTo(plain);
            assertThat(none.injectedFaults()).isEmpty();
            assertThat(none.failure()).isEmpty();
            assertThat(none.faultProfile()).isSameAs(FaultProfile.NONE);
            assertThat(none.buggify("a site")).isFalse();
        }
    }

    @Test
    void aFaultFreeReportSaysNothingAboutFaults() {
        Sim sim = Sim.create(Guests.config(3).build());
        burst(sim, 2);
        SimFailure failure = sim.recordFailure(new AssertionError("check"));
        assertThat(failure.faultContext()).isEmpty();
        assertThat(failure.describe()).doesNotContain("faults");
    }

    // ------------------------------------------------------------------ drop

    @Test
    void droppedMessagesAreNeverAnsweredAndAreTraceStepsAndReported() {
        FaultProfile lossy = FaultProfile.builder().label("lossy").network(n -> n.drop(0.3)).build();
        FaultWorlds.Run<List<Boolean>> run = twice(config(7, lossy).build(), sim -> burst(sim, 60));
        Sim sim = run.sim();
        long unanswered = run.result().stream().filter(ok -> !ok).count();
        List<InjectedFault> drops = faults(sim, InjectedFault.Kind.DROP);

        // A call is lost on the way there or its result on the way back: one drop per lost round trip.
        assertThat(unanswered).isBetween(15L, 50L);
        assertThat(drops).hasSize((int) unanswered);
        assertThat(drops).allSatisfy(f -> assertThat(f.detail()).endsWith("(lost)"));
        assertThat(drops).anySatisfy(f -> assertThat(f.detail()).matches("call \\d+ client -> echo test.v1.Echo/Echo \\(lost\\)"));
        assertThat(drops).anySatisfy(f -> assertThat(f.detail()).matches("result \\d+ echo -> client test.v1.Echo/Echo \\(lost\\)"));
        assertThat(FaultWorlds.steps(sim, StepKind.DROP)).hasSize(drops.size());
        assertFaultsAreTraceSteps(sim);
        assertThat(assertReported(sim).describe()).contains("faults: lossy: latency 100.0 µs to 1.0 ms, drop 0.3000");
        assertThat(sim.log()).anySatisfy(l -> assertThat(l.text()).startsWith("fault: drop call "));
    }

    @Test
    void aWorldThatFailsBecauseOfADropReportsTheDrop() {
        FaultProfile lossy = FaultProfile.builder().network(n -> n.drop(0.5)).build();
        Sim sim = Sim.create(config(1, lossy).build());
        List<Boolean> answered = burst(sim, 4);
        SimFailureException e = org.assertj.core.api.Assertions.catchThrowableOfType(SimFailureException.class,
                () -> sim.verify("every call is answered",
                        () -> assertThat(answered).as("answered").containsOnly(true)));
        assertThat(e).isNotNull();
        SimFailure failure = e.failure();
        assertThat(failure.kind()).isEqualTo(FailureKind.ASSERTION);
        assertThat(failure.faultContext()).anySatisfy(line -> assertThat(line).contains("DROP").contains("(lost)"));
        assertThat(e.getMessage()).contains("faults injected (").contains(" DROP ");
    }

    // ------------------------------------------------------------------ duplicate

    @Test
    void duplicatedCallsReachTheServiceTwiceAndAreTraceStepsAndReported() {
        FaultProfile doubling = FaultProfile.builder().network(n -> n.duplicate(0.4)).build();
        FaultWorlds.Run<Map<Long, Integer>> run = twice(config(11, doubling).build(), sim -> {
            Map<Long, Integer> deliveries = new TreeMap<>();
            sim.add("sink", JavaService.builder("test.v1.Sink")
                    .rawMethod("Put", (bytes, call) -> {
                        deliveries.merge(call.id(), 1, Integer::sum);
                        call.reply(Status.OK, bytes);
                    })
                    .build());
            TestClient client = sim.client("client");
            List<SimFuture<byte[]>> calls = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                calls.add(client.call("test.v1.Sink", "Put", new byte[] {(byte) i}));
            }
            sim.run();
            assertThat(calls).allSatisfy(c -> assertThat(c.isOk()).isTrue());
            return deliveries;
        });
        Sim sim = run.sim();
        long twiceDelivered = run.result().values().stream().filter(n -> n == 2).count();
        List<InjectedFault> duplicates = faults(sim, InjectedFault.Kind.DUPLICATE);
        List<InjectedFault> callDuplicates = duplicates.stream().filter(f -> f.detail().startsWith("call ")).toList();

        assertThat(run.result()).hasSize(40).allSatisfy((id, n) -> assertThat(n).isBetween(1, 2));
        assertThat(twiceDelivered).isPositive().isEqualTo(callDuplicates.size());
        assertThat(duplicates).anySatisfy(f -> assertThat(f.detail()).startsWith("result "));
        assertThat(callDuplicates).allSatisfy(f -> assertThat(f.detail()).matches("call \\d+ client -> sink test.v1.Sink/Put"));
        assertThat(FaultWorlds.steps(sim, StepKind.DUPLICATE)).hasSize(duplicates.size());
        // Both copies of a duplicated call are delivered: two CALL steps with one call id.
        long callSteps = FaultWorlds.steps(sim, StepKind.CALL).size();
        assertThat(callSteps).isEqualTo(40 + twiceDelivered);
        assertFaultsAreTraceSteps(sim);
        assertReported(sim);
    }

    @Test
    void aCallDuplicatedBeforeItsFirstAnswerIsAnsweredOncePerDelivery() {
        // A fake that answers 1 ms later: a duplicate arrives while the first delivery still waits.
        // Each delivery may be answered once; the caller keeps the first answer (docs/abi.md, "Duplicates").
        FaultProfile doubling = FaultProfile.builder().network(n -> n.duplicate(1.0)).build();
        FaultWorlds.Run<List<Integer>> run = twice(config(5, doubling).build(), sim -> {
            List<Integer> answers = new ArrayList<>();
            List<IncomingCall> waiting = new ArrayList<>();
            sim.add("sink", JavaService.builder("test.v1.Sink")
                    .rawMethod("Put", (bytes, call) -> {
                        waiting.add(call);
                        call.context().schedule(Duration.ofMillis(1), () -> {
                            call.reply(Status.OK, bytes);
                            answers.add((int) call.id());
                        });
                    })
                    .build());
            SimFuture<byte[]> put = sim.client("client").call("test.v1.Sink", "Put", new byte[] {7});
            sim.run();
            assertThat(put.isOk()).isTrue();
            assertThat(waiting).hasSize(2).allSatisfy(c -> assertThat(c.id()).isEqualTo(waiting.get(0).id()));
            // A second answer to one delivery is still a bug of the service.
            assertThatThrownBy(() -> waiting.get(0).reply(Status.OK, new byte[0]))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("twice");
            return answers;
        });
        assertThat(run.result()).hasSize(2);
        assertThat(run.sim().failure()).isEmpty();
    }

    // ------------------------------------------------------------------ reorder

    @Test
    void withReorderingMessagesOnOneLinkOvertakeEachOtherAndWithoutItNever() {
        Latency wide = Latency.uniform(0, 5_000_000);
        FaultProfile fifo = FaultProfile.builder().network(n -> n.latency(wide).reorder(false)).build();
        FaultProfile reordering = FaultProfile.builder().network(n -> n.latency(wide).reorder(true)).build();
        List<Integer> inOrder = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            inOrder.add(i);
        }
        int overtaken = 0;
        for (long seed = 1; seed <= 10; seed++) {
            List<Integer> fifoOrder = twice(config(seed, fifo).build(), sim -> arrivals(sim, 30)).result();
            assertThat(fifoOrder).as("seed %d without reordering", seed).isEqualTo(inOrder);
            FaultWorlds.Run<List<Integer>> run = twice(config(seed, reordering).build(), sim -> arrivals(sim, 30));
            assertThat(run.result()).containsExactlyInAnyOrderElementsOf(inOrder);
            overtaken += run.result().equals(inOrder) ? 0 : 1;
            assertThat(run.sim().injectedFaults()).isEmpty();
        }
        assertThat(overtaken).as("seeds whose messages overtook each other").isGreaterThanOrEqualTo(8);
    }

    // ------------------------------------------------------------------ long tail

    @Test
    void longTailMessagesArriveLateButNeverPastTheCap() {
        FaultProfile tailed = FaultProfile.builder()
                .network(n -> n.latency(Latency.longTail(100_000, 1_000_000, 0.3, 50_000_000)).reorder(true)).build();
        Sim sim = twice(config(5, tailed).build(), s -> arrivals(s, 100)).sim();
        List<TraceStep> calls = FaultWorlds.steps(sim, StepKind.CALL);
        assertThat(calls).hasSize(100);
        // Sent at time 0: a call's delivery time is its latency.
        long late = calls.stream().filter(s -> s.timeNanos() > 1_000_000).count();
        assertThat(calls).allSatisfy(s -> assertThat(s.timeNanos()).isBetween(100_000L, 50_000_000L));
        assertThat(late).as("calls in the tail").isBetween(12L, 50L);
        assertThat(calls.stream().mapToLong(TraceStep::timeNanos).max().orElseThrow()).isGreaterThan(10_000_000L);

        FaultProfile bodyOnly = tailed.toBuilder()
                .network(n -> n.latency(Latency.longTail(100_000, 1_000_000, 0, 50_000_000))).build();
        Sim plain = twice(config(5, bodyOnly).build(), s -> arrivals(s, 100)).sim();
        assertThat(FaultWorlds.steps(plain, StepKind.CALL)).allSatisfy(s -> assertThat(s.timeNanos())
                .isBetween(100_000L, 1_000_000L));
    }

    // ------------------------------------------------------------------ partitions

    @Test
    void theEndOfARandomPartitionLeavesTheTestsOwnPartitionInPlace() {
        FaultProfile splitting = FaultProfile.builder()
                .network(n -> n.partitions(0.5).partitionDuration(Duration.ofMillis(5), Duration.ofMillis(15)))
                .build();
        Sim sim = Sim.create(config(3, splitting).build());
        sim.add(ECHO);
        TestClient client = sim.client("client");
        sim.boot();
        sim.partition(List.of("client"), List.of("echo"));
        List<SimFuture<byte[]>> calls = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            client.schedule(Duration.ofMillis(i), () -> calls.add(client.call("test.v1.Echo", "Echo", new byte[] {1})));
        }
        sim.run();
        assertThat(faults(sim, InjectedFault.Kind.HEAL)).isNotEmpty()
                .allSatisfy(f -> assertThat(f.detail()).isEqualTo("the random partition"));
        assertThat(calls).hasSize(100).noneMatch(SimFuture::isDone);
        sim.heal();
        SimFuture<byte[]> after = client.call("test.v1.Echo", "Echo", new byte[] {2});
        assertThat(sim.await(after)).containsExactly(2);
    }

    @Test
    void randomPartitionsSplitTheWorldDropMessagesAndHeal() {
        FaultProfile splitting = FaultProfile.builder()
                .network(n -> n.partitions(0.5).partitionDuration(Duration.ofMillis(5), Duration.ofMillis(15)))
                .build();
        FaultWorlds.Run<List<Boolean>> run = twice(config(3, splitting).build(), sim -> steadyTraffic(sim, 100));
        Sim sim = run.sim();
        List<InjectedFault> partitions = faults(sim, InjectedFault.Kind.PARTITION);
        List<InjectedFault> heals = faults(sim, InjectedFault.Kind.HEAL);
        List<InjectedFault> drops = faults(sim, InjectedFault.Kind.DROP);

        assertThat(partitions).isNotEmpty();
        assertThat(partitions).allSatisfy(f -> assertThat(f.detail()).matches("\\[\\w+\\] (<-/->|-/->) \\[\\w+\\]"));
        assertThat(heals).hasSize(partitions.size())
                .allSatisfy(f -> assertThat(f.detail()).isEqualTo("the random partition"));
        // Each partition heals after 5 to 15 ms, before the next one starts.
        for (int i = 0; i < partitions.size(); i++) {
            long lasted = heals.get(i).timeNanos() - partitions.get(i).timeNanos();
            assertThat(lasted).isBetween(5_000_000L, 15_000_000L);
            if (i + 1 < partitions.size()) {
                assertThat(partitions.get(i + 1).timeNanos()).isGreaterThan(heals.get(i).timeNanos());
            }
        }
        assertThat(drops).isNotEmpty().allSatisfy(f -> assertThat(f.detail()).endsWith("(partition)"));
        assertThat(run.result().stream().filter(ok -> !ok).count()).isEqualTo(drops.size());
        assertThat(FaultWorlds.steps(sim, StepKind.PARTITION)).hasSize(partitions.size())
                .allSatisfy(s -> assertThat(s.target()).isEqualTo("kernel"));
        assertFaultsAreTraceSteps(sim);
        assertReported(sim);
    }

    @Test
    void explicitPartitionLosesMessagesBothWaysUntilHealed() {
        Sim sim = twice(config(2, FaultProfile.NONE).build(), s -> {
            s.add(ECHO);
            TestClient client = s.client("client");
            s.partition(List.of("client"), List.of("echo"));
            SimFuture<byte[]> lost = client.call("test.v1.Echo", "Echo", new byte[] {1});
            s.run();
            assertThat(lost.isDone()).isFalse();
            s.heal();
            byte[] reply = s.await(client.call("test.v1.Echo", "Echo", new byte[] {2}));
            assertThat(reply).containsExactly(2);
            return null;
        }).sim();
        assertThat(sim.failure()).isEmpty();
        assertThat(sim.injectedFaults()).extracting(InjectedFault::kind).containsExactly(
                InjectedFault.Kind.PARTITION, InjectedFault.Kind.DROP, InjectedFault.Kind.HEAL);
        assertThat(sim.injectedFaults().get(0).detail()).isEqualTo("[client] <-/-> [echo]");
        assertThat(sim.injectedFaults().get(1).detail()).matches("call \\d+ client -> echo test.v1.Echo/Echo \\(partition\\)");
        assertThat(steps(sim)).extracting(TraceStep::kind).containsExactly(StepKind.READY, StepKind.PARTITION,
                StepKind.DROP, StepKind.HEAL, StepKind.CALL, StepKind.RESULT);
        assertFaultsAreTraceSteps(sim);
        assertThat(assertReported(sim).describe()).contains("PARTITION [client] <-/-> [echo]").contains("HEAL");
    }

    @Test
    void oneWayPartitionLetsTheCallThroughButLosesTheAnswer() {
        Sim sim = twice(config(4, FaultProfile.NONE).build(), s -> {
            s.add(ECHO);
            TestClient client = s.client("client");
            s.partitionOneWay(List.of("echo"), List.of("client"));
            SimFuture<byte[]> call = client.call("test.v1.Echo", "Echo", new byte[] {1});
            s.run();
            assertThat(call.isDone()).isFalse();
            return null;
        }).sim();
        assertThat(steps(sim)).extracting(TraceStep::kind).containsExactly(StepKind.READY, StepKind.PARTITION,
                StepKind.CALL, StepKind.DROP);
        assertThat(sim.injectedFaults().get(0).detail()).isEqualTo("[echo] -/-> [client]");
        assertThat(sim.injectedFaults().get(1).detail()).matches("result \\d+ echo -> client test.v1.Echo/Echo \\(partition\\)");
        assertFaultsAreTraceSteps(sim);
    }

    @Test
    void healingTheNetworkKeepsItsLatency() {
        // The world's own network model (5 ms each way) must survive an explicit partition and heal.
        Sim sim = Sim.create(Guests.config(1).network(NetworkModel.latency(5_000_000, 5_000_000)).build());
        sim.add(ECHO);
        TestClient client = sim.client("client");
        sim.partition(List.of("client"), List.of("echo"));
        sim.heal();
        sim.await(client.call("test.v1.Echo", "Echo", new byte[] {1}));
        assertThat(sim.nowNanos()).isEqualTo(10_000_000L);
        assertThat(FaultWorlds.steps(sim, StepKind.CALL).get(0).timeNanos()).isEqualTo(5_000_000L);
    }

    @Test
    void aPartitionNamingAnUnknownNodeIsRefusedListingTheNodes() {
        Sim sim = Sim.create(Guests.config(1).build());
        sim.add(ECHO);
        sim.client("client");
        assertThatThrownBy(() -> sim.partition(List.of("client"), List.of("ehco")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("no node 'ehco' in this world; nodes: [echo, client]");
        assertThatThrownBy(() -> sim.partitionOneWay(List.of("nobody"), List.of("echo")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no node 'nobody' in this world");
        assertThatThrownBy(() -> sim.partition(List.of(), List.of("echo")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a side of a partition names no node");
        assertThatThrownBy(() -> sim.clog("nobody", Duration.ofMillis(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("no node 'nobody' in this world");
        assertThat(sim.injectedFaults()).isEmpty();
        assertThat(sim.failure()).isEmpty();
    }

    // ------------------------------------------------------------------ clog

    @Test
    void anExplicitClogHoldsANodesTrafficUntilItClears() {
        Sim sim = twice(config(6, FaultProfile.NONE).build(), s -> {
            s.add(ECHO);
            TestClient client = s.client("client");
            s.clog("echo", Duration.ofMillis(20));
            s.await(client.call("test.v1.Echo", "Echo", new byte[] {1}));
            return null;
        }).sim();
        assertThat(sim.injectedFaults()).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(InjectedFault.Kind.CLOG);
            assertThat(f.detail()).isEqualTo("echo for 20.0 ms");
            assertThat(f.timeNanos()).isZero();
        });
        TraceStep call = FaultWorlds.steps(sim, StepKind.CALL).get(0);
        assertThat(call.timeNanos()).isBetween(20_100_000L, 21_000_000L);
        assertThat(FaultWorlds.steps(sim, StepKind.CLOG)).singleElement()
                .satisfies(s -> assertThat(s.target()).isEqualTo("echo"));
        assertFaultsAreTraceSteps(sim);
        assertReported(sim);
    }

    @Test
    void randomClogsDelayTrafficOfAGuestNode() {
        FaultProfile clogging = FaultProfile.builder()
                .network(n -> n.clogging(0.5).clogDuration(Duration.ofMillis(4), Duration.ofMillis(8))).build();
        FaultWorlds.Run<List<Boolean>> run = twice(config(9, clogging).build(), sim -> steadyTraffic(sim, 60));
        Sim sim = run.sim();
        List<InjectedFault> clogs = faults(sim, InjectedFault.Kind.CLOG);
        assertThat(clogs).isNotEmpty().allSatisfy(f -> assertThat(f.detail()).matches("echo for [4-8]\\.\\d ms"));
        assertThat(run.result()).as("a clog delays, it loses nothing").containsOnly(true);
        // Some round trip took longer than the plain network's 2 ms.
        List<TraceStep> all = steps(sim);
        long slowest = 0;
        for (TraceStep result : FaultWorlds.steps(sim, StepKind.RESULT)) {
            TraceStep call = all.stream().filter(s -> s.kind() == StepKind.CALL && s.id() == result.id())
                    .findFirst().orElseThrow();
            slowest = Math.max(slowest, result.timeNanos() - call.timeNanos());
        }
        assertThat(slowest).isGreaterThan(2_000_000L);
        assertFaultsAreTraceSteps(sim);
        assertReported(sim);
    }

    @Test
    void negativeFaultDurationsAreRefused() {
        Sim sim = Sim.create(Guests.config(1).build());
        sim.add(ECHO);
        assertThatThrownBy(() -> sim.clog("echo", Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("clog duration PT-0.001S is negative");
        assertThatThrownBy(() -> sim.crash("echo", Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("crash downtime PT-0.001S is negative");
        assertThat(sim.injectedFaults()).as("nothing happened").isEmpty();
    }
}
