package dev.parigot.sim.junit.internal;

import dev.parigot.sim.junit.ParigotSimTest;
import dev.parigot.sim.kernel.FailureKind;
import dev.parigot.sim.kernel.LogLine;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.kernel.SimFailure;
import dev.parigot.sim.kernel.Trace;
import dev.parigot.sim.scheduler.ChoiceRecording;
import dev.parigot.sim.scheduler.ChoiceSource;
import dev.parigot.sim.scheduler.Seed;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a test method under one seed: a fresh world, a fresh instance of the test class, the
 * method invoked with the world; whatever it throws becomes the world's failure.
 */
final class SeedExecutor {
    private final Class<?> testClass;
    private final Method method;
    private final Constructor<?> constructor;
    /** What shapes the worlds this executor runs. */
    final WorldSettings world;
    /** The world configuration of every seed but the seed itself: built and validated once. */
    private final SimConfig base;
    /** As {@link #base}, keeping every step and log line: for a failing seed's full trace. */
    private final SimConfig recording;

    /** Whether the first run of a seed echoes its log through SLF4J (a re-run never does: once is enough). */
    private final boolean echoLog;
    private final boolean snapshots;

    /** The choices every world replays ({@code parigot.replay}), or null: worlds draw from their seed. */
    private final ChoiceRecording replay;
    /** Whether a replay's leaving its recording was said (once per method). */
    private final java.util.concurrent.atomic.AtomicBoolean divergenceSaid = new java.util.concurrent.atomic.AtomicBoolean();

    private SeedExecutor(Class<?> testClass, Method method, Constructor<?> constructor, WorldSettings world,
            boolean echoLog, boolean snapshots, ChoiceRecording replay) {
        this.echoLog = echoLog;
        this.snapshots = snapshots;
        this.replay = replay;
        SimConfig.Builder config = world.config(testClass).toBuilder().echoLog(echoLog).snapshots(snapshots);
        if (replay != null) {
            config.replayChoices(replay);
        }
        this.base = config.build();
        this.recording = base.toBuilder().traceStepsKept(Integer.MAX_VALUE).logLinesKept(Integer.MAX_VALUE)
                .tracePayloads(true).echoLog(false).build();
        this.testClass = testClass;
        this.method = method;
        this.constructor = constructor;
        this.world = world;
    }

    /** The same method run under other world settings (a remembered seed's). */
    SeedExecutor under(WorldSettings other) {
        return new SeedExecutor(testClass, method, constructor, other, echoLog, snapshots, replay);
    }

    /** Checks that the method can run at all; the message says what to change. */
    static SeedExecutor prepare(Class<?> testClass, Method method, Settings settings) {
        String where = testClass.getSimpleName() + "#" + method.getName();
        if (Modifier.isStatic(method.getModifiers())) {
            throw new SettingsException("@ParigotSimTest method " + where + " is static; make it an instance method"
                    + " (each seed gets a fresh instance of " + testClass.getSimpleName() + ")");
        }
        if (Modifier.isPrivate(method.getModifiers())) {
            throw new SettingsException("@ParigotSimTest method " + where + " is private; make it package-private"
                    + " or public");
        }
        if (method.getReturnType() != void.class) {
            throw new SettingsException("@ParigotSimTest method " + where + " returns " + method.getReturnType()
                    .getSimpleName() + "; it must return void");
        }
        Class<?>[] types = method.getParameterTypes();
        boolean sim = false;
        boolean seed = false;
        for (int i = 0; i < types.length; i++) {
            if (types[i] == Sim.class && !sim) {
                sim = true;
            } else if (types[i] == Seed.class && !seed) {
                seed = true;
            } else {
                throw new SettingsException("@ParigotSimTest method " + where + " cannot run: its parameter " + (i + 1)
                        + " has type " + types[i].getSimpleName() + "; a @ParigotSimTest method may take a Sim (the"
                        + " world of the seed) and a Seed, each at most once, in any order");
            }
        }
        // Before the constructor: an inner class has none without parameters, and static is the fix.
        if (testClass.isMemberClass() && !Modifier.isStatic(testClass.getModifiers())) {
            throw new SettingsException("test class " + testClass.getName() + " is an inner class; make it static");
        }
        Constructor<?> constructor;
        try {
            constructor = testClass.getDeclaredConstructor();
            constructor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new SettingsException("test class " + testClass.getName() + " has no constructor without"
                    + " parameters; add one (each seed gets a fresh instance)");
        }
        method.setAccessible(true);
        return new SeedExecutor(testClass, method, constructor, settings.world, settings.echoLog,
                settings.snapshots, settings.replayChoices);
    }

