package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.kernel.internal.guest.CompiledCodeCache;
import dev.parigot.sim.kernel.internal.guest.GuestCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compiled-code cache: a module compiled once is loaded from its file by the next build of
 * the same bytes (as the next JVM would), runs exactly as the compiled one, and a damaged file
 * is never loaded but compiled over.
 */
class CompiledCodeCacheTest {
    @TempDir
    Path dir;

    @AfterEach
    void noCache() {
        GuestModule.cacheCompiledCode(null);
    }

    private static byte[] wasm(String name) throws IOException {
        try (InputStream in = CompiledCodeCacheTest.class.getResourceAsStream("/guests/" + name + ".wasm")) {
            return in.readAllBytes();
        }
    }

    private static List<Path> files(Path directory) throws IOException {
        try (Stream<Path> s = Files.walk(directory)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    /** The trace hash of a world of {@code echo} answering three calls. */
    private static long run(GuestCode echo) {
        Sim sim = Sim.create(Guests.config(7).build()).add(new GuestModule("echo", echo));
        TestClient client = sim.client("client");
        for (int i = 0; i < 3; i++) {
            client.call("test.v1.Echo", "Echo", new byte[] {(byte) i, 1, 2});
        }
        sim.run();
        assertThat(sim.failure()).isEmpty();
        return sim.trace().hash();
    }

    @Test
    void aModuleCompiledOnceIsLoadedByTheNextBuildAndRunsTheSame() throws IOException {
        byte[] bytes = wasm("echo");
        GuestModule.cacheCompiledCode(dir);
        CompiledCodeCache cache = CompiledCodeCache.current();

        GuestCode compiled = GuestCode.build("echo", bytes, Engine.COMPILED);

        assertThat(cache.stored()).isEqualTo(1);
        assertThat(cache.loaded()).isZero();
        List<Path> stored = files(dir);
        assertThat(stored).singleElement().satisfies(f -> {
            assertThat(f.getFileName().toString()).isEqualTo(GuestCode.digest(bytes) + ".classes");
            assertThat(f.getParent().getFileName().toString()).startsWith("chicory-");
        });

        GuestCode loaded = GuestCode.build("echo", bytes, Engine.COMPILED);

        assertThat(cache.loaded()).as("the second build read the file").isEqualTo(1);
        assertThat(cache.stored()).isEqualTo(1);
        assertThat(run(loaded)).as("the same world, step for step").isEqualTo(run(compiled));
    }

    @Test
    void aDamagedOrCutFileIsNeverLoadedButCompiledOver() throws IOException {
        byte[] bytes = wasm("echo");
        GuestModule.cacheCompiledCode(dir);
        CompiledCodeCache cache = CompiledCodeCache.current();
        long expected = run(GuestCode.build("echo", bytes, Engine.COMPILED));
        Path file = files(dir).get(0);
        byte[] good = Files.readAllBytes(file);

        byte[] flipped = good.clone();
        flipped[flipped.length / 2] ^= 0x20;
        Files.write(file, flipped);
        assertThat(run(GuestCode.build("echo", bytes, Engine.COMPILED))).isEqualTo(expected);
        assertThat(cache.loaded()).as("a flipped bit fails the file's hash").isZero();
        assertThat(file).as("written again").exists();
        assertThat(Files.readAllBytes(file)).isNotEqualTo(flipped);

        Files.write(file, java.util.Arrays.copyOf(good, good.length / 3));
        assertThat(run(GuestCode.build("echo", bytes, Engine.COMPILED))).isEqualTo(expected);
        assertThat(cache.loaded()).as("a file cut short too").isZero();
        assertThat(Files.size(file)).as("written again, whole").isGreaterThan(good.length / 3);

        assertThat(run(GuestCode.build("echo", bytes, Engine.COMPILED))).isEqualTo(expected);
        assertThat(cache.loaded()).as("the file written again is used").isEqualTo(1);
    }

    @Test
    void aCacheThatCannotBeWrittenCostsACompileAndNothingElse() throws IOException {
        Path notADirectory = Files.writeString(dir.resolve("a-file"), "x");
        GuestModule.cacheCompiledCode(notADirectory);

        assertThat(run(GuestCode.build("echo", wasm("echo"), Engine.COMPILED))).isNotZero();
        assertThat(CompiledCodeCache.current().stored()).isZero();
    }
}
