package dev.parigot.sim.kernel;

import static dev.parigot.sim.kernel.FaultWorlds.HANDMADE;
import static dev.parigot.sim.kernel.FaultWorlds.PROBE;
import static dev.parigot.sim.kernel.FaultWorlds.config;
import static dev.parigot.sim.kernel.FaultWorlds.i64;
import static dev.parigot.sim.kernel.FaultWorlds.twice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.faults.FaultProfile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Clock faults: each node reads its own clock, offset by a skew and running fast or slow by a
 * drift, through WASI (clock_time_get), ABI v1 (now_ns) and Java (ServiceContext.nowNanos). The
 * kernel's virtual time is unchanged; a node's timers run on its own clock.
 */
class ClockFaultsTest {
    static final int PROBES = 5;

    /** What one probe said its clock read, and the virtual time at which it was asked. */
    record Reading(String node, long virtualNanos, long clockNanos) {
        long offset() {
            return clockNanos - virtualNanos;
        }
    }

    /** Five wasi_probe nodes are asked for their monotonic clock at {@code atMillis} ms. */
    static List<Reading> probeClocks(Sim sim, long... atMillis) {
        for (int i = 1; i <= PROBES; i++) {
            sim.add(PROBE, NodeOptions.named("p" + i));
        }
        TestClient client = sim.client("client");
        List<SimFuture<byte[]>> replies = new ArrayList<>();
        for (long at : atMillis) {
            client.schedule(Duration.ofMillis(at), () -> {
                for (int i = 1; i <= PROBES; i++) {
                    replies.add(client.call("test.v1.Probe@p" + i, "Clock", new byte[0]));
                }
            });
        }
        sim.run();
        // The k-th call the client made has the k-th smallest call id; its CALL step is when the probe
        // read its clock.
        List<TraceStep> calls = FaultWorlds.steps(sim, StepKind.CALL);
        List<Long> ids = calls.stream().map(TraceStep::id).sorted().toList();
        assertThat(ids).hasSize(replies.size());
        List<Reading> out = new ArrayList<>();
        for (TraceStep call : calls) {
            byte[] reply = replies.get(ids.indexOf(call.id())).get();
            out.add(new Reading(call.target(), call.timeNanos(), i64(reply)));
        }
        return out;
    }

    @Test
    void withoutClockFaultsEveryNodeReadsTheKernelsVirtualTime() {
        List<Reading> readings = twice(config(1, FaultProfile.NONE).build(), sim -> probeClocks(sim, 20, 70)).result();
        assertThat(readings).hasSize(10).allSatisfy(r -> assertThat(r.clockNanos()).isEqualTo(r.virtualNanos()));
    }

    @Test
    void skewOffsetsEachNodesClockWithinTheConfiguredBound() {
        FaultProfile skewed = FaultProfile.builder().clock(c -> c.skewMax(Duration.ofMillis(50))).build();
        Set<Long> offsets = new LinkedHashSet<>();
        boolean behind = false;
        boolean ahead = false;
        for (long seed = 1; seed <= 4; seed++) {
            List<Reading> readings = twice(config(seed, skewed).build(), sim -> probeClocks(sim, 100, 300)).result();
            for (Reading r : readings) {
                // Every clock starts 50 ms (the largest skew) after virtual time, plus or minus its skew.
                long skew = r.offset() - 50_000_000L;
                assertThat(skew).isBetween(-50_000_000L, 50_000_000L);
                offsets.add(skew);
                behind |= skew < 0;
                ahead |= skew > 0;
            }
            // Skew only: a node's offset is the same at 100 ms and at 300 ms.
            for (int i = 1; i <= PROBES; i++) {
                String node = "p" + i;
                assertThat(readings.stream().filter(r -> r.node().equals(node)).map(Reading::offset).distinct())
                        .as("offsets of %s", node).hasSize(1);
            }
        }
        assertThat(offsets).as("distinct offsets of 20 nodes").hasSizeGreaterThan(15);
        assertThat(behind).isTrue();
        assertThat(ahead).isTrue();
    }

