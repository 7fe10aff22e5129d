package dev.parigot.sim.junit.internal;

import static dev.parigot.sim.junit.internal.EngineRun.failedSeeds;
import static dev.parigot.sim.junit.internal.EngineRun.message;
import static dev.parigot.sim.junit.internal.EngineRun.methodReport;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.skippedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.cause;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.junit.internal.Fixtures.OneDepositor;
import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.ModuleException;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.scheduler.Seed;
import dev.parigot.sim.scheduler.Strategies;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.Event;

/**
 * What a user can get wrong (annotation values, parameters, the shape of the test class,
 * configuration values, a test that throws before its world runs, a static initializer that
 * throws) fails that test with a sentence saying what to change, and never stops the other tests.
 */
class BadInputTest {
    @TempDir
    Path dir;

    EngineExecutionResults run(Class<?> fixture) {
        return EngineRun.in(dir).run(fixture);
    }

    static void assertFails(EngineExecutionResults results, String method, String expectedMessage) {
        results.testEvents().assertThatEvents().haveExactly(1, event(test("method:" + method + "("),
                finishedWithFailure(instanceOf(ParigotSimEngine.SettingsError.class), message(expectedMessage))));
    }

    static void assertPasses(EngineExecutionResults results, String method) {
        results.testEvents().assertThatEvents().haveExactly(1,
                event(test("method:" + method + "("), finishedSuccessfully()));
    }

    @Test
    void invalidAnnotationValuesFailTheirMethodWithWhatToWriteInstead() {
        EngineExecutionResults results = run(BadAnnotations.class);

        assertFails(results, "zeroSeeds", "@ParigotSimTest(seeds = 0) is not valid: seeds must be a positive number"
                + " of seeds to run, e.g. seeds = 1000");
        assertFails(results, "unknownStrategy", "strategy \"fastest\" is not valid: BadAnnotations has no method"
                + " fastest() without parameters; use one of " + Strategies.NAMES + ", or the name of a static method"
                + " of the test class returning a Strategy");
        String pct = org.assertj.core.api.Assertions.catchThrowable(() -> Strategies.named("pct:x")).getMessage();
        assertFails(results, "malformedStrategy", "@ParigotSimTest(strategy = \"pct:x\") is not valid: " + pct
                + ", or the name of a static method of the test class returning a Strategy");
        assertFails(results, "strategyMethodOfTheWrongType", "strategy \"notAStrategy\" is not valid: method"
                + " notAStrategy of BadAnnotations must be static and return a Strategy; use one of "
                + Strategies.NAMES + ", or the name of a static method of the test class returning a Strategy");
        assertFails(results, "negativeStepsMax", "@ParigotSimTest(stepsMax = -1) is not valid: use a positive number"
                + " of steps, or 0 for the default");
        assertFails(results, "wordyVirtualTime", "@ParigotSimTest(virtualTimeMax)=ten seconds is not valid: use a"
                + " duration such as 30s, 10m, 2h, 500ms or PT30S");
        assertFails(results, "zeroTimeBudget", "@ParigotSimTest(timeBudget)=0s is not valid: the duration must be"
                + " positive");
        assertFails(results, "badSeedText", "@ParigotSimTest(seed): '0xZZ' is not a seed: write it as 0x followed by"
                + " 1 to 16 hex digits (as printed, e.g. 0x5eed00000000002a) or as an unsigned decimal number (e.g. 42)");
        assertFails(results, "negativeReportSteps", "@ParigotSimTest(reportSteps = -1) is not valid: use zero or more");
        assertFails(results, "negativeReportLogLines", "@ParigotSimTest(reportLogLines = -2) is not valid: use zero or"
                + " more");
        String parameterForm = " is not valid: write each parameter as name=value, e.g. parameters ="
                + " \"raft.wasm=raft-fixed.wasm\"; names starting with parigot. or junit. belong to the engines";
        assertFails(results, "parameterWithoutValue", "@ParigotSimTest(parameters = \"raft.wasm\")" + parameterForm);
        assertFails(results, "parameterOfTheEngine", "@ParigotSimTest(parameters = \"parigot.seed=1\")"
                + parameterForm);
        assertPasses(results, "valid");
        results.testEvents().assertStatistics(s -> s.started(13).failed(12).succeeded(1));
    }

    @Test
    void aTestThatMakesCallsAndNeverRunsTheWorldFailsEachSeedSayingSo() {
        List<Event> failed = failedSeeds(run(NeverRuns.class));

        assertThat(failed).hasSize(3).allSatisfy(e -> assertThat(message(e))
                .contains("the test returned after making 2 calls (alice -> test.v1.Counter/Add, alice ->"
                        + " test.v1.Counter/Add) without running the world again")
                .contains("sim.runUntil(...)"));
    }

