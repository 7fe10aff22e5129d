package dev.parigot.sim.kernel;

import dev.parigot.sim.kernel.internal.guest.BootImage;
import dev.parigot.sim.kernel.internal.guest.GuestCode;
import dev.parigot.sim.kernel.internal.guest.GuestNode;
import dev.parigot.sim.kernel.internal.guest.PagedMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Boot images: a node restores its module's image when it would boot exactly as the node the
 * image was taken from, and boots from scratch when its boot read the clock or randomness; the
 * image never sees what a world writes after it was taken; crash-restarts restore too.
 */
class BootImageTest {
    static final GuestModule READER = Guests.load("boot_reader");
    /** Each test takes its own node memory limit: images are per limit, so no other test shares them. */
    private static final AtomicLong LIMIT = new AtomicLong(5L << 20);

    private static long freshLimit() {
        return LIMIT.addAndGet(65536);
    }

    static Sim world(long seed, long memoryMax, boolean snapshots, NodeOptions... nodes) {
        Sim sim = Sim.create(Guests.config(seed).memoryBytesMax(memoryMax).snapshots(snapshots).build());
        for (NodeOptions options : nodes) {
            sim.add(READER, options);
        }
        return sim;
    }

    /** Calls Probe/State at the node: {counter after this call, length of what the boot read}. */
    static int[] state(Sim sim, String node) {
        SimFuture<byte[]> reply = sim.client("c-" + node + "-" + sim.steps()).call("test.v1.Probe@" + node, "State",
                new byte[0]);
        sim.run();
        ByteBuffer b = ByteBuffer.wrap(reply.get()).order(ByteOrder.LITTLE_ENDIAN);
        return new int[] {b.getInt(), b.getInt()};
    }

    @Test
    void theSecondWorldRestoresTheImageAndNeverSeesWhatTheFirstWroteAfterIt() {
        long limit = freshLimit();
        Sim first = world(1, limit, true, NodeOptions.named("p"));
        first.boot();
        assertThat(first.bootsFromScratch()).isEqualTo(1);
        assertThat(first.bootsRestored()).isZero();
        assertThat(state(first, "p")[0]).isEqualTo(101);
        assertThat(state(first, "p")[0]).isEqualTo(102); // written after the image was taken

        Sim second = world(2, limit, true, NodeOptions.named("p"));
        second.boot();
        assertThat(second.bootsRestored()).isEqualTo(1);
        assertThat(second.bootsFromScratch()).isZero();
        assertThat(state(second, "p")[0]).isEqualTo(101);
        assertThat(second.log()).extracting(LogLine::text).contains("booted reading nothing, counter 100");

        // The restored node holds of its own only the chunks its seed wrote; the rest are the image's.
        PagedMemory memory = (PagedMemory) ((GuestNode) second.kernel().node("p")).memory();
        assertThat(memory.ownBytes()).isPositive().isLessThan(memory.pages() * 65536L / 2);
    }

