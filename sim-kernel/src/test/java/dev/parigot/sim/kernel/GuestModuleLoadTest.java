package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GuestModule.load refuses everything that is not an ABI v1 module, with a sentence that says why. */
class GuestModuleLoadTest {

    static byte[] wasmBytes(String guest) {
        try (InputStream in = GuestModuleLoadTest.class.getResourceAsStream("/guests/" + guest + ".wasm")) {
            assertThat(in).as("test guest %s.wasm on the classpath", guest).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void textFileIsRefusedAsNotWebAssemblyNamingTheFileAndTheMagicBytes(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("ledger.wasm");
        Files.writeString(file, "int main() { return 0; }\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> GuestModule.load(file))
                .isInstanceOf(ModuleException.class)
                .hasMessageContaining("module 'ledger'")
                .hasMessageContaining("is not a WebAssembly binary")
                .hasMessageContaining("bytes 69 6e 74 20") // "int "
                .hasMessageContaining("00 61 73 6d")
                .hasMessageContaining("pass the .wasm file your compiler wrote");
    }

    @Test
    void aMissingFileSaysItDoesNotExistAndWhereItWasLookedFor(@TempDir Path dir) {
        Path missing = dir.resolve("build/raft.wasm");
        assertThatThrownBy(() -> GuestModule.load(missing))
                .isInstanceOf(ModuleException.class)
                .hasMessageStartingWith("module file " + missing + " does not exist (looked for "
                        + missing.toAbsolutePath().normalize() + "; the directory " + dir.resolve("build")
                        + " does not exist either, from the working directory ")
                .hasMessageEndingWith("); build the guest first, or give the right path");
        assertThatThrownBy(() -> GuestModule.load(dir))
                .isInstanceOf(ModuleException.class)
                .hasMessage("module file " + dir.toAbsolutePath().normalize() + " is a directory; give the path"
                        + " of a .wasm file");
    }

    @Test
    void emptyBytesAreRefusedSayingTheFileIsEmpty() {
        assertThatThrownBy(() -> GuestModule.load("empty", new byte[0]))
                .isInstanceOf(ModuleException.class)
                .hasMessageContaining("module 'empty' is not a WebAssembly binary")
                .hasMessageContaining("nothing (the file is empty)");
    }

    @Test
    void magicWithoutAnythingAfterItIsRefused() {
        byte[] onlyMagic = {0x00, 0x61, 0x73, 0x6d};
        assertThatThrownBy(() -> GuestModule.load("stub", onlyMagic))
                .isInstanceOf(ModuleException.class)
                .hasMessageContaining("module 'stub'")
                .hasMessageContaining("WebAssembly");
    }

    @Test
    void truncatedModuleIsRefusedAsInvalidWithAHintToRebuild() {
        byte[] echo = wasmBytes("echo");
        byte[] half = Arrays.copyOf(echo, echo.length / 2);

        assertThatThrownBy(() -> GuestModule.load("half_echo", half))
                .isInstanceOf(ModuleException.class)
                .hasMessageContaining("module 'half_echo' is not a valid WebAssembly module")
                .hasMessageContaining("rebuild it");
    }

    @Test
    void everyTruncationBeforeTheEndOfTheCodeIsAModuleExceptionNeverAnotherException() {
        byte[] echo = wasmBytes("echo");
        int codeEnd = endOfSection(echo, 10); // after the code section come only data and custom sections
        assertThat(codeEnd).isGreaterThan(1000).isLessThan(echo.length);
        for (int cut = 8; cut < codeEnd; cut += 97) {
            byte[] truncated = Arrays.copyOf(echo, cut);
            int at = cut;
            assertThatThrownBy(() -> GuestModule.load("cut_" + at, truncated))
                    .as("echo.wasm cut to %d bytes", cut)
                    .isExactlyInstanceOf(ModuleException.class)
                    .hasMessageContaining("module 'cut_" + at + "'");
        }
    }

    /** Where section {@code id} ends, walking the section headers (id byte, LEB128 size) of a module. */
    static int endOfSection(byte[] wasm, int id) {
        int at = 8;
        while (at < wasm.length) {
            int sectionId = wasm[at++];
            int size = 0;
            for (int shift = 0; ; shift += 7) {
                byte b = wasm[at++];
                size |= (b & 0x7f) << shift;
                if (b >= 0) {
                    break;
                }
            }
            at += size;
            if (sectionId == id) {
                return at;
            }
        }
        throw new AssertionError("no section " + id);
    }

    @Test
    void garbledSectionsAfterAValidHeaderAreRefusedAsInvalid() {
        byte[] echo = wasmBytes("echo");
        byte[] garbled = echo.clone();
        // Keep magic and version; overwrite the first sections with an impossible section id.
        for (int i = 8; i < Math.min(garbled.length, 64); i++) {
            garbled[i] = (byte) 0x7f;
        }

        assertThatThrownBy(() -> GuestModule.load("garbled", garbled))
                .isInstanceOf(ModuleException.class)
                .hasMessageContaining("module 'garbled' is not a valid WebAssembly module")
                .hasMessageContaining("rebuild it");
    }

    @Test
    void failedLoadDoesNotPoisonTheCacheForValidBytesLoadedLater() {
        assertThatThrownBy(() -> GuestModule.load("empty", new byte[0])).isInstanceOf(ModuleException.class);

        GuestModule echo = GuestModule.load("echo_again", wasmBytes("echo"));

        assertThat(echo.name()).isEqualTo("echo_again");
        assertThat(echo.digest()).isEqualTo(Guests.load("echo").digest()).hasSize(64);
    }

    @Test
    void moduleWithoutTheAbiMarkerIsRefusedNamingParigotAbiV1AndTheSdk() {
        assertThatThrownBy(() -> Guests.load("no_abi_marker"))
                .isInstanceOf(ModuleException.class)
                .hasMessageContaining("module 'no_abi_marker' does not export parigot_abi_v1")
                .hasMessageContaining("not an ABI v1 service")
                .hasMessageContaining("guest SDK");
    }

    @Test
    void moduleWithoutParigotAllocIsRefusedNamingTheMissingExport() {
        assertThatThrownBy(() -> Guests.load("no_alloc"))
                .isInstanceOf(ModuleException.class)
                .hasMessageContaining("module 'no_alloc' lacks the export parigot_alloc")
                .hasMessageContaining("ABI v1 requires")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("parigot_start")
                        .doesNotContain("parigot_on_call"));
    }

    @Test
    void importsOfOtherToolchainsAreRefusedAllInOneSentenceEachWithAHint() {
        assertThatThrownBy(() -> Guests.load("foreign_imports"))
                .isInstanceOf(ModuleException.class)
                .hasMessageStartingWith("module 'foreign_imports' imports 5 functions the kernel does not provide:"
                        + " env.seed (AssemblyScript's Math.random seeds itself through it: use the SDK's random bytes,"
                        + " which the world seeds), env.trace (AssemblyScript's trace(): log through the SDK instead),"
                        + " env.Date.now (AssemblyScript's Date.now(): use the SDK's virtual clock), env.sqlite3_open"
                        + " (env.* is where a C, C++ or Rust build puts a function the code calls that no linked library"
                        + " defines: link in what defines it, or remove the call), wasi_unstable.fd_write (WASI's old"
                        + " name (preview 0): rebuild with a current toolchain, for wasm32-wasi or wasm32-wasip1)")
                .hasMessageEndingWith("; a guest may import only parigot.* (ABI v1, see docs/abi.md),"
                        + " wasi_snapshot_preview1.* and env.abort");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(Engine.class)
    void aModuleWithSimdIsRefusedAtLoadWithEitherEngineNamingTheInstructionAndFunction(Engine engine)
            throws IOException {
        byte[] bytes;
        try (InputStream in = GuestModuleLoadTest.class.getResourceAsStream("/guests/simd.wasm")) {
            bytes = in.readAllBytes();
        }

        assertThatThrownBy(() -> GuestModule.load("simd", bytes, engine))
                .isInstanceOf(ModuleException.class)
                .hasMessage("module 'simd' uses WebAssembly SIMD (V128_CONST in sum_lanes), which the kernel cannot"
                        + " run: rebuild it without SIMD (clang: no -msimd128; Rust: no simd128 target feature;"
                        + " AssemblyScript: --disable simd)");
    }

    @Test
    void aModuleWithLegacyExceptionHandlingIsRefusedNamingTheInstructionAndHowToBuildWithout() {
        assertThatThrownBy(() -> Guests.load("legacy_eh"))
                .isInstanceOf(ModuleException.class)
                .hasMessageStartingWith("module 'legacy_eh' uses WebAssembly's legacy exception handling (the"
                        + " instruction try, opcode 0x06), which the kernel cannot run")
                .hasMessageContaining("-mllvm -wasm-enable-sjlj").hasMessageContaining("-fno-exceptions")
                .hasMessageContaining("panic = \"abort\"");
    }

    @Test
    void anEnvAbortOfAnotherTypeIsRefusedNamingBothTypes() {
        assertThatThrownBy(() -> Guests.load("abort_wrong_type"))
                .isInstanceOf(ModuleException.class)
                .hasMessageStartingWith("module 'abort_wrong_type' imports env.abort, which the kernel does not provide"
                        + " (its type is (i32) -> (); AssemblyScript's abort, the one env.abort there is, is"
                        + " (i32, i32, i32, i32) -> ())");
    }

    @Test
    void missingResourceIsRefusedNamingThePath() {
        assertThatThrownBy(() -> GuestModule.fromResource(Guests.class, "/guests/nope.wasm"))
                .isInstanceOf(ModuleException.class)
                .hasMessageContaining("no resource /guests/nope.wasm on the classpath");
    }

    @Test
    void validModuleIsNamedAfterItsFileAndSharedAcrossLoads() {
        GuestModule a = Guests.load("echo");
        GuestModule b = GuestModule.load("echo", wasmBytes("echo"));

        assertThat(a.name()).isEqualTo("echo");
        assertThat(a.engine()).isEqualTo(Engine.COMPILED);
        assertThat(b.digest()).isEqualTo(a.digest());
        assertThat(a.code().wasm()).as("one parsed module shared by both loads").isSameAs(b.code().wasm());
    }
}
