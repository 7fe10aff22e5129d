package dev.parigot.sim.junit.internal;

import static dev.parigot.sim.junit.internal.EngineRun.failedSeedTexts;
import static dev.parigot.sim.junit.internal.EngineRun.failedSeeds;
import static dev.parigot.sim.junit.internal.EngineRun.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.scheduler.Seed;
import java.nio.file.Path;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * {@code parigot.memory.max} and {@code parigot.handler.time.max} (annotation {@code memoryMax},
 * {@code handlerTimeMax}): validated with errors that name the key and the accepted forms, handed
 * to every world, and recorded with a failing seed, which runs under them again.
 */
class LimitSettingsTest {
    @TempDir
    Path dir;

    @BeforeEach
    void reset() {
        Limits.SEEN.clear();
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "parigot.memory.max       | lots     | parigot.memory.max=lots is not valid: linear memory per WASM node: a size such as 64MiB, 256m, 1g or 1048576 (bytes); k, m and g mean KiB, MiB and GiB; at least 64KiB, at most 4GiB (default 256MiB)",
        "parigot.memory.max       | 1.5g     | parigot.memory.max=1.5g is not valid: linear memory per WASM node: a size such as",
        "parigot.memory.max       | 64 pages | parigot.memory.max=64 pages is not valid: linear memory per WASM node: a size such as",
        "parigot.memory.max       | 1KiB     | parigot.memory.max=1KiB is not valid: 1KiB is less than one WASM page (64KiB); linear memory per WASM node:",
        "parigot.memory.max       | 8g       | parigot.memory.max=8g is not valid: 8GiB is more than a 32-bit WASM memory can hold (4GiB); linear memory",
        "parigot.memory.max       | 99999999999999999999 | parigot.memory.max=99999999999999999999 is not valid: linear memory per WASM node",
        "parigot.handler.time.max | soon     | parigot.handler.time.max=soon is not valid: use a duration such as 30s, 10m, 2h, 500ms or PT30S",
        "parigot.handler.time.max | 0ms      | parigot.handler.time.max=0ms is not valid: the duration must be positive",
        "parigot.handler.time.max | PT0.0005S | parigot.handler.time.max=PT0.0005S is not valid: wall-clock time one guest export may run before the world fails as a hang: a duration such as 5s or 500ms, at least 1ms (default 5s), in whole milliseconds",
    })
    void malformedLimitFailsEveryMethodNamingKeyAndAcceptedForms(String key, String value, String expected) {
        BadInputTest.assertSettingRefused(dir, key, value, expected);
    }

    @Test
    void invalidAnnotationValuesFailTheirMethodWithWhatToWriteInstead() {
        EngineExecutionResults results = EngineRun.in(dir).run(BadLimits.class);

        BadInputTest.assertFails(results, "wordyMemory", "@ParigotSimTest(memoryMax)=lots is not valid: "
                + WorldSettings.MEMORY_MAX_FORMS);
        BadInputTest.assertFails(results, "tinyMemory", "@ParigotSimTest(memoryMax)=1KiB is not valid: 1KiB is less"
                + " than one WASM page (64KiB); " + WorldSettings.MEMORY_MAX_FORMS);
        BadInputTest.assertFails(results, "wordyHandlerTime", "@ParigotSimTest(handlerTimeMax)=a while is not valid:"
                + " use a duration such as 30s, 10m, 2h, 500ms or PT30S");
        BadInputTest.assertFails(results, "zeroHandlerTime", "@ParigotSimTest(handlerTimeMax)=0s is not valid: the"
                + " duration must be positive");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
        "parigot.memory.max       | 64MiB      | memory 67108864",
        "parigot.memory.max       | 256m       | memory 268435456",
        "parigot.memory.max       | 1g         | memory 1073741824",
        "parigot.memory.max       | 1048576    | memory 1048576",
        "parigot.memory.max       | ' 64 kib ' | memory 65536",
        "parigot.memory.max       | 2GB        | memory 2147483648",
        "parigot.memory.max       | 4GiB       | memory 4294967296",
        "parigot.handler.time.max | 500ms      | handler 500",
        "parigot.handler.time.max | PT2S       | handler 2000",
        "parigot.handler.time.max | 1m         | handler 60000",
    })
    void wellFormedLimitsReachEveryWorld(String key, String value, String expected) {
        EngineRun.in(dir).set(key, value).run(Limits.class);

        assertThat(Limits.SEEN).contains("seesTheLimits " + expected);
    }

    @Test
    void defaultsAreTheKernelsAndTheAnnotationSetsThemUnlessConfigured() {
        EngineRun.in(dir.resolve("plain")).run(Limits.class);
        assertThat(Limits.SEEN).contains("seesTheLimits memory 268435456", "seesTheLimits handler 5000",
                "seesAnnotatedLimits memory 8388608", "seesAnnotatedLimits handler 300");

        Limits.SEEN.clear();
        EngineRun.in(dir.resolve("configured")).set(Settings.MEMORY_MAX, "16MiB").run(Limits.class);
        assertThat(Limits.SEEN).contains("seesAnnotatedLimits memory 16777216", "seesAnnotatedLimits handler 300");
    }

    @Test
    void aFailingSeedRecordsTheLimitsAndRunsUnderThemAgain() {
        EngineRun run = EngineRun.in(dir).set(Settings.MEMORY_MAX, "8MiB").set(Settings.HANDLER_TIME_MAX, "300ms");
        Event failed = failedSeeds(run.run(FailsUnderLimits.class)).get(0);

        assertThat(message(failed))
                .contains(" -Dparigot.seed=" + Seed.FIRST + " -Dparigot.memory.max=8MiB"
                        + " -Dparigot.handler.time.max=300ms\n")
                .contains("@ParigotSimTest(seed = \"" + Seed.FIRST + "\", memoryMax = \"8MiB\","
                        + " handlerTimeMax = \"300ms\")");
        assertThat(EngineRun.read(run.failuresFile())).contains(FailsUnderLimits.class.getName() + "#fails "
                + Seed.FIRST + " -Dparigot.strategy=mix -Dparigot.faults=none -Dparigot.memory.max=8MiB"
                + " -Dparigot.handler.time.max=300ms ASSERTION");

        // Run again with the defaults: the remembered seed runs under its limits, then the sweep's under the run's.
        Limits.SEEN.clear();
        EngineExecutionResults again = EngineRun.in(dir).set(Settings.PARALLELISM, "1").run(FailsUnderLimits.class);
        assertThat(failedSeedTexts(again)).startsWith(Seed.FIRST + " (recorded settings)");
        // Each seed twice: the determinism re-run of a failing seed.
        assertThat(Limits.SEEN).containsExactly("fails memory 8388608", "fails handler 300", "fails memory 8388608",
                "fails handler 300", "fails memory 268435456", "fails handler 5000", "fails memory 268435456",
                "fails handler 5000");
    }

    @Test
    void aHandlerSlowerThanTheAnnotatedTimeFailsAsAHangThatSaysSo() {
        Event hang = failedSeeds(EngineRun.in(dir).run(Hangs.class)).get(0);

        assertThat(message(hang))
                .contains("hang: node 'hang' did not return from parigot_on_call (test.v1.Hang/Spin, call 1) within"
                        + " 200 ms of wall-clock time")
                .contains("@ParigotSimTest(seed = \"" + Seed.FIRST + "\", handlerTimeMax = \"200ms\")");
    }

    /** Records the limits each world got. */
    static class Limits {
        static final Queue<String> SEEN = new ConcurrentLinkedQueue<>();

        static void see(String method, Sim sim) {
            SEEN.add(method + " memory " + sim.config().memoryBytesMax());
            SEEN.add(method + " handler " + sim.config().handlerWallMillisMax());
        }

        @ParigotSimTest(seeds = 1)
        void seesTheLimits(Sim sim) {
            see("seesTheLimits", sim);
        }

        @ParigotSimTest(seeds = 1, memoryMax = "8MiB", handlerTimeMax = "300ms")
        void seesAnnotatedLimits(Sim sim) {
            see("seesAnnotatedLimits", sim);
        }
    }

    static class FailsUnderLimits {
        @ParigotSimTest(seeds = 1)
        void fails(Sim sim) {
            Limits.see("fails", sim);
            throw new AssertionError("fails whatever the limits");
        }
    }

    static class Hangs {
        static final GuestModule HANG = GuestModule.fromResource(Hangs.class, "/guests/hang.wasm");

        @ParigotSimTest(seeds = 1, handlerTimeMax = "200ms")
        void spins(Sim sim) {
            sim.add(HANG);
            sim.client("client").call("test.v1.Hang", "Spin", new byte[0]);
            sim.run();
        }
    }

    static class BadLimits {
        @ParigotSimTest(memoryMax = "lots")
        void wordyMemory(Sim sim) {
        }

        @ParigotSimTest(memoryMax = "1KiB")
        void tinyMemory(Sim sim) {
        }

        @ParigotSimTest(handlerTimeMax = "a while")
        void wordyHandlerTime(Sim sim) {
        }

        @ParigotSimTest(handlerTimeMax = "0s")
        void zeroHandlerTime(Sim sim) {
        }
    }
}
