package dev.parigot.sim.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.Sim;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * parigot.compiled: the engine keeps the classes compiled from guest modules in a directory
 * (default target/parigot-compiled) before any test class loads a module, turns it off with
 * 'off', and refuses a value that is not a path.
 */
class CompiledSettingTest {
    @TempDir
    Path dir;

    @AfterEach
    void backToTheDefault() {
        Settings.useCompiledCache(java.util.Optional.empty());
    }

    /** A module no other test of this JVM loads: echo with a custom section that names this JVM's run. */
    static final class LoadsAFreshModule {
        static final byte[] BYTES = freshEcho();
        static final GuestModule FRESH = GuestModule.load("fresh", BYTES);

        @ParigotSimTest(seeds = 1)
        void bootsIt(Sim sim) {
            sim.add(FRESH).boot();
        }
    }

    private static byte[] freshEcho() {
        try (InputStream in = CompiledSettingTest.class.getResourceAsStream("/guests/echo.wasm")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(in.readAllBytes());
            byte[] name = ("parigot-test-" + System.nanoTime()).getBytes(StandardCharsets.UTF_8); // nondeterminism-ok: a fresh digest
            out.write(0); // a custom section: id 0, size, name
            out.write(1 + name.length);
            out.write(name.length);
            out.write(name);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aModuleTheTestClassLoadsIsCompiledIntoTheDirectory() throws IOException {
        Path cache = dir.resolve("compiled");

        EngineRun.in(dir).set(Settings.COMPILED, cache.toString()).run(LoadsAFreshModule.class)
                .testEvents().assertStatistics(s -> s.failed(0).succeeded(1));

        assertThat(GuestModule.compiledCodeCache()).contains(cache.toAbsolutePath());
        try (Stream<Path> files = Files.walk(cache)) {
            assertThat(files.filter(Files::isRegularFile).map(f -> f.getFileName().toString()))
                    .contains(LoadsAFreshModule.FRESH.digest() + ".classes");
        }
    }

    @Test
    void byDefaultTheCacheIsInTargetAndOffTurnsItOff() {
        EngineRun.in(dir).run(Fixtures.OneDepositor.class).testEvents().assertStatistics(s -> s.failed(0));
        assertThat(GuestModule.compiledCodeCache()).contains(Path.of(Settings.COMPILED_DEFAULT).toAbsolutePath());

        EngineRun.in(dir).set(Settings.COMPILED, "off").run(Fixtures.OneDepositor.class).testEvents()
                .assertStatistics(s -> s.failed(0));
        assertThat(GuestModule.compiledCodeCache()).isEmpty();
    }

    @Test
    void aValueThatIsNotAPathFailsEveryMethodSayingWhatToGive() {
        BadInputTest.assertSettingRefused(dir, Settings.COMPILED, "bad\u0000name", "parigot.compiled 'bad\u0000name'"
                + " is not a path (Nul character not allowed): where the JVM classes compiled from guest modules are"
                + " kept");
    }
}
