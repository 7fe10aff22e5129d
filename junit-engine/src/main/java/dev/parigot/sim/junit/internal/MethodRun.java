package dev.parigot.sim.junit.internal;

import dev.parigot.sim.faults.TimeText;
import dev.parigot.sim.junit.SeedFailure;
import dev.parigot.sim.kernel.SimFailure;
import dev.parigot.sim.kernel.storage.v1.StorageOuterClass;
import dev.parigot.sim.reports.AssertionReport;
import dev.parigot.sim.reports.FailureReport;
import dev.parigot.sim.reports.MethodReport;
import dev.parigot.sim.reports.ReportJson;
import dev.parigot.sim.reports.SeedsCovered;
import dev.parigot.sim.reports.ShrinkReport;
import dev.parigot.sim.reports.html.PayloadDecoder;
import dev.parigot.sim.reports.html.ReportIndexHtml;
import dev.parigot.sim.reports.html.Timeline;
import dev.parigot.sim.reports.html.TimelineHtml;
import dev.parigot.sim.scheduler.Seed;
import dev.parigot.sim.scheduler.Shrinker;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Collectors;
import org.junit.platform.engine.EngineExecutionListener;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;

/**
 * Runs every seed of one test method: plans the seeds (regression seeds, remembered failures,
 * then the sweep, sharded), runs them on a pool of threads, and reports in seed order so that
 * a parallel run reports exactly what a sequential one would. Each failing seed becomes a
 * dynamic test named after it; passing seeds are summed up on the method. A method selected by
 * the unique ids of some of its seeds runs those seeds only, each reported as its test.
 */
final class MethodRun {
    private final SimMethodDescriptor descriptor;
    private final EngineExecutionListener listener;
    private final Settings settings;
    private final PrintStream console;
    /** Whether the method runs seeds selected by their unique ids: each is then a test, passing or not. */
    private final boolean seedsSelected;

    MethodRun(SimMethodDescriptor descriptor, EngineExecutionListener listener, Settings settings,
            PrintStream console) {
        this.descriptor = descriptor;
        this.listener = listener;
        this.settings = settings;
        this.console = console;
        this.seedsSelected = !descriptor.selectedSeeds().isEmpty();
    }

    /**
     * One seed to run: under this run's settings, or under the record it was remembered with
     * ({@code otherSettings} when that is another world than this run's settings make).
     */
    record SeedRun(Seed seed, RunRecord recorded, boolean otherSettings, long position) {
        /** Not a position of the sweep: a fixed, regression or remembered seed. */
        static final long NO_POSITION = -1;

        static SeedRun current(Seed seed) {
            return new SeedRun(seed, null, false, NO_POSITION);
        }

        /** The seed at {@code position} of the sweep. */
        static SeedRun inSweep(Seed seed, long position) {
            return new SeedRun(seed, null, false, position);
        }

        static SeedRun of(FailureStore.Remembered r, WorldSettings now) {
            return r.record() == null ? current(r.seed()) : new SeedRun(r.seed(), r.record(),
                    !r.record().sameWorldAs(now), NO_POSITION);
        }

        /** Runs with the same key make the same world: only the first of them runs. */
        String key() {
            return otherSettings ? seed + " " + recorded : seed.toString();
        }
    }

    /** The seeds of this run, in the order they run and are reported. */
    static List<SeedRun> plan(Settings settings, FailureStore store, Class<?> testClass, String method) {
        if (!settings.sweeping()) {
            return settings.fixedSeeds.stream().map(SeedRun::current).toList();
        }
        List<FailureStore.Remembered> earlier = new ArrayList<>();
        if (settings.shardIndex == 1) {
            earlier.addAll(store.regressionSeeds(testClass, method));
        }
        earlier.addAll(store.rememberedSeeds(testClass, method));
        Map<String, SeedRun> runs = new LinkedHashMap<>();
        for (FailureStore.Remembered r : earlier) {
            SeedRun run = SeedRun.of(r, settings.world);
            runs.putIfAbsent(run.key(), run);
        }
        // A sweep seed is dropped when an earlier run of the same world has it (the same key as
        // runs.putIfAbsent(seed.toString(), ...) would find); compared as seeds, not as text.
        java.util.Set<Seed> earlierCurrent = new java.util.HashSet<>();
        for (SeedRun run : runs.values()) {
            if (!run.otherSettings()) {
                earlierCurrent.add(run.seed());
            }
        }
        List<SeedRun> planned = new ArrayList<>(runs.values());
        for (long i = settings.shardIndex - 1; i < settings.seeds; i += settings.shardCount) {
            Seed seed = settings.firstSeed.plus(i);
            if (earlierCurrent.isEmpty() || !earlierCurrent.contains(seed)) {
                planned.add(SeedRun.inSweep(seed, i));
            }
        }
        return planned;
    }

