package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parigot.sim.kernel.internal.guest.GuestNode;
import dev.parigot.sim.kernel.internal.guest.PagedMemory;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Spare instances: a world that closes without a failure gives its guests' instances back to its
 * thread, and the next world restored from the same images reuses them reset to the image, so
 * nothing the last world did shows: not its memory (written or grown), not its globals, not the
 * node it served. A failed world, or one still open, gives nothing back; a closed world can be
 * read and not run.
 */
class SpareInstanceTest {
    /** Each test takes its own node memory limit: spares are kept per limit, so no other test shares them. */
    private static final AtomicLong LIMIT = new AtomicLong(41L << 20);

    private static long freshLimit() {
        return LIMIT.addAndGet(65536);
    }

    /** A new limit under which the boot reader's image is taken (its first boot runs from scratch). */
    private static long imagedLimit() {
        long limit = freshLimit();
        reader(1, limit).boot();
        return limit;
    }

    /** A world of one boot reader node, "p", with images on. */
    private static Sim reader(long seed, long limit) {
        return BootImageTest.world(seed, limit, true, NodeOptions.named("p"));
    }

    private static Sim world(long seed, long limit, GuestModule module) {
        return Sim.create(Guests.config(seed).memoryBytesMax(limit).build()).add(module);
    }

    private static long call(Sim sim, String service, String method) {
        return Guests.i64(sim.await(sim.client("c" + sim.steps()).call(service, method, new byte[0])));
    }

    @Test
    void theNextWorldReusesAClosedWorldsInstanceAndSeesNothingItWroteInMemory() {
        long limit = imagedLimit();
        Sim first = reader(2, limit);
        assertThat(BootImageTest.state(first, "p")[0]).isEqualTo(101);
        assertThat(BootImageTest.state(first, "p")[0]).isEqualTo(102);
        PagedMemory used = (PagedMemory) ((GuestNode) first.kernel().node("p")).memory();
        int pages = used.pages();
        assertThat(used.grow(3)).isEqualTo(pages);
        used.writeLong(0, 0x5eed5eed5eed5eedL);
        assertThat(first.bootsReusingInstances()).isZero();
        first.close();

        Sim second = reader(3, limit);
        second.boot();
        assertThat(second.bootsRestored()).isEqualTo(1);
        assertThat(second.bootsReusingInstances()).as("the closed world's instance serves again").isEqualTo(1);
        PagedMemory reused = (PagedMemory) ((GuestNode) second.kernel().node("p")).memory();
        assertThat(reused).isSameAs(used);
        assertThat(reused.pages()).as("back to the image's size").isEqualTo(pages);
        assertThat(reused.readLong(0)).isNotEqualTo(0x5eed5eed5eed5eedL);
        assertThat(BootImageTest.state(second, "p")[0]).as("the counter as the boot left it").isEqualTo(101);
        assertThat(second.log()).extracting(LogLine::text).contains("booted reading nothing, counter 100");
    }

    @Test
    void aReusedInstanceStartsFromTheImagesGlobalsAndMemorySize() {
        long limit = freshLimit();
        GuestModule grow = Guests.load("grow");
        world(1, limit, grow).boot();
        Sim first = world(2, limit, grow);
        long grown = call(first, "test.v1.Grow", "GrowRaw");
        assertThat(grown).as("pages grown up to the limit").isPositive();
        first.close();
        Sim second = world(3, limit, grow);
        assertThat(call(second, "test.v1.Grow", "GrowRaw")).as("the same pages to grow again").isEqualTo(grown);
        assertThat(second.bootsReusingInstances()).isEqualTo(1);
        second.close();

        // A counter kept in a WASM global: the next world counts from 1 again.
        GuestModule handmade = HandmadeGuest.module();
        Sim counting = Sim.create(Guests.config(4).memoryBytesMax(limit).build()).add(handmade);
        counting.boot();
        counting.close();
        for (long seed = 5; seed < 8; seed++) {
            Sim sim = Sim.create(Guests.config(seed).memoryBytesMax(limit).build()).add(handmade);
            assertThat(call(sim, HandmadeGuest.SERVICE, "Count")).isEqualTo(1);
            assertThat(call(sim, HandmadeGuest.SERVICE, "Count")).isEqualTo(2);
            assertThat(sim.bootsReusingInstances()).as("seed %d", seed).isEqualTo(seed == 5 ? 0 : 1);
            sim.close();
        }
    }

    @Test
    void aCrashGivesTheInstanceBackAndTheRestartReusesItFromTheBootState() {
        long limit = imagedLimit();
        Sim sim = reader(2, limit);
        assertThat(BootImageTest.state(sim, "p")[0]).isEqualTo(101);
        assertThat(BootImageTest.state(sim, "p")[0]).isEqualTo(102);
        sim.crash("p");
        sim.restart("p");
        sim.run();
        assertThat(BootImageTest.state(sim, "p")[0]).isEqualTo(101);
        assertThat(sim.bootsRestored()).isEqualTo(2);
        assertThat(sim.bootsReusingInstances()).isEqualTo(1);
    }

    @Test
    void aFailedWorldGivesNothingBackAndTwoOpenWorldsNeverShareAnInstance() {
        long limit = imagedLimit();
        Sim failed = reader(2, limit);
        failed.invariant("never holds", () -> false);
        assertThatThrownBy(failed::boot).isInstanceOf(SimFailureException.class);
        failed.close();
        Sim next = reader(3, limit);
        next.boot();
        assertThat(next.bootsReusingInstances()).as("a failed world's instances are dropped").isZero();

        Sim other = reader(4, limit);
        other.boot();
        assertThat(other.bootsReusingInstances()).as("an open world keeps its instances").isZero();
        assertThat(((GuestNode) other.kernel().node("p")).memory())
                .isNotSameAs(((GuestNode) next.kernel().node("p")).memory());
    }

    @Test
    void aClosedWorldCanBeReadButNotRunAndClosingInsideAStepIsRefused() {
        long limit = freshLimit();
        Sim sim = reader(1, limit);
        assertThat(BootImageTest.state(sim, "p")[0]).isEqualTo(101);
        long steps = sim.steps();
        long hash = sim.trace().hash();
        sim.close();
        sim.close(); // a second close does nothing
        assertThat(sim.steps()).isEqualTo(steps);
        assertThat(sim.trace().hash()).isEqualTo(hash);
        assertThat(sim.failure()).isEmpty();
        assertThat(sim.log()).isNotEmpty();
        assertThatThrownBy(sim::run).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("this world was closed (Sim.close())")
                .hasMessageContaining("create a new world with Sim.create");
        assertThatThrownBy(() -> sim.runFor(java.time.Duration.ofSeconds(1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> sim.crash("p")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("this world was closed");
        assertThat(sim.isRunning("p")).as("the crash was refused, not half done").isTrue();

        Sim running = reader(2, limit);
        running.onStep(step -> running.close());
        assertThatThrownBy(() -> BootImageTest.state(running, "p")).hasStackTraceContaining(
                "close the world after run(), runFor() or await() returns");
    }
}