    @Test
    void unsupportedMethodShapesFailTheirMethodAndSayWhatAMethodMayTake() {
        ValidParameters.RUN.clear();

        EngineExecutionResults results = run(BadParameters.class);

        String may = "; a @ParigotSimTest method may take a Sim (the world of the seed) and a Seed, each at most once,"
                + " in any order";
        assertFails(results, "takesAString", "@ParigotSimTest method BadParameters#takesAString cannot run: its"
                + " parameter 1 has type String" + may);
        assertFails(results, "takesTwoWorlds", "@ParigotSimTest method BadParameters#takesTwoWorlds cannot run: its"
                + " parameter 2 has type Sim" + may);
        assertFails(results, "returnsAValue", "@ParigotSimTest method BadParameters#returnsAValue returns int; it"
                + " must return void");
        assertFails(results, "isStatic", "@ParigotSimTest method BadParameters#isStatic is static; make it an"
                + " instance method (each seed gets a fresh instance of BadParameters)");
        assertFails(results, "isPrivate", "@ParigotSimTest method BadParameters#isPrivate is private; make it"
                + " package-private or public");
        assertPasses(results, "takesSeedThenSim");
        assertPasses(results, "takesNothing");
        assertThat(ValidParameters.RUN).hasSize(3);
    }

    @Test
    void testClassThatCannotBeInstantiatedFailsWithWhatToChange() {
        assertFails(run(NoDefaultConstructor.class), "needsAnInstance", "test class "
                + NoDefaultConstructor.class.getName() + " has no constructor without parameters; add one (each seed"
                + " gets a fresh instance)");
        assertFails(run(NotStatic.class), "needsAnInstance", "test class " + NotStatic.class.getName()
                + " is an inner class; make it static");
    }

    @Test
    void aModuleThatFailsToLoadInAStaticFieldFailsEveryMethodWithTheModulesSentenceFirst() {
        EngineExecutionResults results = run(LoadsAMissingModule.class);

        String sentence = "module file target/no-such-guest.wasm does not exist (looked for ";
        for (String method : List.of("first", "second")) {
            results.testEvents().assertThatEvents().haveExactly(1, event(test("method:" + method + "("),
                    finishedWithFailure(instanceOf(ParigotSimEngine.StaticInitializerError.class),
                            message(m -> m.startsWith(sentence) && m.lines().count() == 2 && m.endsWith("\n  (thrown"
                                    + " by the static initializer of " + LoadsAMissingModule.class.getName() + ":"
                                    + " none of its methods can run)")),
                            cause(instanceOf(ModuleException.class), message(m -> m.startsWith(sentence))))));
        }
        results.testEvents().assertStatistics(s -> s.dynamicallyRegistered(0).started(2).failed(2));
        results.testEvents().assertThatEvents().haveExactly(1, event(test("disabled"), skippedWithReason(
                "LoadsAMissingModule#disabled is @Disabled")));
    }

    @Test
    void aTestClassThatFailedToInitializeBeforeTheEngineRanFailsWithTheSameSentence() {
        assertThatThrownBy(() -> Class.forName(FailedBefore.class.getName(), true,
                FailedBefore.class.getClassLoader())).isInstanceOf(ExceptionInInitializerError.class);

        EngineExecutionResults results = run(FailedBefore.class);

        results.testEvents().assertThatEvents().haveExactly(1, event(test("method:readsTheLedger("),
                finishedWithFailure(instanceOf(ParigotSimEngine.StaticInitializerError.class),
                        message(m -> m.startsWith("ledger.properties not found; create src/test/resources/ledger"
                                + ".properties\n  (thrown by the static initializer of ")))));
    }

    @Test
    void methodThatThrowsBeforeItsWorldRunsFailsEachSeedWithWhatItThrew() {
        EngineExecutionResults results = run(ThrowsBeforeRunning.class);

        assertThat(failedSeeds(results)).hasSize(3).allSatisfy(e -> assertThat(message(e))
                .contains("test code: the test threw before the world booted: java.lang.IllegalStateException:"
                        + " ledger.properties not found; create src/test/resources/ledger.properties")
                .contains("replay (from the repository root): "));
        assertThat(failedSeeds(results).get(0).getRequiredPayload(org.junit.platform.engine.TestExecutionResult.class)
                .getThrowable().orElseThrow().getCause()).isInstanceOf(IllegalStateException.class);
        assertThat(methodReport(results, "passes")).containsEntry("parigot.seeds", "3")
                .containsEntry("parigot.failures", "0");
        assertPasses(results, "passes");
    }