    @Test
    void driftMakesEachNodesClockRunFastOrSlow() {
        FaultProfile drifting = FaultProfile.builder().clock(c -> c.driftPpmMax(50_000)).build(); // up to 5%
        List<Reading> readings = twice(config(2, drifting).build(), sim -> probeClocks(sim, 100, 1_100)).result();
        Set<Long> rates = new LinkedHashSet<>();
        for (int i = 1; i <= PROBES; i++) {
            String node = "p" + i;
            List<Reading> mine = readings.stream().filter(r -> r.node().equals(node)).toList();
            assertThat(mine).hasSize(2);
            long virtual = mine.get(1).virtualNanos() - mine.get(0).virtualNanos();
            long local = mine.get(1).clockNanos() - mine.get(0).clockNanos();
            // Within 5% either way of the virtual time that passed.
            assertThat((double) local).isBetween(virtual * 0.95 - 2, virtual * 1.05 + 2);
            rates.add(Math.round((local - virtual) * 1e6 / virtual));
            for (Reading r : mine) {
                assertThat(Math.abs(r.offset())).isLessThanOrEqualTo(r.virtualNanos() / 20 + 1);
            }
        }
        assertThat(rates).as("ppm of the five nodes").hasSizeGreaterThan(3);
        assertThat(rates).anySatisfy(ppm -> assertThat(ppm).isNotZero());
    }

    @Test
    void nowNsOfAGuestAndNowNanosOfAJavaServiceReadTheirNodesClock() {
        FaultProfile skewed = FaultProfile.builder().clock(c -> c.skewMax(Duration.ofMillis(40))).build();
        List<Long> offsets = new ArrayList<>();
        for (long seed = 1; seed <= 6; seed++) {
            List<Long> pair = twice(config(seed, skewed).build(), sim -> {
                long[] javaClock = new long[2];
                sim.add(HANDMADE);
                sim.add("clock", JavaService.builder("test.v1.Clock")
                        .rawMethod("Now", (bytes, call) -> {
                            javaClock[0] = call.context().nowNanos();
                            javaClock[1] = sim.nowNanos();
                            call.reply(Status.OK, new byte[0]);
                        })
                        .build());
                TestClient client = sim.client("client");
                client.schedule(Duration.ofMillis(100), () -> { });
                sim.run();
                long guestClock = i64(sim.await(client.call(HandmadeGuest.SERVICE, "Now", new byte[0])));
                long guestVirtual = FaultWorlds.steps(sim, StepKind.CALL).get(0).timeNanos();
                sim.await(client.call("test.v1.Clock", "Now", new byte[0]));
                return List.of(guestClock - guestVirtual, javaClock[0] - javaClock[1]);
            }).result();
            offsets.addAll(pair);
        }
        // The largest skew (40 ms) plus the node's own skew, within ±40 ms.
        assertThat(offsets).allSatisfy(o -> assertThat(o).isBetween(0L, 80_000_000L));
        assertThat(offsets).anySatisfy(o -> assertThat(o).isNotEqualTo(40_000_000L));
        assertThat(new LinkedHashSet<>(offsets)).hasSizeGreaterThan(8);
    }

    @Test
    void aNodesTimerWaitsUntilItsOwnClockHasMovedTheDelay() {
        // Some of these nodes' clocks are behind, some drift slow.
        FaultProfile clocks = FaultProfile.builder()
                .clock(c -> c.skewMax(Duration.ofMillis(30)).driftPpmMax(20_000)).build();
        for (long seed = 1; seed <= 30; seed++) {
            List<List<Long>> waits = twice(config(seed, clocks).build(), sim -> {
                List<List<Long>> out = new ArrayList<>();
                sim.add("timer", JavaService.builder("test.v1.Timer")
                        .onReady(ctx -> {
                            long before = ctx.nowNanos();
                            ctx.schedule(Duration.ofMillis(10), () -> out.add(List.of(before, ctx.nowNanos())));
                        })
                        .build());
                sim.run();
                return out;
            }).result();
            assertThat(waits).hasSize(1);
            assertThat(waits.get(0).get(1) - waits.get(0).get(0)).as("seed %d: the node's clock moved", seed)
                    .isGreaterThanOrEqualTo(10_000_000L);
        }
    }

    @Test
    void aClockFarBehindDoesNotDelayTimersSetAtTheStart() {
        // 200 ms of skew, no drift: a 10 ms timer fires 10 ms of virtual time after it was set,
        // on every node, including those whose clock is far behind the others.
        FaultProfile skewed = FaultProfile.builder().clock(c -> c.skewMax(Duration.ofMillis(200))).build();
        for (long seed = 1; seed <= 20; seed++) {
            List<Long> fired = twice(config(seed, skewed).build(), sim -> {
                List<Long> at = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    sim.add("timer" + i, JavaService.builder("test.v1.Timer" + i)
                            .onReady(ctx -> ctx.schedule(Duration.ofMillis(10), () -> at.add(sim.nowNanos())))
                            .build());
                }
                sim.run();
                return at;
            }).result();
            assertThat(fired).as("seed %d", seed).hasSize(4).allSatisfy(t -> assertThat(t).isEqualTo(10_000_000L));
        }
    }
}
