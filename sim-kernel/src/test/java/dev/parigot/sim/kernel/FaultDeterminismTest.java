package dev.parigot.sim.kernel;

import static dev.parigot.sim.kernel.FaultWorlds.ECHO;
import static dev.parigot.sim.kernel.FaultWorlds.HANDMADE;
import static dev.parigot.sim.kernel.FaultWorlds.MISUSE;
import static dev.parigot.sim.kernel.FaultWorlds.assertFaultsAreTraceSteps;
import static dev.parigot.sim.kernel.FaultWorlds.assertReported;
import static dev.parigot.sim.kernel.FaultWorlds.config;
import static dev.parigot.sim.kernel.FaultWorlds.twice;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.faults.InjectedFault;
import dev.parigot.sim.faults.Latency;
import dev.parigot.sim.kernel.storage.v1.ReadRequest;
import dev.parigot.sim.kernel.storage.v1.WriteRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Same seed + same configuration => the same trace and the same faults, with every kind of
 * fault on at once, under every strategy, and under swarm testing; another seed, other faults.
 */
class FaultDeterminismTest {

    /** Every kind, often. */
    static final FaultProfile STORM = FaultProfile.builder().label("storm")
            .network(n -> n.latency(Latency.longTail(100_000, 1_000_000, 0.05, 20_000_000))
                    .drop(0.05).duplicate(0.05).reorder(true)
                    .partitions(0.4).partitionDuration(Duration.ofMillis(5), Duration.ofMillis(20))
                    .clogging(0.2).clogDuration(Duration.ofMillis(2), Duration.ofMillis(10)))
            .process(p -> p.crashes(0.2).restartDelay(Duration.ofMillis(2), Duration.ofMillis(10))
                    .pauses(0.2).pauseDuration(Duration.ofMillis(2), Duration.ofMillis(10)))
            .clock(c -> c.skewMax(Duration.ofMillis(5)).driftPpmMax(1_000))
            .storage(s -> s.lostUnsynced(0.3).tornUnsynced(0.3).readError(0.1).corruption(0.1))
            .buggify(true)
            .build();

    /**
     * Two echo replicas, misuse calling them, the handmade guest writing and reading its disk and
     * asking BUGGIFY, a Java service that buggifies its answers, and a client calling all of them
     * every millisecond for 150 ms. Returns which calls were answered.
     */
    static List<Boolean> busyWorld(Sim sim) {
        sim.add(ECHO, NodeOptions.named("e1")).add(ECHO, NodeOptions.named("e2")).add(MISUSE).add(HANDMADE);
        sim.add("flaky", JavaService.builder("test.v1.Flaky")
                .rawMethod("Go", (bytes, call) -> call.reply(sim.buggify("flaky") ? Status.UNAVAILABLE : Status.OK,
                        bytes))
                .build());
        TestClient client = sim.client("client");
        List<SimFuture<byte[]>> calls = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            byte[] payload = {(byte) i};
            String key = "k" + (i % 5);
            client.schedule(Duration.ofMillis(i), () -> {
                calls.add(client.call("test.v1.Misuse", "CallEcho", payload));
                calls.add(client.call("test.v1.Echo", "Echo", payload));
                calls.add(client.call("test.v1.Flaky", "Go", payload));
                calls.add(client.call(HandmadeGuest.SERVICE, (payload[0] & 1) == 0 ? "Write" : "Read",
                        (payload[0] & 1) == 0
                                ? WriteRequest.newBuilder().setKey(key).setValue(ByteString.copyFrom(payload)).build()
                                        .toByteArray()
                                : ReadRequest.newBuilder().setKey(key).build().toByteArray()));
                calls.add(client.call(HandmadeGuest.SERVICE, "Buggify", key.getBytes(StandardCharsets.UTF_8)));
            });
        }
        sim.runFor(Duration.ofMillis(400));
        return calls.stream().map(SimFuture::isOk).toList();
    }

    static Set<InjectedFault.Kind> kinds(Sim sim) {
        Set<InjectedFault.Kind> out = EnumSet.noneOf(InjectedFault.Kind.class);
        sim.injectedFaults().forEach(f -> out.add(f.kind()));
        return out;
    }

    @Test
    void everyFaultAtOnceReplaysIdenticallyUnderEveryStrategy() {
        Set<InjectedFault.Kind> seen = EnumSet.noneOf(InjectedFault.Kind.class);
        for (String strategy : List.of("fifo", "random", "pct", "pct:1", "mix")) {
            SimConfig cfg = config(0x5eed, STORM).strategy(strategy).build();
            FaultWorlds.Run<List<Boolean>> run = twice(cfg, FaultDeterminismTest::busyWorld);
            Sim sim = run.sim();
            assertThat(sim.failure()).as(strategy).isEmpty();
            assertThat(kinds(sim)).as(strategy).contains(InjectedFault.Kind.DROP, InjectedFault.Kind.DUPLICATE,
                    InjectedFault.Kind.CLOG, InjectedFault.Kind.CRASH, InjectedFault.Kind.RESTART,
                    InjectedFault.Kind.PAUSE, InjectedFault.Kind.RESUME);
            seen.addAll(kinds(sim));
            assertThat(run.result()).as(strategy).contains(true, false);
            assertThat(sim.buggifyEnabled()).as(strategy).isNotNull();
            assertFaultsAreTraceSteps(sim);
            assertReported(sim);

            DeterminismCheck.Result check = DeterminismCheck.check(cfg, FaultDeterminismTest::busyWorld);
            assertThat(check.deterministic()).as(check.describe()).isTrue();
            assertThat(check.firstHash()).isEqualTo(sim.trace().hash());
        }
        assertThat(seen).as("every kind, in some strategy's world").containsExactlyInAnyOrder(
                InjectedFault.Kind.values());
    }

    @Test
    void otherSeedsInjectOtherFaults() {
        Set<Long> hashes = new LinkedHashSet<>();
        Set<List<InjectedFault>> faultLists = new LinkedHashSet<>();
        for (long seed = 1; seed <= 4; seed++) {
            Sim sim = FaultWorlds.once(config(seed, STORM).build(), FaultDeterminismTest::busyWorld).sim();
            hashes.add(sim.trace().hash());
            faultLists.add(sim.injectedFaults());
        }
        assertThat(hashes).hasSize(4);
        assertThat(faultLists).hasSize(4);
    }

    @Test
    void underSwarmEachSeedPicksItsOwnProfileAndReplaysIt() {
        Set<String> profiles = new LinkedHashSet<>();
        for (long seed = 1; seed <= 8; seed++) {
            SimConfig cfg = config(seed, STORM).swarm(true).build();
            Sim sim = twice(cfg, FaultDeterminismTest::busyWorld).sim();
            FaultProfile picked = sim.faultProfile();
            assertThat(picked.describe()).startsWith("swarm: ");
            profiles.add(picked.describe());
            assertThat(Sim.create(cfg).faultProfile().describe()).isEqualTo(picked.describe());
            SimFailure report = assertReported(sim);
            assertThat(report.faultContext()).first().isEqualTo("faults: " + picked.describe());
            // Only the kinds this seed picked happen.
            if (picked.process().crashes().never()) {
                assertThat(kinds(sim)).doesNotContain(InjectedFault.Kind.CRASH);
            }
            if (picked.network().partitions().never()) {
                assertThat(kinds(sim)).doesNotContain(InjectedFault.Kind.PARTITION);
            }
            assertFaultsAreTraceSteps(sim);
        }
        assertThat(profiles).hasSizeGreaterThan(5);
    }
}