    @Test
    void constructorThatThrowsFailsEachSeedWithWhatItThrew() {
        EngineExecutionResults results = run(ThrowingConstructor.class);

        assertThat(failedSeeds(results)).hasSize(2).allSatisfy(e -> assertThat(message(e))
                .contains("the test threw before the world booted: java.lang.IllegalStateException: no ledger"));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "parigot.seeds              | many       | parigot.seeds=many is not valid: how many seeds to sweep: a positive integer, e.g. 100000",
        "parigot.seeds              | 0          | parigot.seeds=0 is not valid: how many seeds to sweep: a positive integer",
        "parigot.seed               | 0xZZ       | parigot.seed: '0xZZ' is not a seed: write it as 0x followed by 1 to 16 hex digits",
        "parigot.seed               | 1,,2       | parigot.seed: '' is not a seed",
        "parigot.seed               | -3         | parigot.seed: '-3' is not a seed",
        "parigot.seed.first         | soon       | parigot.seed.first=soon is not valid: the first seed of a sweep: a seed (0x... or decimal), or 'random' for a new one",
        "parigot.strategy           | fastest    | strategy \"fastest\" is not valid: OneDepositor has no method fastest() without parameters; use one of [fifo, random",
        "parigot.strategy           | pct:0      | parigot.strategy=pct:0 is not valid: ",
        "parigot.time.budget        | soon       | parigot.time.budget=soon is not valid: use a duration such as 30s, 10m, 2h, 500ms or PT30S",
        "parigot.time.budget        | 0s         | parigot.time.budget=0s is not valid: the duration must be positive",
        "parigot.time.budget        | -PT1S      | parigot.time.budget=-PT1S is not valid: the duration must be positive",
        "parigot.parallelism        | 0          | parigot.parallelism=0 is not valid: threads running seeds: a positive integer, or 'cores' (the default)",
        "parigot.parallelism        | all        | parigot.parallelism=all is not valid: threads running seeds: a positive integer, or 'cores'",
        "parigot.shard              | 3/2        | parigot.shard=3/2 is not valid: this machine's part of a sweep split n ways: i/n with 1 <= i <= n, e.g. 2/4",
        "parigot.shard              | 0/2        | parigot.shard=0/2 is not valid: this machine's part of a sweep split n ways: i/n",
        "parigot.shard              | 2          | parigot.shard=2 is not valid: this machine's part of a sweep split n ways: i/n",
        "parigot.shard              | 1/0        | parigot.shard=1/0 is not valid: this machine's part of a sweep split n ways: i/n",
        "parigot.stop               | sometimes  | parigot.stop=sometimes is not valid: when to stop: 'first' (at the first failing seed) or 'never'",
        "parigot.determinism        | maybe      | parigot.determinism=maybe is not valid: re-run seeds to check determinism: 'failures' (the default), 'all' or 'off'",
        "parigot.steps.max          | -5         | parigot.steps.max=-5 is not valid: steps per world: a positive integer",
        "parigot.steps.max          | lots       | parigot.steps.max=lots is not valid: steps per world: a positive integer",
        "parigot.virtual.time.max   | forever    | parigot.virtual.time.max=forever is not valid: use a duration such as 30s, 10m, 2h, 500ms or PT30S",
        "parigot.progress           | -1         | parigot.progress=-1 is not valid: seconds between progress lines: a non-negative integer",
        "parigot.failures.reported  | 0          | parigot.failures.reported=0 is not valid: failing seeds reported as their own tests: a positive integer",
        "parigot.report.steps       | -1         | parigot.report.steps=-1 is not valid: trace steps a failure shows: a non-negative integer (default 20)",
        "parigot.report.log.lines   | some       | parigot.report.log.lines=some is not valid: log lines a failure shows: a non-negative integer (default 40)",
        "parigot.snapshots          | sometimes  | parigot.snapshots=sometimes is not valid: boot guest nodes from their module's boot image instead of running _initialize and parigot_start for every seed: 'on' (the default) or 'off'",
        "parigot.log.echo           | loud       | parigot.log.echo=loud is not valid: send the worlds' log lines through SLF4J as they are written: 'auto'",
        "parigot.modules            | echo       | parigot.modules=echo is not valid: the module each node is expected to run, as a replay command gives it: node:digest pairs, comma-separated, each digest 8 to 64 hex digits",
        "parigot.modules            | echo:12ab  | parigot.modules=echo:12ab is not valid: the module each node is expected to run",
        "parigot.modules            | echo:0123456z | parigot.modules=echo:0123456z is not valid: the module each node",
        "parigot.modules            | a:01234567, | parigot.modules=a:01234567, is not valid: the module each node",
    })
    void malformedSettingFailsEveryMethodNamingKeyAndAcceptedForms(String key, String value, String expected) {
        assertSettingRefused(dir, key, value, expected);
    }

    /** A malformed setting fails the method (no seed runs) with a message starting with {@code expected}. */
    static void assertSettingRefused(java.nio.file.Path dir, String key, String value, String expected) {
        EngineExecutionResults results = EngineRun.in(dir).set(key, value).run(OneDepositor.class);

        results.testEvents().assertThatEvents().haveExactly(1, event(test("method:balanceIsTheDeposit("),
                finishedWithFailure(instanceOf(ParigotSimEngine.SettingsError.class),
                        message(m -> m.startsWith(expected)))));
        results.testEvents().assertStatistics(s -> s.dynamicallyRegistered(0).failed(1));
    }

    @Test
    void unknownSettingFailsEveryMethodListingTheKnownOnes() {
        EngineExecutionResults results = EngineRun.in(dir).set("parigot.sedes", "5").set("parigot.paralelism", "2")
                .set("parigott.seeds", "10").set("parigot.somethingelse", "1").set("parigo.unknown", "1")
                .run(OneDepositor.class);

        // A slip of the prefix is caught too when the rest names a setting; the closest setting is suggested.
        results.testEvents().assertThatEvents().haveExactly(1, event(test("method:balanceIsTheDeposit("),
                finishedWithFailure(instanceOf(ParigotSimEngine.SettingsError.class), message("unknown settings"
                        + " parigot.paralelism (did you mean parigot.parallelism?), parigot.sedes (did you mean"
                        + " parigot.seeds?), parigot.somethingelse, parigott.seeds (did you mean parigot.seeds?);"
                        + " the settings are: " + String.join(", ", Settings.KEYS.keySet())
                        + " (see docs/junit-engine.md)"))));
    }

    @Test
    void wellFormedAlternativesAreAccepted() {
        EngineExecutionResults results = EngineRun.in(dir).set(Settings.SEEDS, "1_000")
                .set(Settings.SEED_FIRST, "12345").set(Settings.PARALLELISM, "cores")
                .set(Settings.TIME_BUDGET, "PT30S").set(Settings.VIRTUAL_TIME_MAX, "2m").set(Settings.STOP, "NEVER")
                .set(Settings.DETERMINISM, " Failures ").set(Settings.SHARD, " 2 / 4 ")
                .set(Settings.STEPS_MAX, "5000000000").set(Settings.STRATEGY, "random-walk")
                .set(Settings.REPORT_STEPS, "0").set(Settings.REPORT_LOG_LINES, " 100 ")
                .set(Settings.MODULES, "ledger:0123456789ABCDEF, teller : 01234567")
                .run(OneDepositor.class);

        results.testEvents().assertStatistics(s -> s.succeeded(1).failed(0));
        assertThat(methodReport(results, "balanceIsTheDeposit")).containsEntry("parigot.seeds", "250")
                .containsEntry("parigot.shard", "2/4").containsEntry("parigot.seed.first", Seed.of(12345).toString());
    }

    @Test
    void blankSettingCountsAsUnset() {
        EngineExecutionResults results = EngineRun.in(dir).set(Settings.SEEDS, " ").run(OneDepositor.class);

        assertThat(methodReport(results, "balanceIsTheDeposit")).containsEntry("parigot.seeds", "25");
    }

    static class BadAnnotations {
        @ParigotSimTest(seeds = 0)
        void zeroSeeds(Sim sim) {
        }

        @ParigotSimTest(strategy = "fastest")
        void unknownStrategy(Sim sim) {
        }

        @ParigotSimTest(strategy = "pct:x")
        void malformedStrategy(Sim sim) {
        }

        static String notAStrategy() {
            return "fifo";
        }

        @ParigotSimTest(strategy = "notAStrategy")
        void strategyMethodOfTheWrongType(Sim sim) {
        }

        @ParigotSimTest(stepsMax = -1)
        void negativeStepsMax(Sim sim) {
        }

        @ParigotSimTest(virtualTimeMax = "ten seconds")
        void wordyVirtualTime(Sim sim) {
        }

        @ParigotSimTest(timeBudget = "0s")
        void zeroTimeBudget(Sim sim) {
        }

        @ParigotSimTest(seed = "0xZZ")
        void badSeedText(Sim sim) {
        }

        @ParigotSimTest(reportSteps = -1)
        void negativeReportSteps(Sim sim) {
        }

        @ParigotSimTest(reportLogLines = -2)
        void negativeReportLogLines(Sim sim) {
        }

        @ParigotSimTest(parameters = "raft.wasm")
        void parameterWithoutValue(Sim sim) {
        }

        @ParigotSimTest(parameters = "parigot.seed=1")
        void parameterOfTheEngine(Sim sim) {
        }

        @ParigotSimTest(seeds = 3, reportSteps = 0, reportLogLines = 0, parameters = {"a=1", "b=x=y"})
        void valid(Sim sim) {
            LedgerWorld.deposits(sim, 1);
        }
    }

    static class BadParameters {
        @ParigotSimTest
        void takesAString(String name) {
        }

        @ParigotSimTest
        void takesTwoWorlds(Sim a, Sim b) {
        }

        @ParigotSimTest
        int returnsAValue(Sim sim) {
            return 0;
        }

        @ParigotSimTest
        static void isStatic(Sim sim) {
        }

        @ParigotSimTest
        @SuppressWarnings("unused")
        private void isPrivate(Sim sim) {
        }

        @ParigotSimTest(seeds = 2)
        void takesSeedThenSim(Seed seed, Sim sim) {
            ValidParameters.RUN.add(seed);
            LedgerWorld.deposits(sim, 1);
        }

        @ParigotSimTest(seeds = 1)
        void takesNothing() {
            ValidParameters.RUN.add(Seed.of(0));
        }
    }

    static final class ValidParameters {
        static final List<Seed> RUN = new CopyOnWriteArrayList<>();
    }

    static class NoDefaultConstructor {
        NoDefaultConstructor(int balance) {
        }

        @ParigotSimTest
        void needsAnInstance(Sim sim) {
        }
    }

    class NotStatic {
        @ParigotSimTest
        void needsAnInstance(Sim sim) {
        }
    }

    static class ThrowsBeforeRunning {
        @ParigotSimTest(seeds = 3)
        void readsMissingConfig(Sim sim) {
            throw new IllegalStateException("ledger.properties not found; create src/test/resources/ledger.properties");
        }

        @ParigotSimTest(seeds = 3)
        void passes(Sim sim) {
            LedgerWorld.deposits(sim, 1);
        }
    }

    static class LoadsAMissingModule {
        static final GuestModule MISSING = GuestModule.load(Path.of("target/no-such-guest.wasm"));

        @ParigotSimTest(seeds = 3)
        void first(Sim sim) {
            sim.add(MISSING).boot();
        }

        @ParigotSimTest(seeds = 3)
        void second(Sim sim) {
            sim.add(MISSING).boot();
        }

        @ParigotSimTest(seeds = 3)
        @Disabled
        void disabled(Sim sim) {
            sim.add(MISSING).boot();
        }
    }

    /** Initialized (and failed) by the test before the engine runs it. */
    static class FailedBefore {
        static final String CONFIG = readConfig();

        static String readConfig() {
            throw new IllegalStateException("ledger.properties not found; create src/test/resources/ledger.properties");
        }

        @ParigotSimTest(seeds = 1)
        void readsTheLedger(Sim sim) {
        }
    }

    static class NeverRuns {
        @ParigotSimTest(seeds = 3)
        void callsButNeverRuns(Sim sim) {
            sim.add("counter", dev.parigot.sim.kernel.JavaService.builder(LedgerWorld.COUNTER)
                    .rawMethod("Add", (request, call) -> call.reply(dev.parigot.sim.kernel.Status.OK, new byte[0]))
                    .build());
            dev.parigot.sim.kernel.TestClient alice = sim.client("alice");
            alice.call(LedgerWorld.COUNTER, "Add", new byte[0]);
            alice.call(LedgerWorld.COUNTER, "Add", new byte[0]);
        }

        @ParigotSimTest(seeds = 2)
        void runsThenLeavesNothingBehind(Sim sim) {
            sim.add("counter", dev.parigot.sim.kernel.JavaService.builder(LedgerWorld.COUNTER)
                    .rawMethod("Add", (request, call) -> call.reply(dev.parigot.sim.kernel.Status.OK, new byte[0]))
                    .build());
            sim.await(sim.client("alice").call(LedgerWorld.COUNTER, "Add", new byte[0]));
        }
    }

    static class ThrowingConstructor {
        ThrowingConstructor() {
            throw new IllegalStateException("no ledger");
        }

        @ParigotSimTest(seeds = 2)
        void neverReached(Sim sim) {
        }
    }
}