    /**
     * Runs the method under {@code seed}. A failing seed's outcome keeps its trace and the log
     * lines its world kept; {@code keepTrace} keeps the trace of a passing one too, and
     * {@code recording} keeps every step and every log line, each placed after its step.
     */
    SeedOutcome run(Seed seed, boolean keepTrace, boolean recording) {
        return run((recording ? this.recording : base).withSeed(seed), seed, keepTrace, recording).outcome();
    }

    /**
     * A run, what its world drew ({@code null} unless the world recorded its choices) and
     * injected; a run that kept every step keeps its world in the outcome, for a report's timeline.
     */
    record Ran(SeedOutcome outcome, ChoiceRecording choices, int faults) {
    }

    /**
     * Runs the method under {@code seed} recording the world's choices, or, with {@code replay},
     * drawing them from that recording instead of the seed (a shrinker's candidate: it replays
     * leniently, see {@link ChoiceSource#replay}). {@code full} keeps every step, log line and
     * payload, for a report.
     */
    Ran runChoices(Seed seed, ChoiceRecording replay, boolean full) {
        SimConfig.Builder config = (full ? recording : base).toBuilder().echoLog(false).tracePayloads(full);
        config.choices(replay == null ? ChoiceSource.seeded().recorded(true)
                : ChoiceSource.replay(replay).recorded(true));
        return run(config.build().withSeed(seed), seed, full, full);
    }

    private Ran run(SimConfig config, Seed seed, boolean keepTrace, boolean recording) {
        Sim sim = Sim.create(config);
        List<TraceFile.LogEntry> heard = new ArrayList<>();
        if (recording) {
            sim.onLog(line -> heard.add(new TraceFile.LogEntry(sim.steps(), line)));
        }
        Throwable thrown = null;
        try {
            Object instance = constructor.newInstance();
            Class<?>[] types = method.getParameterTypes();
            Object[] args = new Object[types.length];
            for (int i = 0; i < types.length; i++) {
                args[i] = types[i] == Sim.class ? sim : seed;
            }
            method.invoke(instance, args);
        } catch (InvocationTargetException e) {
            thrown = e.getCause();
        } catch (ReflectiveOperationException | RuntimeException e) {
            thrown = new IllegalStateException("cannot create an instance of " + testClass.getName() + ": " + e, e);
        }
        SimFailure failure = sim.failure().orElse(null);
        if (replay != null && sim.choicesDiverged().isPresent() && divergenceSaid.compareAndSet(false, true)) {
            // A replay that left its recording ran another world: passing or not, it is not the shrunk run.
            System.out.println("[parigot] " + testClass.getSimpleName() + "#" + method.getName() + ": seed " + seed
                    + " left the replayed choices (" + sim.choicesDiverged().get() + "), so this is not the recorded"
                    + " run: replay it under the settings and the code its command was printed for");
        }
        if (thrown == null && failure == null && sim.callsNeverRun().isPresent()) {
            thrown = new IllegalStateException(sim.callsNeverRun().get());
        }
        if (thrown != null) {
            // An OutOfMemoryError the test's own code threw fails the seed as RESOURCE; its world is dropped below.
            failure = sim.recordFailure(thrown);
        }
        if (thrown instanceof LinkageError) {
            // Nothing a seed should swallow: the classpath is broken.
            throw (Error) thrown;
        }
        Trace trace = sim.trace();
        List<TraceFile.LogEntry> log = null;
        if (recording || failure != null) {
            // Lines written after the last step a listener heard, or (not recording) the lines kept, place unknown.
            List<LogLine> kept = sim.log();
            long after = recording ? sim.steps() : -1;
            for (int i = recording ? heard.size() : 0; i < kept.size(); i++) {
                heard.add(new TraceFile.LogEntry(after, kept.get(i)));
            }
            log = heard;
        }
        WorldMemory memory = new WorldMemory(sim.moduleDigests().size(), sim.linearMemoryBytesMax(),
                sim.config().memoryBytesMax());
        SeedOutcome outcome = new SeedOutcome(seed, failure, thrown, sim.steps(), sim.nowNanos(), trace.hash(),
                sim.assertions(), failure == null && !keepTrace && !recording ? null : trace, log, "",
                sim.modulesChanged().orElse(null), null, memory, recording ? sim : null);
        Ran ran = new Ran(outcome, config.choices().records() ? sim.choiceRecording() : null,
                (int) sim.injectedFaults().stream().filter(f -> !f.isCalm()).count());
        if (!recording) {
            // Nothing keeps this world: its guest instances serve the next seed's world on this thread.
            sim.close();
        }
        return ran;
    }

