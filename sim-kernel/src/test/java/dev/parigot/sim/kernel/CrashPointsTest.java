package dev.parigot.sim.kernel;

import static dev.parigot.sim.kernel.FaultWorlds.ECHO;
import static dev.parigot.sim.kernel.FaultWorlds.assertFaultsAreTraceSteps;
import static dev.parigot.sim.kernel.FaultWorlds.config;
import static dev.parigot.sim.kernel.FaultWorlds.faults;
import static dev.parigot.sim.kernel.FaultWorlds.twice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.faults.CrashPoints;
import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.faults.InjectedFault;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Crashes between any two steps and at the points where durability bugs hide: right after a node
 * handled a call, right after it issued writes it has not synced, right after it replied; pauses
 * and clogs there; a budget of crashes per run. Every decision comes from the choice stream, so
 * each run replays exactly.
 */
class CrashPointsTest {
    static final GuestModule DISK = DiskRulesTest.DISK;

    static FaultProfile points(CrashPoints points) {
        return FaultProfile.builder().label("points").process(p -> p.crashPoints(points)
                        .crashes(0).restartDelay(Duration.ofMillis(2), Duration.ofMillis(2))
                        .pauses(0).pauseDuration(Duration.ofMillis(3), Duration.ofMillis(3)))
                .network(n -> n.clogging(0).clogDuration(Duration.ofMillis(4), Duration.ofMillis(4)))
                .storage(s -> s.lostUnsynced(1)).build();
    }