    @Test
    void pagesAreSharedUntilWrittenAndOneWorldsWritesNeverReachAnother() {
        long limit = freshLimit();
        world(4, limit, true, NodeOptions.named("p")).boot(); // takes the image
        Sim a = world(5, limit, true, NodeOptions.named("p"));
        Sim b = world(6, limit, true, NodeOptions.named("p"));
        a.boot();
        b.boot();
        assertThat(a.bootsRestored()).isEqualTo(1);
        PagedMemory ma = (PagedMemory) ((GuestNode) a.kernel().node("p")).memory();
        PagedMemory mb = (PagedMemory) ((GuestNode) b.kernel().node("p")).memory();
        int pages = ma.pages();
        long ownBefore = ma.ownBytes();
        int last = pages * 65536 - 8; // the top page: the stack's, if not touched by ready
        long original = mb.readLong(last);

        ma.writeLong(last, original + 1);
        assertThat(ma.readLong(last)).isEqualTo(original + 1);
        assertThat(mb.readLong(last)).isEqualTo(original);
        assertThat(ma.ownBytes()).isBetween(ownBefore, ownBefore + PagedMemory.CHUNK);

        ma.writeI32(PagedMemory.CHUNK - 2, 0x01020304); // across a chunk boundary
        assertThat(ma.readInt(PagedMemory.CHUNK - 2)).isEqualTo(0x01020304);
        assertThat(mb.readInt(PagedMemory.CHUNK - 2)).isNotEqualTo(0x01020304);
        ma.writeI32(65536 - 2, 0x01020304); // across a page boundary
        assertThat(ma.readInt(65536 - 2)).isEqualTo(0x01020304);
        assertThat(mb.readInt(65536 - 2)).isNotEqualTo(0x01020304);

        assertThat(ma.grow(2)).isEqualTo(pages);
        ma.writeLong((pages + 2) * 65536 - 8, 42L);
        assertThat(ma.readLong((pages + 2) * 65536 - 8)).isEqualTo(42L);
        assertThat(ma.ownBytes()).isLessThanOrEqualTo(ma.pages() * 65536L);

        // Out of bounds reads the same as in Chicory's own memories.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> mb.readInt(pages * 65536 - 2))
                .hasMessageContaining("out of bounds memory access: attempted to access address: ");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> mb.writeByte(-1, (byte) 1))
                .hasMessageContaining("out of bounds memory access");
    }

    @Test
    void aBootThatReadsTheClockOrRandomnessBootsFromScratchEveryTime() {
        for (String reads : List.of("clock", "random")) {
            long limit = freshLimit();
            for (int world = 0; world < 3; world++) {
                Sim on = world(world, limit, true, NodeOptions.named("p").env("BOOT_READS", reads));
                Sim off = world(world, limit, false, NodeOptions.named("p").env("BOOT_READS", reads));
                assertThat(state(on, "p")).isEqualTo(state(off, "p"));
                assertThat(on.bootsRestored()).as(reads).isZero();
                assertThat(on.bootsFromScratch()).isEqualTo(1);
                assertThat(on.trace().hash()).isEqualTo(off.trace().hash());
                assertThat(on.log()).isEqualTo(off.log());
            }
        }
    }

    @Test
    void aBootThatReadsItsArgumentsGetsAnImagePerNodeName() {
        long limit = freshLimit();
        NodeOptions a = NodeOptions.named("a").env("BOOT_READS", "argv");
        NodeOptions b = NodeOptions.named("bbbb").env("BOOT_READS", "argv");
        Sim first = world(1, limit, true, a, b);
        int[] fromScratchA = state(first, "a");
        int[] fromScratchB = state(first, "bbbb");
        assertThat(first.bootsFromScratch()).isEqualTo(2);
        assertThat(fromScratchA[0]).isNotEqualTo(fromScratchB[0]);

        Sim second = world(1, limit, true, b, a);
        assertThat(state(second, "a")).isEqualTo(fromScratchA);
        assertThat(state(second, "bbbb")).isEqualTo(fromScratchB);
        assertThat(second.bootsRestored()).isEqualTo(2);

        // Other arguments: another way to boot, so from scratch once, then restored.
        Sim third = world(1, limit, true, NodeOptions.named("a").env("BOOT_READS", "argv").args("--x"));
        third.boot();
        assertThat(third.bootsFromScratch()).isEqualTo(1);
    }

    @Test
    void aRestartAfterACrashRestoresTheImageAndStartsFromTheBootState() {
        long limit = freshLimit();
        Sim sim = world(3, limit, true, NodeOptions.named("p"));
        assertThat(state(sim, "p")[0]).isEqualTo(101);
        sim.crash("p");
        sim.restart("p");
        sim.run();
        assertThat(state(sim, "p")[0]).isEqualTo(101);
        assertThat(sim.bootsFromScratch()).isEqualTo(1);
        assertThat(sim.bootsRestored()).isEqualTo(1);
    }

    @Test
    void withSnapshotsOffEveryBootRunsFromScratch() {
        long limit = freshLimit();
        for (int world = 0; world < 3; world++) {
            Sim sim = world(world, limit, false, NodeOptions.named("p"), NodeOptions.named("q"));
            sim.boot();
            assertThat(sim.bootsRestored()).isZero();
            assertThat(sim.bootsFromScratch()).isEqualTo(2);
        }
    }

    @Test
    void anImageHoldsOnlyTheChunksItsBootWroteAndImagesStayWithinTheirHeapBudget() {
        long limit = freshLimit();
        world(7, limit, true, NodeOptions.named("p")).boot();
        BootImage image = READER.code().image((GuestNode) world(8, limit, true, NodeOptions.named("p")).kernel().node("p"),
                limit);
        assertThat(image).isNotNull();
        assertThat(image.freshBecause).isNull();
        assertThat(image.heldBytes()).isPositive().isLessThan(image.chunks.length * (long) PagedMemory.CHUNK);

        long other = freshLimit();
        GuestCode.imageBytesMaxForTest = 1;
        try {
            Sim first = world(9, other, true, NodeOptions.named("p"));
            first.boot();
            assertThat(first.bootsFromScratch()).isEqualTo(1);
            Sim second = world(10, other, true, NodeOptions.named("p"));
            second.boot();
            assertThat(second.bootsRestored()).isZero();
            assertThat(second.bootsFromScratch()).isEqualTo(1);
            BootImage kept = READER.code().image((GuestNode) second.kernel().node("p"), other);
            assertThat(kept.freshBecause).startsWith("the JVM's boot images already hold ");
            assertThat(kept.heldBytes()).isZero();
            assertThat(state(second, "p")[0]).isEqualTo(101);
        } finally {
            GuestCode.imageBytesMaxForTest = 0;
        }
    }

    @Test
    void worldsOfTheRustStdGuestAndTheMultiNodeScenarioRunTheSameWithImagesOnAndOff() {
        for (long seed = 1; seed <= 4; seed++) {
            Sim rustOn = DeterminismCheck.runOnce(Guests.config(seed).build(), RustStdGuestTest::replicasScenario);
            Sim rustOff = DeterminismCheck.runOnce(Guests.config(seed).snapshots(false).build(),
                    RustStdGuestTest::replicasScenario);
            assertThat(rustOn.trace().hash()).isEqualTo(rustOff.trace().hash());
            assertThat(rustOn.log()).isEqualTo(rustOff.log());
            assertThat(rustOff.bootsRestored()).isZero();

            Sim multiOn = DeterminismCheck.runOnce(Guests.config(seed).build(), DeterminismTest::multiNodeScenario);
            Sim multiOff = DeterminismCheck.runOnce(Guests.config(seed).snapshots(false).build(),
                    DeterminismTest::multiNodeScenario);
            assertThat(multiOn.trace().hash()).isEqualTo(multiOff.trace().hash());
            assertThat(multiOn.log()).isEqualTo(multiOff.log());
            assertThat(multiOn.bootsRestored()).as("three echo replicas and a misuse guest").isPositive();
        }
    }
}
