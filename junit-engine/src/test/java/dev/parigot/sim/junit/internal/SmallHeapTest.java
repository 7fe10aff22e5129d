package dev.parigot.sim.junit.internal;

import static dev.parigot.sim.junit.internal.EngineRun.failedSeeds;
import static dev.parigot.sim.junit.internal.EngineRun.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.FailureKind;
import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.kernel.SimFailure;
import dev.parigot.sim.kernel.SimFailureException;
import dev.parigot.sim.kernel.SimFuture;
import dev.parigot.sim.kernel.Status;
import dev.parigot.sim.scheduler.Seed;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * A memory bomb in a small heap. Surefire runs this class alone in a JVM of its own with
 * -Xmx256m (junit-engine's pom, execution {@code small-heap}); in a bigger heap it is skipped.
 * A guest that fills the heap fails its seed as RESOURCE with a sentence and nothing escapes:
 * the seeds after it in the same JVM run and pass, and the watchdog still stops a hang. The
 * engine keeps the worlds running at once within the heap, and refuses, after the first seed,
 * worlds that cannot fit.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SmallHeapTest {
    static final long SMALL = 300L << 20;
    static final GuestModule BOMB = GuestModule.fromResource(SmallHeapTest.class, "/guests/bomb.wasm");
    static final GuestModule HANG = GuestModule.fromResource(SmallHeapTest.class, "/guests/hang.wasm");
    static final GuestModule ECHO = GuestModule.fromResource(SmallHeapTest.class, "/guests/echo.wasm");

    @TempDir
    Path dir;

    @BeforeAll
    static void onlyInASmallHeap() {
        assumeTrue(Runtime.getRuntime().maxMemory() <= SMALL, "runs under -Xmx256m (Surefire execution small-heap)");
    }

    static SimConfig.Builder config(long seed) {
        return SimConfig.builder().seed(seed).echoLog(false);
    }

    static long i64(byte[] payload) {
        return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"Malloc", "Touch", "Grow"})
    void aBombFillingTheHeapFailsItsSeedAsResourceAndTheNextSeedsPass(String method) {
        for (int round = 0; round < 2; round++) {
            Sim sim = Sim.create(config(1).build()).add(BOMB);
            sim.client("client").call("test.v1.Bomb", method, new byte[0]);

            SimFailureException e = catchThrowableOfType(SimFailureException.class, sim::run);

            assertThat(e).as("the bomb fails its world").isNotNull();
            SimFailure f = e.failure();
            assertThat(f.kind()).isEqualTo(FailureKind.RESOURCE);
            assertThat(f.node()).isEqualTo("bomb");
            // The heap guard stops it before the heap is full: no OutOfMemoryError hits another thread.
            assertThat(f.reason())
                    .startsWith("node 'bomb' nearly filled the JVM's heap: memory.grow of ")
                    .contains(" in parigot_on_call (test.v1.Bomb/" + method + ", call 1), holding ")
                    .containsPattern("holding \\d+(\\.\\d)? MiB of linear memory \\(its limit: 256 MiB\\), would have"
                            + " left less than 32 MiB of it free; the world's WASM nodes held \\d+(\\.\\d)? MiB of"
                            + " linear memory, the node memory limit is 256 MiB and the JVM's heap max is \\d+ MiB\\."
                            + " Lower the node memory limit \\(parigot.memory.max; SimConfig memoryBytesMax\\), run fewer"
                            + " worlds at once \\(parigot.parallelism\\) or give the JVM more heap \\(-Xmx\\)$");
            String held = f.reason().replaceAll(".*, holding (\\d+)(\\.\\d)? MiB of linear memory.*", "$1");
            assertThat(Long.parseLong(held)).as("MiB the bomb got").isGreaterThan(100);
        }
        // The next seeds in this JVM: each world boots, answers and passes.
        for (long seed = 2; seed < 22; seed++) {
            Sim sim = Sim.create(config(seed).build()).add(ECHO);
            SimFuture<byte[]> echoed = sim.client("client").call("test.v1.Echo", "Echo", new byte[] {7});
            sim.run();
            assertThat(echoed.status()).isEqualTo(Status.OK);
            assertThat(sim.failure()).isEmpty();
        }
    }

    @Order(2)
    @Test
    void underALimitThatFitsTheBombIsStoppedByTheLimitInstead() {
        Sim sim = Sim.create(config(1).memoryBytesMax(64L << 20).build()).add(BOMB);
        long mebibytes = i64(sim.await(sim.client("client").call("test.v1.Bomb", "Touch", new byte[0])));
        assertThat(mebibytes).isBetween(50L, 63L);
    }

    @Order(3)
    @Test
    void afterTheBombsTheWatchdogStillStopsAHang() {
        Sim sim = Sim.create(config(1).handlerWallMillisMax(200).build()).add(HANG);
        sim.client("client").call("test.v1.Hang", "Spin", new byte[0]);

        SimFailureException e = catchThrowableOfType(SimFailureException.class, sim::run);

        assertThat(e).isNotNull();
        assertThat(e.failure().kind()).isEqualTo(FailureKind.HANG);
        assertThat(e.failure().reason()).startsWith("node 'hang' did not return from parigot_on_call"
                + " (test.v1.Hang/Spin, call 1) within 200 ms of wall-clock time");
    }

    @Order(4)
    @Test
    void theEngineReportsTheBombSeedAndRefusesWorldsThatCannotFitTheHeap() {
        EngineExecutionResults results = EngineRun.in(dir).run(Bombs.class);

        List<Event> failed = failedSeeds(results);
        assertThat(failed).hasSize(1);
        assertThat(message(failed.get(0)))
                .startsWith("seed " + Seed.FIRST + " failed after 2 steps")
                .contains("\n  resource: node 'bomb' nearly filled the JVM's heap: memory.grow of ")
                .contains(" in parigot_on_call (test.v1.Bomb/Touch, call 1), holding ")
                .contains("\n  re-run: not done; running out of heap depends on the JVM and on what else ran, not only"
                        + " on the seed\n");
        results.testEvents().assertThatEvents().haveExactly(1, event(test("method:bombsFirst("),
                finishedWithFailure(instanceOf(ParigotSimEngine.SettingsError.class), message(m -> m.matches(
                        "Bombs#bombsFirst cannot run its seeds: one world's 1 WASM node may hold up to 256 MiB of"
                        + " linear memory \\(parigot.memory.max is 256MiB per node; a module that declares a smaller"
                        + " maximum counts with that\\), more than the \\d+ MiB \\(the JVM's \\d+ MiB heap less the"
                        + " \\d+ MiB the kernel keeps free and 64 MiB for everything else\\) that running worlds may"
                        + " take. Lower parigot.memory.max \\(or @ParigotSimTest\\(memoryMax\\)\\) to at most \\d+MiB,"
                        + " or give the test JVM a heap of at least 366 MiB \\(-Xmx366m in Surefire's argLine\\); the first"
                        + " seed ran, the others did not")))));
    }

    @Order(5)
    @Test
    void underAFittingLimitTheEngineRunsFewerWorldsAtOnceAndEverySeedPasses() {
        EngineRun run = EngineRun.in(dir).set(Settings.MEMORY_MAX, "64MiB").set(Settings.PARALLELISM, "8");
        EngineExecutionResults results = run.run(BombsWithinLimits.class);

        results.testEvents().assertThatEvents().haveExactly(1, event(test("method:everySeedBombs("),
                finishedSuccessfully()));
        assertThat(failedSeeds(results)).isEmpty();
        int worlds = (int) (WorldMemory.usable(Runtime.getRuntime().maxMemory()) / (64L << 20));
        assertThat(worlds).as("worlds of 64 MiB that fit").isBetween(1, 7);
        assertThat(EngineRun.read(run.summary(BombsWithinLimits.class, "everySeedBombs")))
                .contains("\"seedsRun\": 12,").contains("\"worldsAtOnce\": " + worlds + ",")
                .contains("\"worldLinearMemoryBytesMax\": " + (64L << 20));
    }

    @Order(6)
    @Test
    void andAfterAllThatTheEngineStillStopsAHang() {
        EngineExecutionResults results = EngineRun.in(dir).run(LimitSettingsTest.Hangs.class);

        assertThat(message(failedSeeds(results).get(0))).contains("hang: node 'hang' did not return from"
                + " parigot_on_call (test.v1.Hang/Spin, call 1) within 200 ms");
    }

    /** The first seed's world fills the heap; the others would too. */
    static class Bombs {
        @ParigotSimTest(seeds = 4)
        void bombsFirst(Sim sim) {
            sim.add(BOMB);
            sim.client("client").call("test.v1.Bomb", "Touch", new byte[0]);
            sim.run();
        }
    }

    /** Every world takes all the memory its node may have; within the limit, each gets it and passes. */
    static class BombsWithinLimits {
        @ParigotSimTest(seeds = 12)
        void everySeedBombs(Sim sim) {
            sim.add(BOMB);
            long mebibytes = i64(sim.await(sim.client("client").call("test.v1.Bomb", "Touch", new byte[0])));
            sim.verify("the bomb got most of its 64 MiB", () -> assertThat(mebibytes).isBetween(50L, 63L));
        }
    }
}
