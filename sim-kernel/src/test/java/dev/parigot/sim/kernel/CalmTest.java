package dev.parigot.sim.kernel;

import static dev.parigot.sim.kernel.FaultWorlds.ECHO;
import static dev.parigot.sim.kernel.FaultWorlds.config;
import static dev.parigot.sim.kernel.FaultWorlds.twice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.faults.CrashPoints;
import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.faults.InjectedFault;
import dev.parigot.sim.faults.Latency;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code Sim.calm()}: after it no random fault is drawn, every partition is healed, faults under
 * way end as scheduled, and a run with a calm point replays identically.
 */
class CalmTest {
    private static final long CALM_AT = Duration.ofMillis(100).toNanos();

    /** Kinds a calm world may still record after the calm point: the ends of faults under way. */
    private static final Set<InjectedFault.Kind> ENDINGS = EnumSet.of(InjectedFault.Kind.RESTART,
            InjectedFault.Kind.RESUME, InjectedFault.Kind.HEAL);

    static final FaultProfile STORMY_NETWORK = FaultProfile.builder().label("stormy network")
            .network(n -> n.drop(0.2).duplicate(0.1).reorder(true)
                    .latency(Latency.longTail(100_000, 1_000_000, 0.2, 50_000_000))
                    .partitions(0.3).partitionDuration(Duration.ofMillis(20), Duration.ofMillis(400))
                    .clogging(0.2).clogDuration(Duration.ofMillis(1), Duration.ofMillis(30)))
            .build();

    static final FaultProfile CRASHY = FaultProfile.builder().label("crashy")
            .process(p -> p.crashes(0.2).pauses(0.2)
                    .crashPoints(CrashPoints.builder().anyStep(0.05).afterCall(0.2).afterReply(0.2).build())
                    .restartDelay(Duration.ofMillis(1), Duration.ofMillis(20)))
            .build();

    /** Echo calls every millisecond for 200 ms, calm at 100 ms; which calls sent after it were answered. */
    static List<Boolean> trafficWithCalm(Sim sim) {
        sim.add(ECHO);
        TestClient client = sim.client("client");
        List<SimFuture<byte[]>> late = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] payload = {(byte) i};
            boolean afterCalm = i > 100;
            client.schedule(Duration.ofMillis(i), () -> {
                SimFuture<byte[]> f = client.call("test.v1.Echo", "Echo", payload);
                if (afterCalm) {
                    late.add(f);
                }
            });
        }
        sim.runFor(Duration.ofNanos(CALM_AT));
        sim.calm();
        sim.run();
        return late.stream().map(SimFuture::isOk).toList();
    }

    @Test
    void afterCalmEveryMessageArrivesAndNoNetworkFaultIsDrawn() {
        int stormySeeds = 0;
        for (long seed = 1; seed <= 20; seed++) {
            FaultWorlds.Run<List<Boolean>> run = twice(config(seed, STORMY_NETWORK).build(), CalmTest::trafficWithCalm);
            assertThat(run.result()).as("seed %d: calls sent after calm", seed).hasSize(99).containsOnly(true);
            List<InjectedFault> faults = run.sim().injectedFaults();
            assertThat(faults).as("seed %d: the calm step", seed)
                    .anyMatch(f -> f.kind() == InjectedFault.Kind.HEAL && f.timeNanos() == CALM_AT
                            && f.detail().startsWith("calm:"));
            assertThat(faults.stream().filter(f -> f.timeNanos() > CALM_AT))
                    .as("seed %d: faults after the calm point", seed)
                    .allMatch(f -> ENDINGS.contains(f.kind()));
            if (faults.stream().anyMatch(f -> f.timeNanos() < CALM_AT && f.kind() == InjectedFault.Kind.PARTITION)) {
                stormySeeds++;
            }
        }
        assertThat(stormySeeds).as("seeds that partitioned before the calm point").isGreaterThan(5);
    }

    @Test
    void afterCalmNoNodeCrashesOrPausesAndCrashedOnesComeBack() {
        int crashedBefore = 0;
        for (long seed = 1; seed <= 20; seed++) {
            FaultWorlds.Run<List<Boolean>> run = twice(config(seed, CRASHY).build(), CalmTest::trafficWithCalm);
            List<InjectedFault> faults = run.sim().injectedFaults();
            assertThat(faults.stream().filter(f -> f.timeNanos() > CALM_AT))
                    .as("seed %d: faults after the calm point", seed)
                    .allMatch(f -> ENDINGS.contains(f.kind()));
            assertThat(run.sim().isRunning("echo")).as("seed %d: echo runs at the end", seed).isTrue();
            if (faults.stream().anyMatch(f -> f.kind() == InjectedFault.Kind.CRASH)) {
                crashedBefore++;
            }
        }
        assertThat(crashedBefore).as("seeds that crashed echo before the calm point").isGreaterThan(5);
    }

    @Test
    void calmHealsTheTestsOwnPartitionAndTwiceIsOnce() {
        Sim sim = Sim.create(config(7, FaultProfile.NONE).build());
        sim.add(ECHO);
        TestClient client = sim.client("client");
        sim.boot();
        sim.partition(List.of("client"), List.of("echo"));
        sim.calm();
        sim.calm();
        SimFuture<byte[]> f = client.call("test.v1.Echo", "Echo", new byte[] {1});
        sim.run();
        assertThat(f.isOk()).isTrue();
        assertThat(sim.injectedFaults().stream().filter(x -> x.detail().startsWith("calm:"))).hasSize(1);
    }

    @Test
    void aFailureReportSaysWhenTheTestCalledCalmAndDoesNotCountItAsAFault() {
        Sim sim = Sim.create(config(7, FaultProfile.NONE).build());
        sim.add(ECHO);
        TestClient client = sim.client("client");
        sim.boot();
        sim.partition(List.of("client"), List.of("echo"));
        sim.calm();
        sim.await(client.call("test.v1.Echo", "Echo", new byte[] {1}));

        SimFailure f = org.assertj.core.api.Assertions.catchThrowableOfType(SimFailureException.class,
                () -> sim.verify("fails on purpose", () -> {
                    throw new AssertionError("after the calm");
                })).failure();

        assertThat(sim.injectedFaults()).extracting(InjectedFault::isCalm).containsExactly(false, true);
        assertThat(f.describe()).contains("faults injected (1):").contains("PARTITION")
                .contains("calm from 0.000000s (the test's sim.calm()): every partition healed, no random fault after it")
                .doesNotContain("HEAL calm");
    }
}