    /** Runs the seeds; returns the failure to report on the method itself, or null. */
    void run() {
        Class<?> testClass = descriptor.testClass;
        String method = descriptor.method.getName();
        if (settings.replayFile != null) {
            settings.replayFile.requireTest(testClass.getName() + "#" + method);
        }
        SeedExecutor executor = SeedExecutor.prepare(testClass, descriptor.method, settings);
        this.executor = executor;
        FailureStore store = new FailureStore(settings.reports, settings.regressions);
        List<SeedRun> runs = seedsSelected ? descriptor.selectedSeeds().stream()
                .map(r -> SeedRun.of(r, settings.world)).toList() : plan(settings, store, testClass, method);
        Set<String> remembered = new HashSet<>();
        for (FailureStore.Remembered r : store.rememberedSeeds(testClass, method)) {
            remembered.add(SeedRun.of(r, settings.world).key());
        }
        FirstFailures firstFailures = new FirstFailures(settings.failuresReported);
        int n = runs.size();
        AtomicReferenceArray<SeedOutcome> results = new AtomicReferenceArray<>(n);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger firstFailure = new AtomicInteger(Integer.MAX_VALUE);
        long started = System.nanoTime(); // nondeterminism-ok: wall-clock budget and progress only
        long deadline = settings.timeBudget == null ? Long.MAX_VALUE : started + settings.timeBudget.toNanos();
        this.budgetDeadline = deadline;
        boolean[] budgetReached = {false};
        RuntimeException[] crashed = {null};

        // Runs the next seed; false when there is none to run.
        java.util.concurrent.ConcurrentSkipListMap<Integer, Runnable> toRemember =
                new java.util.concurrent.ConcurrentSkipListMap<>();
        java.util.function.BooleanSupplier runNext = () -> {
            // Before taking a seed: a seed taken is a seed run, so the seeds run have no gaps to report around.
            if (System.nanoTime() > deadline) { // nondeterminism-ok: the budget is wall-clock by definition
                budgetReached[0] = true;
                return false;
            }
            int i = next.getAndIncrement();
            if (i >= n || i > firstFailure.get()) {
                return false;
            }
            SeedRun planned = runs.get(i);
            try {
                SeedExecutor under = executorFor(planned);
                SeedOutcome outcome = runOne(under, planned, i, firstFailures);
                if (!outcome.passed()) {
                    // A replay of a shrunk run is not the seed's own run: nothing to remember.
                    if (!remembered.contains(planned.key()) && settings.replay == null) {
                        Runnable remember = () -> store.remember(testClass, method, outcome.seed(),
                                RunRecord.remembered(under.world, outcome.failure()), outcome.failure().kind() + " "
                                + firstLine(outcome.failure().reason()));
                        if (settings.stop == Settings.Stop.FIRST) {
                            // Remembered once the first failure is known: a seed after it is not reported, as in a
                            // sequential run, so it is not remembered either.
                            toRemember.put(i, remember);
                        } else {
                            remember.run();
                        }
                    }
                    failures.incrementAndGet();
                    if (settings.stop == Settings.Stop.FIRST) {
                        firstFailure.accumulateAndGet(i, Math::min);
                    }
                }
                results.set(i, outcome);
            } catch (RuntimeException | Error e) {
                synchronized (crashed) {
                    crashed[0] = crashed[0] == null ? new IllegalStateException("seed " + planned.seed()
                            + " could not run: " + e, e) : crashed[0];
                }
                firstFailure.accumulateAndGet(i, Math::min);
                return false;
            } finally {
                done.incrementAndGet();
            }
            return true;
        };
        Runnable rememberReported = () -> toRemember.forEach((i, remember) -> {
            if (i <= firstFailure.get()) {
                remember.run();
            }
        });
        Runnable worker = () -> {
            while (runNext.getAsBoolean()) {
                // next seed
            }
        };

        // The first world runs alone: it measures what a world may take from the heap, and the
        // worlds running at once are kept within it (docs/junit-engine.md, memory).
        runNext.getAsBoolean();
        SeedOutcome first = n == 0 ? null : results.get(0);
        WorldMemory memory = first == null ? WorldMemory.NONE : first.memory();
        long heapMax = Runtime.getRuntime().maxMemory();
        boolean more = next.get() < n && next.get() <= firstFailure.get() && crashed[0] == null && !budgetReached[0];
        int worlds = memory.worldsAtOnce(heapMax);
        String name = testClass.getSimpleName() + "#" + method;
        if (more && worlds == 0) {
            rememberReported.run();
            store.close();
            reportReady(runs, results, 0, firstFailure.get());
            throw new SettingsException(memory.cannotFit(name, heapMax));
        }
        int threads = Math.max(1, Math.min(Math.min(settings.parallelism, n - 1), worlds));
        if (more && worlds < Math.min(settings.parallelism, n - 1)) {
            console.println(memory.fewerWorlds(name, worlds, Math.min(settings.parallelism, n - 1), heapMax));
        }
        this.worldsAtOnce = more ? threads : 1;
        this.worldMemory = memory;
        int reported = 0;
        if (more) {
            // Seeds run on the pool even with one thread: this thread reports in seed order and prints progress.
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "parigot-sim-seeds");
                t.setDaemon(true);
                return t;
            });
            for (int t = 0; t < threads; t++) {
                pool.execute(worker);
            }
            pool.shutdown();
            long nextProgress = started + settings.progressSeconds * 1_000_000_000L;
            try {
                while (!pool.awaitTermination(100, TimeUnit.MILLISECONDS)) {
                    reported = reportReady(runs, results, reported, firstFailure.get());
                    long now = System.nanoTime(); // nondeterminism-ok: progress output only
                    if (settings.progressSeconds > 0 && now >= nextProgress) {
                        progress(done.get(), n, failures.get(), now - started);
                        nextProgress = now + settings.progressSeconds * 1_000_000_000L;
                    }
                }
            } catch (InterruptedException e) {
                pool.shutdownNow();
                store.close();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running seeds", e);
            }
        }
        rememberReported.run();
        store.close();
        if (crashed[0] != null) {
            throw crashed[0];
        }
        reportReady(runs, results, reported, firstFailure.get());
        // Timelines of seeds an earlier failure displaced from the reported ones: never written, not kept.
        originals.clear();
        summarise(runs, results, firstFailure.get(), budgetReached[0], System.nanoTime() - started, store,
                remembered);
    }

    /** The method under this run's settings, and under each remembered record's: for shrinking too. */
    private SeedExecutor executor;
    private final Map<RunRecord, SeedExecutor> executors = new ConcurrentHashMap<>();

    /** Worlds run at once after the first (which runs alone); for the summary. */
    private int worldsAtOnce = 1;
    /** What the first world could take from the heap; for the summary. */
    private WorldMemory worldMemory = WorldMemory.NONE;

    /** The determinism note of a RESOURCE failure, which is not re-run. */
    static final String RESOURCE_NOT_RERUN = "re-run: not done; running out of heap depends on the JVM and on what"
            + " else ran, not only on the seed";

    private SeedOutcome runOne(SeedExecutor executor, SeedRun planned, int index, FirstFailures firstFailures) {
        boolean all = settings.determinism == Settings.Determinism.ALL;
        SeedOutcome outcome = executor.run(planned.seed(), all, false);
        showModulesChanged(outcome);
        if (outcome.passed()) {
            return all ? executor.recheck(outcome).withoutTrace() : outcome;
        }
        // Every step of a seed that may be reported, from its re-run (or, with determinism off or a
        // world that ran out of heap, what the run kept: a re-run would only fill the heap again).
        boolean written = firstFailures.add(index);
        if (outcome.failure().kind() == dev.parigot.sim.kernel.FailureKind.RESOURCE) {
            outcome = outcome.withDeterminismNote(RESOURCE_NOT_RERUN, outcome.failure());
        } else if (settings.determinism != Settings.Determinism.OFF) {
            outcome = executor.confirm(outcome, written);
        }
        if (written && outcome.sim() != null) {
            try {
                originals.put(planned.key(), originalTimeline(planned, outcome));
            } catch (RuntimeException e) {
                timelines.put(planned.key(), "not written (" + e + ")");
            }
        }
        if (written) {
            Path file = traceFile(planned);
            TraceFile.write(file, header(planned, executor.world, outcome), outcome.trace(), outcome.log());
            outcome = outcome.withTraceFile(file);
        }
        // The trace has served; kept for every failing seed of a sweep it fills the heap.
        return outcome.withoutTrace();
    }

    /** The plan indices of the first failing seeds found so far, as many as are reported: those may yet be. */
    private static final class FirstFailures {
        private final int count;
        private final TreeSet<Integer> indices = new TreeSet<>();

        FirstFailures(int count) {
            this.count = count;
        }

        /** Whether the failing seed at {@code index} is among the first so far. */
        synchronized boolean add(int index) {
            indices.add(index);
            if (indices.size() > count) {
                indices.pollLast();
            }
            return indices.contains(index);
        }
    }

    private final AtomicBoolean modulesChangedShown = new AtomicBoolean();

    /** A replay against changed module bytes says so on the console, once per method. */
    private void showModulesChanged(SeedOutcome o) {
        if (o.modulesChanged() != null && modulesChangedShown.compareAndSet(false, true)) {
            console.println("[parigot] " + descriptor.testClass.getSimpleName() + "#" + descriptor.method.getName()
                    + ": " + o.modulesChanged());
        }
    }

    private int failuresShown;

    /** Reports, in seed order, every finished result whose predecessors have all finished. */
    private int reportReady(List<SeedRun> runs, AtomicReferenceArray<SeedOutcome> results, int from, int stopAfter) {
        int i = from;
        while (i < results.length() && i <= stopAfter) {
            SeedOutcome o = results.get(i);
            if (o == null) {
                break;
            }
            if (!o.passed() && failuresShown < settings.failuresReported) {
                failuresShown++;
                reportSeed(runs.get(i), o);
            } else if (o.passed() && seedsSelected) {
                reportSeed(runs.get(i), o);
            }
            i++;
        }
        return i;
    }

    private void reportSeed(SeedRun planned, SeedOutcome o) {
        SeedDescriptor child = new SeedDescriptor(descriptor.getUniqueId(), descriptor.testClass, descriptor.method,
                o.seed(), planned.otherSettings() ? planned.recorded() : null);
        descriptor.addChild(child);
        listener.dynamicTestRegistered(child);
        listener.executionStarted(child);
        if (o.passed()) {
            listener.executionFinished(child, TestExecutionResult.successful());
            return;
        }
        shrinkFirst(planned, o);
        writeTimeline(planned, o);
        Throwable cause = o.thrown() instanceof dev.parigot.sim.kernel.SimFailureException ? o.thrown().getCause()
                : o.thrown();
        listener.executionFinished(child, TestExecutionResult.failed(new SeedFailure(message(planned, o), cause)));
    }

    /** The method under the settings {@code planned} runs with: this run's, or its remembered record's. */
    private SeedExecutor executorFor(SeedRun planned) {
        return planned.recorded() == null ? executor
                : executors.computeIfAbsent(planned.recorded(), r -> executor.under(worldOf(planned)));
    }

    /** Where {@code planned}'s full trace goes; its timeline, shrunk run and choices file go beside it. */
    private Path traceFile(SeedRun planned) {
        // A replay of a shrunk run gets files of its own: the seed's files stay those of its own run.
        String variant = (planned.otherSettings() ? planned.recorded().toString() : "")
                + (settings.replay == null ? "" : " replay " + settings.replay);
        return TraceFile.path(settings.reports, descriptor.testClass, descriptor.method.getName(), planned.seed(),
                variant.strip());
    }

    /** The world a seed runs in: this run's, or its record's showing as much as this run's. */
    private WorldSettings worldOf(SeedRun planned) {
        return planned.recorded() == null ? settings.world
                : planned.recorded().world().withReportSizesOf(settings.world);
    }

    /** What a failure shows: the report with every way to replay it and where its full trace is. */
    String message(SeedRun planned, SeedOutcome o) {
        List<String> lines = replayLines(planned, worldOf(planned), o);
        if (settings.replay != null) {
            // This run drew its choices from the file, not from the seed: its replay needs the file too.
            String file = ShellWords.define(Settings.REPLAY, settings.replay.toString());
            lines.replaceAll(l -> l.startsWith("replay") ? l + " " + file : l);
            lines.add(0, "replayed from the choices file " + settings.replay + " (a shrunk run), not from the seed's"
                    + " own draws");
        }
        if (o.traceFile() != null) {
            lines.add("full trace and log: " + o.traceFile());
        }
        ShrunkSeed s = shrunk;
        if (s != null && s.key().equals(planned.key())) {
            lines.addAll(s.lines());
        }
        String timeline = timelines.get(planned.key());
        if (timeline != null) {
            lines.add(timeline.startsWith("not written") ? "timeline: " + timeline : "timeline (HTML): " + timeline);
        }
        return o.failure().describe(lines);
    }

    /** The shrunk run of the first failing seed this method reported, and where its files went. */
    private record ShrunkSeed(String key, FailureShrinker.Shrunk shrunk, Path traceFile, String replay,
            String note) {

        /** The lines a failure report shows of it. */
        List<String> lines() {
            List<String> out = new ArrayList<>();
            if (note != null) {
                out.add(note);
                return out;
            }
            SimFailure f = shrunk.shrunk().outcome().failure();
            String hash = String.format("%016x", shrunk.shrunk().outcome().traceHash());
            if (!shrunk.smaller()) {
                out.add(shrunk.headline());
                if (replay != null && f != null) {
                    // As long and with as many faults, but drawn from simpler choices: still the run to read first.
                    out.add("replay the run with the simplified choices (its hash " + hash + "): " + replay);
                }
                return out;
            }
            out.add(shrunk.headline() + ": " + firstLine(f.reason()));
            if (replay != null) {
                out.add("replay the shrunk run (its hash " + hash + "): " + replay);
            }
            if (!f.lastSteps().isEmpty()) {
                out.add("the shrunk run's last " + f.lastSteps().size() + " steps:");
                for (dev.parigot.sim.kernel.TraceStep step : f.lastSteps()) {
                    out.add("  " + step);
                }
            }
            if (traceFile != null) {
                out.add("the shrunk run's full trace and log: " + traceFile);
            }
            return out;
        }

        ShrinkReport report() {
            if (note != null) {
                return null;
            }
            FailureShrinker.Shrunk s = shrunk;
            SimFailure f = s.shrunk().outcome().failure();
            return new ShrinkReport(s.stepsBefore(), s.faultsBefore(), s.result().original().size(), s.stepsAfter(),
                    s.faultsAfter(), s.result().shrunk().size(), s.result().attempts(), s.result().nanos() / 1_000_000,
                    s.result().stop().name(), f == null ? "" : f.reason(),
                    String.format("%016x", s.shrunk().outcome().traceHash()),
                    s.choicesFile() == null ? null : s.choicesFile().toString(), replay,
                    traceFile == null ? null : traceFile.toString());
        }
    }

    /** Each reported failing seed's HTML timeline file, or why it was not written, by seed run key. */
    private final Map<String, String> timelines = new ConcurrentHashMap<>();
    private PayloadDecoder decoder;

    /**
     * The HTML timeline of a reported failing seed, beside its trace file: the run again keeping
     * every step and payload, and the shrunk run in a second tab when shrinking gave one (shorter,
     * or as long from simpler choices).
     * A timeline that cannot be written is said in the report, never a failure of the run.
     */
    private void writeTimeline(SeedRun planned, SeedOutcome o) {
        Timeline original = originals.remove(planned.key());
        if (original == null && timelines.containsKey(planned.key())) {
            return; // building it failed, and said why
        }
        if (original == null) {
            timelines.put(planned.key(), "not written (" + (o.failure().kind()
                    == dev.parigot.sim.kernel.FailureKind.RESOURCE ? "a seed that ran out of heap is not run again"
                    : "the seed ran once: " + Settings.DETERMINISM + "=off") + ")");
            return;
        }
        Path file = traceFile(planned);
        file = file.resolveSibling(file.getFileName().toString().replaceFirst("\\.txt$", ".html"));
        try {
            List<TimelineHtml.Tab> tabs = new ArrayList<>();
            tabs.add(new TimelineHtml.Tab("original", original));
            ShrunkSeed s = shrunk;
            if (s != null && s.key().equals(planned.key()) && s.shrunk() != null && s.shrunk().choicesFile() != null
                    && s.shrunk().shrunk().outcome().sim() != null) {
                tabs.add(new TimelineHtml.Tab("shrunk", Timeline.of(s.shrunk().shrunk().outcome().sim(),
                        original.title() + " (shrunk)", s.replay(), decoder())));
            }
            TimelineHtml.write(file, tabs);
            timelines.put(planned.key(), file.toString());
        } catch (RuntimeException | java.io.IOException e) {
            timelines.put(planned.key(), "not written (" + e + ")");
        }
    }

    /** The timeline of a failing seed's re-run that kept every step and payload (on a worker thread). */
    private Timeline originalTimeline(SeedRun planned, SeedOutcome o) {
        String method = descriptor.method.getName();
        List<String> replay = ReplayCommand.lines(descriptor.testClass, method, planned.seed(),
                RunRecord.of(worldOf(planned), settings.annotationWorld, o.failure()),
                RunRecord.of(worldOf(planned), WorldSettings.DEFAULTS, o.failure()));
        return Timeline.of(o.sim(), descriptor.testClass.getSimpleName() + "#" + method,
                replay.get(0).replaceFirst("^replay[^:]*: ", ""), decoder());
    }

    /** The timelines of the failing seeds' full re-runs, until their reports are written. */
    private final Map<String, Timeline> originals = new ConcurrentHashMap<>();

    /** The payload decoder of this method's timelines: the descriptor sets named, or found by default. */
    private synchronized PayloadDecoder decoder() {
        if (decoder != null) {
            return decoder;
        }
        List<Path> files = new ArrayList<>(settings.descriptors);
        for (Path dir : settings.descriptors.isEmpty() ? Settings.DESCRIPTORS_DEFAULT : List.<Path>of()) {
            if (!java.nio.file.Files.isDirectory(dir)) {
                continue;
            }
            try (java.util.stream.Stream<Path> found = java.nio.file.Files.list(dir)) {
                files.addAll(found.filter(java.nio.file.Files::isRegularFile).sorted().toList());
            } catch (java.io.IOException e) {
                console.println("[parigot] cannot list " + dir + " (" + e + "); timelines show its payloads as bytes");
            }
        }
        java.io.ByteArrayOutputStream sets = new java.io.ByteArrayOutputStream();
        for (Path f : files) {
            try {
                sets.write(java.nio.file.Files.readAllBytes(f)); // concatenated sets are one set with every file
            } catch (java.io.IOException e) {
                throw new SettingsException("cannot read the descriptor set " + f.toAbsolutePath() + " (" + e
                        + "); " + Settings.KEYS.get(Settings.DESCRIPTORS));
            }
        }
        try {
            // The node's disk speaks parigot.storage.v1, which no project's descriptor set holds.
            decoder = (files.isEmpty() ? PayloadDecoder.none() : PayloadDecoder.fromDescriptorSet(sets.toByteArray()))
                    .with(StorageOuterClass.getDescriptor());
        } catch (IllegalArgumentException e) {
            throw new SettingsException("the descriptor sets " + files + " cannot decode payloads: " + e.getMessage());
        }
        return decoder;
    }

    /** Set once, by the reporting thread, for the first failing seed reported. */
    private volatile ShrunkSeed shrunk;
    private boolean shrinkTried;

    /**
     * Shrinks the first failing seed this method reports (within {@code parigot.shrink}): not a
     * replay of a shrunk run, not a seed that ran out of heap or was found nondeterministic.
     */
    private void shrinkFirst(SeedRun planned, SeedOutcome o) {
        if (shrinkTried || settings.shrink.isZero() || settings.replay != null
                || o.failure().kind() == dev.parigot.sim.kernel.FailureKind.RESOURCE
                || o.determinismNote().startsWith("NOT deterministic")) {
            return;
        }
        shrinkTried = true;
        String method = descriptor.method.getName();
        SeedExecutor under = executorFor(planned);
        Path dir = traceFile(planned).getParent();
        // Within what is left of the sweep's time budget, but never under a second: a shrunk run is worth that.
        Duration budget = settings.shrink;
        if (budgetDeadline != Long.MAX_VALUE) {
            long left = budgetDeadline - System.nanoTime(); // nondeterminism-ok: the budget is wall-clock
            budget = Duration.ofNanos(Math.min(budget.toNanos(), Math.max(left, 1_000_000_000L)));
        }
        if (budget.compareTo(Duration.ofSeconds(10)) >= 0) {
            // Progress lines wait while this thread shrinks (a nightly run's minute): say so, and for how long.
            console.printf(Locale.ROOT, "[parigot] %s#%s: shrinking the failure of seed %s (at most %s)%n",
                    descriptor.testClass.getSimpleName(), method, planned.seed(),
                    dev.parigot.sim.faults.TimeText.of(budget.toNanos()));
        }
        try {
            Shrinker shrinker = Shrinker.defaults().withTimeBudget(budget);
            FailureShrinker.shrink(under, descriptor.testClass.getName() + "#" + method, planned.seed(), shrinker,
                    dir).ifPresent(s -> {
                SeedOutcome after = s.shrunk().outcome();
                Path traceFile = null;
                String replay = null;
                if (s.choicesFile() != null && after.failure() != null) {
                    RunRecord command = RunRecord.of(worldOf(planned), settings.annotationWorld, o.failure());
                    replay = ReplayCommand.maven(descriptor.testClass, method, planned.seed(), command) + " "
                            + ShellWords.define(Settings.REPLAY, s.choicesFile().toString());
                    traceFile = dir.resolve(planned.seed() + ".shrunk.txt");
                    TraceFile.write(traceFile, after.failure().describe(List.of(s.headline(), "replay: " + replay)),
                            after.trace(), after.log());
                }
                shrunk = new ShrunkSeed(planned.key(), s, traceFile, replay, null);
            });
        } catch (RuntimeException e) {
            shrunk = new ShrunkSeed(planned.key(), null, null, null, "not shrunk: shrinking threw " + e);
        }
    }

    /** The head of a seed's trace file: the report without its trace and log tails, which follow in full. */
    private String header(SeedRun planned, WorldSettings world, SeedOutcome o) {
        SimFailure f = o.failure();
        return new SimFailure(f.seed(), f.strategy(), f.kind(), f.reason(), f.node(), f.step(), f.timeNanos(),
                f.traceHash(), List.of(), List.of(), f.faultContext(), f.parameters(), f.modules())
                .describe(replayLines(planned, world, o));
    }

    private List<String> replayLines(SeedRun planned, WorldSettings world, SeedOutcome o) {
        List<String> lines = new ArrayList<>();
        if (o.modulesChanged() != null) {
            lines.add(o.modulesChanged());
        }
        if (planned.otherSettings()) {
            lines.add("remembered: it failed under " + planned.recorded() + "; it ran under those settings again,"
                    + " not this run's");
        }
        lines.addAll(ReplayCommand.lines(descriptor.testClass, descriptor.method.getName(), o.seed(),
                RunRecord.of(world, settings.annotationWorld, o.failure()),
                RunRecord.of(world, WorldSettings.DEFAULTS, o.failure())));
        if (!o.determinismNote().isEmpty()) {
            lines.add(o.determinismNote());
        }
        return lines;
    }

    /** When the sweep's time budget runs out (System.nanoTime), Long.MAX_VALUE without one. */
    private long budgetDeadline = Long.MAX_VALUE;

    private void progress(int done, int total, int failures, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        console.printf(Locale.ROOT, "[parigot] %s#%s: %,d of %,d seeds, %,.0f seeds/s, %d failing, %.0f s%n",
                descriptor.testClass.getSimpleName(), descriptor.method.getName(), done, total, done / seconds,
                failures, seconds);
    }

    private void summarise(List<SeedRun> runs, AtomicReferenceArray<SeedOutcome> results, int stopAfter,
            boolean budgetReached, long wallNanos, FailureStore store, Set<String> remembered) {
        int run = 0;
        long steps = 0;
        long virtualNanos = 0;
        List<FailureReport> failed = new ArrayList<>();
        Set<String> passed = new HashSet<>();
        Map<CoverageScope.Site, long[]> coverage = new LinkedHashMap<>();
        for (int i = 0; i < results.length() && i <= stopAfter; i++) {
            SeedOutcome o = results.get(i);
            if (o == null) {
                continue;
            }
            run++;
            for (dev.parigot.sim.kernel.AssertionTally.Entry a : o.assertions()) {
                long[] c = coverage.computeIfAbsent(new CoverageScope.Site(a.kind(), a.message()),
                        k -> new long[2]);
                c[0] += a.reached();
                c[1] += a.satisfied();
            }
            steps += o.steps();
            virtualNanos += o.timeNanos();
            if (o.passed()) {
                if (remembered.contains(runs.get(i).key())) {
                    passed.add(runs.get(i).key()); // only a seed remembered before this run can be forgotten
                }
            } else {
                failed.add(failureEntry(runs.get(i), o));
            }
        }
        if (!passed.isEmpty()) {
            store.forget(descriptor.testClass, descriptor.method.getName(),
                    r -> passed.contains(SeedRun.of(r, settings.world).key()));
        }
        double seconds = Math.max(1e-9, wallNanos / 1e9);
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put("parigot.seeds", Integer.toString(run));
        entries.put("parigot.failures", Integer.toString(failed.size()));
        entries.put("parigot.steps", Long.toString(steps));
        entries.put("parigot.steps.per.second", String.format(Locale.ROOT, "%.0f", steps / seconds));
        entries.put("parigot.virtual.time", String.format(Locale.ROOT, "%.3f s", virtualNanos / 1e9));
        entries.put("parigot.strategy", settings.world.strategy());
        if (settings.sweeping()) {
            entries.put("parigot.seed.first", settings.firstSeed.toString());
            entries.put("parigot.shard", settings.shardIndex + "/" + settings.shardCount);
        }
        listener.reportingEntryPublished(descriptor, ReportEntry.from(entries));

        String name = descriptor.testClass.getSimpleName() + "#" + descriptor.method.getName();
        console.printf(Locale.ROOT, "[parigot] %s: %,d seed%s, %d failing, %,d steps, %s of virtual time;"
                + " %.2f s wall-clock (%,.1f seeds/s, %,.0f steps/s)%s%s%n", name, run, run == 1 ? "" : "s",
                failed.size(), steps, TimeText.of(virtualNanos), seconds, run / seconds, steps / seconds,
                budgetReached ? "; time budget reached after " + String.format(Locale.ROOT, "%,d of %,d", run, runs.size()) + " seeds" : "",
                stopAfter != Integer.MAX_VALUE && settings.stop == Settings.Stop.FIRST ? "; stopped at the first"
                        + " failure" : "");
        // Surefire drops report entries; what the method prints is kept, in its XML's system-out.
        console.println("[parigot] " + name + " report entry: " + entries.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")));

        List<AssertionReport> assertions = new ArrayList<>();
        coverage.forEach((site, c) -> assertions.add(new AssertionReport(site.toString(), c[0], c[1])));
        MethodReport report = new MethodReport(MethodReport.SCHEMA, descriptor.testClass.getName(),
                descriptor.method.getName(), settings.world.strategy(),
                settings.sweeping() ? settings.firstSeed.toString() : null,
                settings.shardIndex + "/" + settings.shardCount, runs.size(), run, failed.size(), budgetReached,
                settings.stop == Settings.Stop.FIRST && !failed.isEmpty(), steps, virtualNanos,
                wallNanos / 1_000_000, Math.round(steps / seconds), worldsAtOnce, worldMemory.bytesMax(),
                seedsCovered(runs, results, stopAfter), settings.world.texts(), settings.world.parameters(),
                List.of(), failed, assertions);
        Path file = ReportJson.write(settings.reports, report);
        try {
            ReportIndexHtml.write(settings.reports);
        } catch (RuntimeException e) {
            console.println("[parigot] " + name + ": the report index was not written (" + e + ")");
        }
        CoverageScope.Gaps gaps = settings.coverage.judge(coverage);
        String inSeeds = ", in " + run + " seed" + (run == 1 ? "" : "s");
        if (!gaps.noted().isEmpty()) {
            console.println("[parigot] " + name + ": coverage gap, not this method's (" + settings.coverage.describe()
                    + "): " + String.join("; ", gaps.noted()) + inSeeds);
        }
        if (!gaps.failing().isEmpty()) {
            String text = "coverage gap: " + String.join("; ", gaps.failing()) + inSeeds;
            // A sweep's part (a shard, fixed seeds) cannot speak for the whole: there a gap is only a note.
            if (settings.sweeping() && settings.shardCount == 1 && failed.isEmpty()) {
                throw new SeedFailure(text + "; the seeds never exercised what the assertion expects"
                        + " (run more seeds, or turn on the faults it needs)", null);
            }
            console.println("[parigot] " + name + ": " + text);
        }
        if (failed.size() > failuresShown) {
            throw new SeedFailure(failed.size() + " of " + run + " seeds failed; the first " + failuresShown
                    + " are reported as their own tests, all of them are in " + file + " and "
                    + settings.reports.resolve(FailureStore.FILE_NAME) + " (raise " + Settings.FAILURES_REPORTED + " to see more)", null);
        }
    }

    /** A failing seed in the report: what failed, how to replay it, what it ran under, where its trace is. */
    private FailureReport failureEntry(SeedRun planned, SeedOutcome o) {
        SimFailure f = o.failure();
        WorldSettings world = worldOf(planned);
        RunRecord command = RunRecord.of(world, settings.annotationWorld, f);
        String method = descriptor.method.getName();
        return new FailureReport(o.seed().toString(), f.kind().name(), f.reason(), f.node(), f.step(), f.timeNanos(),
                String.format("%016x", f.traceHash()), o.determinismNote(),
                ReplayCommand.maven(descriptor.testClass, method, o.seed(), command),
                ReplayCommand.mavenInModule(descriptor.testClass, method, o.seed(), command),
                ReplayCommand.annotation(o.seed(), RunRecord.of(world, WorldSettings.DEFAULTS, f)),
                planned.otherSettings(), settings.inForce(world, o.seed()), f.parameters(), f.modules(),
                o.modulesChanged(), o.traceFile() == null ? null : o.traceFile().toString(),
                timelines.getOrDefault(planned.key(), "not written").startsWith("not written") ? null
                        : timelines.get(planned.key()),
                shrunk != null && shrunk.key().equals(planned.key()) ? shrunk.report() : null);
    }

    /**
     * Exactly which seeds ran: the fixed seeds, or the seeds run before the sweep and how many of
     * this shard's sweep positions, from the first on, ran (a position whose seed already ran
     * before the sweep, under the run's settings, counts as run when that run did).
     */
    private SeedsCovered seedsCovered(List<SeedRun> runs, AtomicReferenceArray<SeedOutcome> results, int stopAfter) {
        java.util.function.IntPredicate ran = i -> i < results.length() && i <= stopAfter && results.get(i) != null;
        if (!settings.sweeping()) {
            List<String> fixed = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                if (ran.test(i)) {
                    fixed.add(runs.get(i).key());
                }
            }
            return new SeedsCovered(null, fixed, List.of());
        }
        // The plan is the seeds run before the sweep, then this shard's sweep positions in order,
        // less those whose seed ran before the sweep under the run's settings (plan, above).
        Map<Seed, Integer> before = new java.util.HashMap<>();
        List<String> beforeSweep = new ArrayList<>();
        int next = 0;
        for (; next < runs.size() && runs.get(next).position() == SeedRun.NO_POSITION; next++) {
            SeedRun r = runs.get(next);
            if (!r.otherSettings()) {
                before.put(r.seed(), next);
            }
            if (ran.test(next)) {
                beforeSweep.add(r.key());
            }
        }
        long positionsRun = 0;
        for (long p = settings.shardIndex - 1; p < settings.seeds; p += settings.shardCount) {
            Integer index = next < runs.size() && runs.get(next).position() == p ? Integer.valueOf(next++)
                    : before.get(settings.firstSeed.plus(p));
            if (index == null || !ran.test(index)) {
                break;
            }
            positionsRun++;
        }
        return new SeedsCovered(SeedsCovered.Sweep.shard(settings.firstSeed, settings.seeds, settings.shardIndex,
                settings.shardCount, positionsRun), List.of(), beforeSweep);
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
