package dev.parigot.sim.junit.internal;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.junit.SeedFailure;
import dev.parigot.sim.kernel.GuestModule;
import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.platform.engine.ConfigurationParameters;
import org.junit.platform.engine.EngineDiscoveryRequest;
import org.junit.platform.engine.EngineExecutionListener;
import org.junit.platform.engine.ExecutionRequest;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestEngine;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.UniqueId;
import org.junit.platform.engine.support.descriptor.EngineDescriptor;

/**
 * The Parigot Sim test engine ({@code parigot-sim}): discovers {@link ParigotSimTest} methods
 * and runs each under many seeds. Registered for {@link java.util.ServiceLoader}, so Maven
 * Surefire, Gradle, IntelliJ and the Console Launcher find it next to Jupiter.
 */
public final class ParigotSimEngine implements TestEngine {
    public static final String ID = "parigot-sim";

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public Optional<String> getGroupId() {
        return Optional.of("dev.parigot.sim");
    }

    @Override
    public Optional<String> getArtifactId() {
        return Optional.of("parigot-sim-junit-engine");
    }

    @Override
    public TestDescriptor discover(EngineDiscoveryRequest request, UniqueId uniqueId) {
        EngineDescriptor engine = new EngineDescriptor(uniqueId, "Parigot Sim");
        SimDiscovery.discover(request, engine);
        return engine;
    }

    @Override
    public void execute(ExecutionRequest request) {
        TestDescriptor engine = request.getRootTestDescriptor();
        EngineExecutionListener listener = request.getEngineExecutionListener();
        ConfigurationParameters config = request.getConfigurationParameters();
        listener.executionStarted(engine);
        // Before any test class is initialized: their static fields often load modules.
        Optional<String> compiledProblem = Settings.useCompiledCache(config.get(Settings.COMPILED));
        Optional<String> unknown = Settings.unknownKeys(keys(config)).or(() -> compiledProblem);
        if (!engine.getChildren().isEmpty() && HUGE_METHODS_HINTED.compareAndSet(false, true)) {
            hugeMethodsHint(GuestModule.jvmInterpretsLargeFunctions()).ifPresent(console()::println);
        }
        for (TestDescriptor child : engine.getChildren()) {
            SimClassDescriptor classDescriptor = (SimClassDescriptor) child;
            if (classDescriptor.disabledReason.isPresent()) {
                listener.executionSkipped(classDescriptor, classDescriptor.disabledReason.get());
                continue;
            }
            listener.executionStarted(classDescriptor);
            for (TestDescriptor grandchild : classDescriptor.getChildren()) {
                SimMethodDescriptor method = (SimMethodDescriptor) grandchild;
                if (method.disabledReason.isPresent()) {
                    listener.executionSkipped(method, method.disabledReason.get());
                } else {
                    executeMethod(method, listener, config, unknown);
                }
            }
            listener.executionFinished(classDescriptor, TestExecutionResult.successful());
        }
        listener.executionFinished(engine, TestExecutionResult.successful());
    }

    private static void executeMethod(SimMethodDescriptor method, EngineExecutionListener listener,
            ConfigurationParameters config, Optional<String> unknownKeys) {
        listener.executionStarted(method);
        TestExecutionResult result;
        try {
            if (unknownKeys.isPresent()) {
                throw new SettingsException(unknownKeys.get());
            }
            TestClassInit.initialize(method.testClass);
            Settings settings = Settings.of(method.method.getAnnotation(ParigotSimTest.class),
                    selectedSeedsOr(method, config), config.keySet(), System.getenv());
            new MethodRun(method, listener, settings, console()).run();
            result = TestExecutionResult.successful();
        } catch (SettingsException e) {
            result = TestExecutionResult.failed(new SettingsError(e.getMessage()));
        } catch (SeedFailure | RuntimeException e) { // a StaticInitializerError too
            result = TestExecutionResult.failed(e);
        }
        listener.executionFinished(method, result);
    }

    /**
     * The settings' values: the configuration's, except that a method selected by the unique ids
     * of some of its seeds runs those seeds as fixed seeds.
     */
    private static Function<String, Optional<String>> selectedSeedsOr(SimMethodDescriptor method,
            ConfigurationParameters config) {
        List<FailureStore.Remembered> selected = method.selectedSeeds();
        if (selected.isEmpty()) {
            return config::get;
        }
        String seeds = selected.stream().map(r -> r.seed().toString()).distinct().collect(Collectors.joining(","));
        return key -> key.equals(Settings.SEED) ? Optional.of(seeds) : config.get(key);
    }

    /** Every key set as a configuration parameter or a system property. */
    private static Set<String> keys(ConfigurationParameters config) {
        Set<String> keys = new LinkedHashSet<>(config.keySet());
        for (String name : System.getProperties().stringPropertyNames()) {
            keys.add(name);
        }
        return keys;
    }

    private static PrintStream console() {
        return System.out;
    }

    private static final java.util.concurrent.atomic.AtomicBoolean HUGE_METHODS_HINTED =
            new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * The console line for a test JVM that leaves large methods to its bytecode interpreter, or
     * nothing: guest functions compile to JVM methods, and C's printf, an embedded SQLite or Lua
     * compile to methods over HotSpot's 8,000-byte limit. Said once per JVM on the console, where a
     * user sees it whatever their logging (the kernel also logs it under parigot.sim.performance).
     */
    static Optional<String> hugeMethodsHint(Optional<Boolean> dontCompileHugeMethods) {
        if (!dontCompileHugeMethods.orElse(false)) {
            return Optional.empty();
        }
        return Optional.of("[parigot] this test JVM runs large guest functions (over 8,000 bytes of JVM bytecode,"
                + " such as C's printf or an embedded SQLite or Lua) in its bytecode interpreter: add"
                + " -XX:-DontCompileHugeMethods to the test JVM (Surefire's <argLine>, as the quickstart's pom.xml"
                + " does) and seeds often run 2 to 4 times faster");
    }

    /**
     * The static initializer of the test class threw (a module that does not load, in a static
     * field): the message is what it threw, in its own words; the cause is what it threw.
     */
    public static final class StaticInitializerError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StaticInitializerError(String message, Throwable thrown) {
            super(message, thrown);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this; // the cause's trace, down to the static initializer, is the one that matters
        }
    }

    /** A setting of this test is not valid; the message says which and what to write instead. */
    public static final class SettingsError extends AssertionError {
        private static final long serialVersionUID = 1L;

        SettingsError(String message) {
            super(message);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