    static SimFuture<byte[]> call(TestClient client, String method, String text) {
        return client.call(DiskRulesTest.SERVICE, method, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The step right after the first step matching {@code kind} into {@code target}. */
    static TraceStep stepAfter(Sim sim, StepKind kind, String target, String method) {
        List<TraceStep> all = FaultWorlds.steps(sim);
        for (int i = 0; i < all.size() - 1; i++) {
            TraceStep s = all.get(i);
            if (s.kind() == kind && s.target().equals(target) && s.method().endsWith(method)) {
                return all.get(i + 1);
            }
        }
        throw new AssertionError("no " + kind + " into " + target + " " + method + " in " + all);
    }

    @Test
    void aCrashFallsRightAfterAHandlerThatIssuedAnUnsyncedWriteAndTheWriteIsLost() {
        CrashPoints p = CrashPoints.builder().afterUnsyncedWrite(1).crashesMax(1).build();
        Sim sim = twice(config(1, points(p)).build(), s -> {
            s.add(DISK);
            TestClient client = s.client("client");
            call(client, "WriteNoWait", "k=v");
            s.run();
            return null;
        }).sim();
        TraceStep next = stepAfter(sim, StepKind.CALL, "disk_user", "WriteNoWait");
        assertThat(next.kind()).isEqualTo(StepKind.CRASH);
        assertThat(next.target()).isEqualTo("disk_user");
        assertThat(faults(sim, InjectedFault.Kind.LOST_WRITE)).extracting(InjectedFault::detail)
                .containsExactly("unsynced write of 'k' by disk_user lost");
        assertThat(faults(sim, InjectedFault.Kind.RESTART)).hasSize(1);
        assertFaultsAreTraceSteps(sim);
    }

    @Test
    void aCrashFallsRightAfterAHandledCall() {
        CrashPoints p = CrashPoints.builder().afterCall(1).crashesMax(1).build();
        Sim sim = twice(config(2, points(p)).build(), s -> {
            s.add(ECHO);
            TestClient client = s.client("client");
            client.call("test.v1.Echo", "Echo", new byte[] {1});
            s.run();
            return null;
        }).sim();
        TraceStep next = stepAfter(sim, StepKind.CALL, "echo", "Echo");
        assertThat(next.kind()).isEqualTo(StepKind.CRASH);
    }

    @Test
    void aCrashFallsRightAfterAHandlerThatRepliedNotAfterOneThatDidNot() {
        CrashPoints p = CrashPoints.builder().afterReply(1).crashesMax(1).build();
        Sim sim = twice(config(3, points(p)).build(), s -> {
            s.add(DISK);
            TestClient client = s.client("client");
            call(client, "WriteSync", "k=v"); // replies only when the Sync answers
            s.run();
            return null;
        }).sim();
        // The call's handler sent no reply: no crash there. The Sync's result handler replied: crash.
        assertThat(stepAfter(sim, StepKind.CALL, "disk_user", "WriteSync").kind()).isNotEqualTo(StepKind.CRASH);
        TraceStep afterSync = stepAfter(sim, StepKind.RESULT, "disk_user", "Sync");
        assertThat(afterSync.kind()).isEqualTo(StepKind.CRASH);
        assertThat(faults(sim, InjectedFault.Kind.LOST_WRITE)).as("the write was synced before the reply").isEmpty();
    }

    @Test
    void theCrashBudgetBoundsRandomCrashesPerRun() {
        CrashPoints p = CrashPoints.builder().afterCall(1).crashesMax(2).build();
        Sim sim = twice(config(4, points(p)).build(), s -> {
            s.add(ECHO);
            TestClient client = s.client("client");
            for (int i = 0; i < 20; i++) {
                client.schedule(Duration.ofMillis(5L * i), () -> client.call("test.v1.Echo", "Echo", new byte[] {1}));
            }
            s.run();
            return null;
        }).sim();
        assertThat(faults(sim, InjectedFault.Kind.CRASH)).hasSize(2);
        assertThat(faults(sim, InjectedFault.Kind.RESTART)).hasSize(2);
        assertThat(sim.faultProfile().describe()).contains("crash points after a call 1.000 (at most 2 crashes)");
    }

    @Test
    void aCrashAtAnyStepHitsSomeRunningNodeAndRestartsItAfterTheRestartDelay() {
        CrashPoints p = CrashPoints.builder().anyStep(0.2).crashesMax(3).build();
        int crashed = 0;
        for (long seed = 1; seed <= 10; seed++) {
            Sim sim = twice(config(seed, points(p)).build(), s -> {
                s.add(ECHO);
                TestClient client = s.client("client");
                for (int i = 0; i < 10; i++) {
                    client.schedule(Duration.ofMillis(i), () -> client.call("test.v1.Echo", "Echo", new byte[] {1}));
                }
                s.run();
                return null;
            }).sim();
            List<InjectedFault> crashes = faults(sim, InjectedFault.Kind.CRASH);
            List<InjectedFault> restarts = faults(sim, InjectedFault.Kind.RESTART);
            assertThat(crashes).hasSizeLessThanOrEqualTo(3).hasSameSizeAs(restarts);
            for (int i = 0; i < crashes.size(); i++) {
                assertThat(restarts.get(i).timeNanos() - crashes.get(i).timeNanos()).isEqualTo(2_000_000L);
            }
            crashed += crashes.size();
        }
        assertThat(crashed).isGreaterThan(5);
    }

    @Test
    void pausesAndClogsFallAtTheTargetedPointsForTheProfilesDurations() {
        Sim paused = twice(config(5, points(CrashPoints.builder().pauseAtPoint(1).build())).build(), s -> {
            s.add(ECHO);
            TestClient client = s.client("client");
            s.await(client.call("test.v1.Echo", "Echo", new byte[] {1}));
            s.run();
            return null;
        }).sim();
        assertThat(stepAfter(paused, StepKind.CALL, "echo", "Echo").kind()).isEqualTo(StepKind.PAUSE);
        InjectedFault pause = faults(paused, InjectedFault.Kind.PAUSE).get(0);
        InjectedFault resume = faults(paused, InjectedFault.Kind.RESUME).get(0);
        assertThat(resume.timeNanos() - pause.timeNanos()).isEqualTo(3_000_000L);

        Sim clogged = twice(config(6, points(CrashPoints.builder().clogAtPoint(1).build())).build(), s -> {
            s.add(ECHO);
            TestClient client = s.client("client");
            s.await(client.call("test.v1.Echo", "Echo", new byte[] {1}));
            return null;
        }).sim();
        assertThat(stepAfter(clogged, StepKind.CALL, "echo", "Echo").kind()).isEqualTo(StepKind.CLOG);
        assertThat(faults(clogged, InjectedFault.Kind.CLOG).get(0).detail()).isEqualTo("echo for 4.0 ms");
    }

    @Test
    void noCrashPointsMeansNoExtraChoicesTheTraceIsThatOfAWorldWithoutThem() {
        java.util.function.Function<Sim, Long> scenario = s -> {
            s.add(ECHO);
            TestClient client = s.client("client");
            for (int i = 0; i < 5; i++) {
                client.call("test.v1.Echo", "Echo", new byte[] {(byte) i});
            }
            s.run();
            return s.trace().hash();
        };
        long plain = twice(config(7, FaultProfile.NONE).build(), scenario).result();
        long withZeroPoints = twice(config(7, FaultProfile.NONE.toBuilder()
                .process(p -> p.crashPoints(CrashPoints.builder()
                .afterCall(0).crashesMax(1).build())).build()).build(), scenario).result();
        assertThat(withZeroPoints).isEqualTo(plain);
    }
}
