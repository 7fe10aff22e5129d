package dev.parigot.sim.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.junit.ParigotSimTest;
import org.junit.jupiter.api.Test;

/** How many worlds the engine runs at once for a heap, and what it says when none fits. */
class WorldMemoryTest {
    static final long MIB = 1L << 20;

    @Test
    void theUsableHeapIsTheHeapLessTheKernelsReserveAndAnAllowance() {
        assertThat(WorldMemory.usable(256 * MIB)).isEqualTo(160 * MIB); // 256 - 32 - 64
        assertThat(WorldMemory.usable(1024 * MIB)).isEqualTo(768 * MIB); // 1024 - 128 - 128
        assertThat(WorldMemory.usable(4096 * MIB)).isEqualTo(3328 * MIB); // 4096 - 256 (capped) - 512
        assertThat(WorldMemory.usable(64 * MIB)).isZero();
        assertThat(WorldMemory.usable(Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void worldsAtOnceIsTheUsableHeapOverWhatOneWorldMayHold() {
        assertThat(new WorldMemory(1, 64 * MIB, 256 * MIB).worldsAtOnce(256 * MIB)).isEqualTo(2);
        assertThat(new WorldMemory(3, 192 * MIB, 64 * MIB).worldsAtOnce(4096 * MIB)).isEqualTo(17);
        assertThat(new WorldMemory(1, 256 * MIB, 256 * MIB).worldsAtOnce(256 * MIB)).isZero();
        assertThat(WorldMemory.NONE.worldsAtOnce(256 * MIB)).as("Java-only worlds").isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void whenNoWorldFitsTheErrorSaysWhatToSet() {
        WorldMemory three = new WorldMemory(3, 768 * MIB, 256 * MIB);

        assertThat(three.cannotFit("Bank#conserves", 1024 * MIB)).isEqualTo("Bank#conserves cannot run its seeds: one"
                + " world's 3 WASM nodes may hold up to 768 MiB of linear memory (parigot.memory.max is 256MiB per"
                + " node; a module that declares a smaller maximum counts with that), more than the 768 MiB (the"
                + " JVM's 1024 MiB heap less the 128 MiB the kernel keeps free and 128 MiB for everything else) that"
                + " running worlds may take. Lower parigot.memory.max (or @ParigotSimTest(memoryMax)) to at most"
                + " 256MiB, or give the test JVM a heap of at least 1024 MiB (-Xmx1024m in Surefire's argLine); the"
                + " first seed ran, the others did not");
        WorldMemory big = new WorldMemory(2, 2048 * MIB, 1024 * MIB);
        String message = big.cannotFit("M#m", 1024 * MIB);
        assertThat(message).contains("to at most 384MiB").contains("a heap of at least 2634 MiB (-Xmx2634m");
        assertThat(WorldMemory.usable(2634 * MIB)).isGreaterThanOrEqualTo(2048 * MIB);
        assertThat(WorldMemory.usable(2633 * MIB)).isLessThan(2048 * MIB);
    }
}