    /**
     * Runs a failing seed again and says whether it failed the same way; {@code recording} keeps
     * the re-run's every step and log line in the outcome, for its full trace.
     */
    SeedOutcome confirm(SeedOutcome first, boolean recording) {
        SeedOutcome again = run(first.seed(), true, recording);
        String note = again.traceHash() == first.traceHash() && sameFailure(first.failure(), again.failure())
                ? "re-run: the same failure and trace hash" : divergence(first, again);
        SeedOutcome confirmed = first.withDeterminismNote(note, first.failure());
        return recording ? confirmed.withRecording(again.trace(), again.log(), again.sim()) : confirmed;
    }

    /** Runs a passing seed again; a different trace turns it into a failure. */
    SeedOutcome recheck(SeedOutcome first) {
        SeedOutcome again = run(first.seed(), true, false);
        if (again.traceHash() == first.traceHash() && again.passed()) {
            return first.withoutTrace();
        }
        String note = divergence(first, again);
        SimFailure failure = again.failure() != null ? again.failure() : new SimFailure(first.seed(),
                world.strategy(), FailureKind.TEST_CODE, "the seed is not deterministic: " + note, "", first.steps(),
                first.timeNanos(), first.traceHash(), List.of(), List.of(), List.of(), Map.of(), Map.of());
        return new SeedOutcome(first.seed(), failure, null, first.steps(), first.timeNanos(), first.traceHash(),
                first.assertions(), again.trace(), again.log(), note, first.modulesChanged(), null, first.memory(),
                null);
    }

    private static boolean sameFailure(SimFailure a, SimFailure b) {
        return a != null && b != null && a.kind() == b.kind() && a.reason().equals(b.reason())
                && a.step() == b.step();
    }

    private static String divergence(SeedOutcome first, SeedOutcome again) {
        if (first.trace() != null && again.trace() != null) {
            long step = Trace.firstDivergence(first.trace(), again.trace());
            String at = step < 0 ? "the traces are identical but the outcome differs"
                    : "the traces diverge at step " + step + describe(first.trace(), step, "first run")
                    + describe(again.trace(), step, "re-run");
            return "NOT deterministic: a re-run of this seed " + (again.passed() ? "passed" : "failed differently")
                    + "; " + at + ". Something in the test or a service reads real time, real randomness or"
                    + " iteration order outside the world (see docs/kernel.md, determinism)";
        }
        return "NOT deterministic: a re-run gave trace hash " + Long.toHexString(again.traceHash()) + " instead of "
                + Long.toHexString(first.traceHash());
    }

    private static String describe(Trace trace, long step, String label) {
        if (trace.retains(step)) {
            return "; " + label + ": " + trace.step(step);
        }
        return "; " + label + ": " + (step > trace.steps() ? "ended after step " + trace.steps() : "(not kept)");
    }
}
