package dev.parigot.sim.kernel;

import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.faults.InjectedFault;
import dev.parigot.sim.kernel.internal.node.Node;
import dev.parigot.sim.kernel.internal.supervision.HeapGuard;
import dev.parigot.sim.kernel.internal.world.Kernel;
import dev.parigot.sim.scheduler.ChoiceRecording;
import dev.parigot.sim.scheduler.Seed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One simulated world: the nodes of an application, Java fakes and test clients, run in virtual
 * time under a seeded scheduler. Build it, drive it, read its trace:
 *
 * <pre>{@code
 * Sim sim = Sim.create(SimConfig.of(Seed.parse("0x5eed00000000002a")));
 * sim.add(ledgerModule);
 * sim.add(tellerModule);
 * TestClient client = sim.client("client");
 * SimFuture<DepositReply> a = client.call("bank.v1.Teller", "Deposit", deposit(10), DepositReply.parser());
 * sim.run();                       // until nothing is pending
 * assertThat(a.get().getBalance()).isEqualTo(10);
 * }</pre>
 *
 * <p>A world is single-threaded and not thread-safe: use it from the thread that created it.
 * When it fails (a trap, a hang, an invariant, a limit), the run method throws
 * {@link SimFailureException} and every later run throws the same failure.
 */
public final class Sim implements AutoCloseable {
    private final Kernel kernel;

    /** The world's kernel, for tests in this package. */
    Kernel kernel() {
        return kernel;
    }

    private Sim(SimConfig config) {
        this.kernel = new Kernel(config);
    }

    /**
     * A world with this configuration (seed, choice source, strategy, network, faults, limits). It
     * is empty and not booted: add nodes, then run it; boot happens at the first run, call or
     * {@link #boot()}.
     */
    public static Sim create(SimConfig config) {
        return new Sim(config);
    }

    /** A world with the default configuration and this seed. */
    public static Sim create(Seed seed) {
        return new Sim(SimConfig.of(seed));
    }

    /** The seed this world draws its choices from ({@link SimConfig#seed()}). */
    public Seed seed() {
        return kernel.seed;
    }

    /** The configuration this world was created with. */
    public SimConfig config() {
        return kernel.config;
    }

    // ---- building the world ----

    /** Adds a node running {@code module}, named after the module. */
    public Sim add(GuestModule module) {
        return add(module, NodeOptions.named(module.name()));
    }

    /** Adds a node running {@code module} with a name, environment and arguments (replicas). */
    public Sim add(GuestModule module, NodeOptions options) {
        kernel.addGuest(module, options);
        return this;
    }

    /** Adds a Java service as node {@code nodeName}. */
    public Sim add(String nodeName, JavaService service) {
        NodeOptions.named(nodeName);
        kernel.addJava(nodeName, service);
        return this;
    }

    /**
     * Adds one node for each module of {@code catalog} needed to serve {@code services}: the
     * modules exporting them and, transitively, everything those require, except services the
     * world serves already: a Java fake added before ({@code sim.add("payments", fake)}) stands in
     * for the module that would export its service, and a second {@code use} adds only what the
     * first did not.
     */
    public Sim use(ServiceCatalog catalog, String... services) {
        for (GuestModule module : catalog.select(kernel.servicesProvided(), services)) {
            add(module);
        }
        return this;
    }

    /** A test client: Java code that calls services from inside the world. */
    public TestClient client(String name) {
        NodeOptions.named(name);
        return new TestClient(kernel.addClient(name));
    }

    /** Checked after every step; {@code holds} returning false fails the world. */
    public Sim invariant(String name, BooleanSupplier holds) {
        kernel.addInvariant(name, () -> holds.getAsBoolean() ? null : "");
        return this;
    }

    /** Checked after every step; an AssertionError or exception from {@code check} fails the world. */
    public Sim invariant(String name, Check check) {
        kernel.addInvariant(name, () -> {
            check.run();
            return null;
        });
        return this;
    }

    /** A node that is expected to exit with {@code code}: its exit does not fail the world. */
    public Sim expectExit(String node, int code) {
        kernel.expectExit(node, code);
        return this;
    }

    // ---- running ----

    /** Instantiates every node and runs boot (start, dependency checks, ready); implied by the first run or call. */
    public Sim boot() {
        kernel.ensureBooted();
        return this;
    }

    /** Runs until nothing is pending (the world is quiescent). */
    public Sim run() {
        kernel.run();
        return this;
    }

    /** Runs until {@code condition} holds; if the world goes quiet first it fails. */
    public Sim runUntil(BooleanSupplier condition) {
        kernel.runUntil(condition, "the condition of runUntil held");
        return this;
    }

    /** Runs everything due within {@code duration} of virtual time; the clock then stands at its end. */
    public Sim runFor(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("runFor needs a non-negative duration, got " + duration);
        }
        kernel.runFor(duration.toNanos());
        return this;
    }

    /** Runs until {@code future} completes and returns its value (fails if it completes with an error status). */
    public <T> T await(SimFuture<T> future) {
        kernel.runUntil(future::isDone, "the awaited call completed");
        return future.get();
    }

    /**
     * Checks an outcome from test code (AssertJ, assertEquals, ...) as part of the world: if
     * {@code check} throws, the world fails with kind ASSERTION and the report carries the seed,
     * the trace and the log. Use it for the assertions that end a scenario.
     */
    public Sim verify(String name, Check check) {
        kernel.verify(name, check);
        return this;
    }

    /**
     * Records a failure that test code threw outside the world's run methods (an assertion
     * after {@code run()}, an exception before the world booted) as this world's failure, with
     * the trace and log as they stand. Returns the world's failure, which is the existing one if
     * the world had already failed. For test engines.
     */
    public SimFailure recordFailure(Throwable thrown) {
        if (thrown instanceof SimFailureException) {
            return ((SimFailureException) thrown).failure();
        }
        return kernel.recordFailure(thrown);
    }

    /**
     * Whether test clients made calls after the world last ran (a sentence naming them), which
     * nothing delivered: a test that returns then never ran what it asked for. Empty when there
     * are none or the world failed. The JUnit engine fails such a seed; a harness of one's own
     * should too, once the test code has returned.
     */
    public java.util.Optional<String> callsNeverRun() {
        return kernel.callsNeverRun();
    }

    // ---- faults, explicitly ----

    /**
     * Crashes a WASM node now: its memory is gone, timers cancelled; callers hear nothing. Crashing
     * a node that is already down does nothing ({@link #isRunning} tells).
     */
    public Sim crash(String node) {
        kernel.ensureBooted();
        kernel.faults.crash(existing(node));
        kernel.afterExplicitFault();
        return this;
    }

    /** Restarts a crashed node now as a fresh instance (start, ready). */
    public Sim restart(String node) {
        kernel.ensureBooted();
        Node n = existing(node);
        kernel.guarded(() -> kernel.faults.restart(n)); // a restart runs guest code
        kernel.afterExplicitFault();
        return this;
    }

    /** Crashes a node now and restarts it after {@code downFor} of virtual time. */
    public Sim crash(String node, Duration downFor) {
        long downNanos = nanos("crash downtime", downFor);
        kernel.ensureBooted();
        kernel.faults.crash(existing(node), downNanos);
        kernel.afterExplicitFault();
        return this;
    }

    /** Pauses a node: it runs nothing and events for it wait, until {@link #resume}. */
    public Sim pause(String node) {
        kernel.ensureBooted();
        kernel.faults.pause(existing(node));
        kernel.afterExplicitFault();
        return this;
    }

    /**
     * Resumes a node {@linkplain #pause paused} by the test: the events that waited for it can run
     * again. Recorded as a RESUME fault.
     *
     * @throws IllegalArgumentException if there is no node of that name
     * @throws IllegalStateException if the node is not paused
     */
    public Sim resume(String node) {
        kernel.ensureBooted();
        kernel.faults.resumeExplicit(existing(node));
        kernel.afterExplicitFault();
        return this;
    }

    /** Splits the network: messages between the two sides are lost both ways until {@link #heal()}. */
    public Sim partition(Collection<String> sideA, Collection<String> sideB) {
        kernel.ensureBooted();
        kernel.faults.partition(indices(sideA), indices(sideB), false);
        kernel.afterExplicitFault();
        return this;
    }

    /** Loses every message from {@code from} to {@code to} (the other direction still works). */
    public Sim partitionOneWay(Collection<String> from, Collection<String> to) {
        kernel.ensureBooted();
        kernel.faults.partition(indices(from), indices(to), true);
        kernel.afterExplicitFault();
        return this;
    }

    /**
     * Ends every partition now, the test's own and fault injection's alike: messages flow again
     * between all nodes (messages lost meanwhile stay lost). Recorded as one HEAL step if anything
     * was partitioned; otherwise it does nothing. Random partitions may still come later, unless
     * the world has {@linkplain #calm() calmed}.
     */
    public Sim heal() {
        kernel.ensureBooted();
        kernel.faults.heal();
        kernel.afterExplicitFault();
        return this;
    }

    /**
     * Ends the world's faults for the rest of the run, for checks a system must pass once the
     * weather clears (FoundationDB's quiet phase, Jepsen's final reads after healing): from now on
     * no random fault is drawn (no partitions, clogs, pauses or crashes at ticks or crash points, no
     * dropped or duplicated messages, no latency tails, no storage read errors or corruption),
     * every partition heals now (the test's own included), and what is already under way ends as
     * scheduled: a crashed node restarts after its delay, a pause or a clog runs out. Messages
     * already on the wire keep the windows they were given. Explicit faults still work after it,
     * and BUGGIFY sites still fire (they are code paths, not weather). Always one HEAL step in the
     * trace, so the calm point shows in reports. Calling it again does nothing.
     */
    public Sim calm() {
        kernel.ensureBooted();
        kernel.faults.calm();
        kernel.afterExplicitFault();
        return this;
    }

    /** Holds back every message to and from {@code node} for {@code duration} of virtual time. */
    public Sim clog(String node, Duration duration) {
        long nanos = nanos("clog duration", duration);
        kernel.ensureBooted();
        kernel.faults.clog(existing(node).index, nanos);
        kernel.afterExplicitFault();
        return this;
    }

    /** A fault's duration in nanoseconds (saturated), refusing what cannot be one. */
    private static long nanos(String what, Duration duration) {
        if (duration == null) {
            throw new IllegalArgumentException(what + " is missing (null); give a duration, e.g. Duration.ofMillis(10)");
        }
        if (duration.isNegative()) {
            throw new IllegalArgumentException(what + " " + duration + " is negative; give a duration of zero or more");
        }
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE; // longer than virtual time can count: for ever
        }
    }

    /**
     * Every fault this world injected so far, in order, with the HEAL step of {@link #calm()} among
     * them ({@link InjectedFault#isCalm()}: reports and the shrinker do not count it as a fault).
     */
    public List<InjectedFault> injectedFaults() {
        return List.copyOf(kernel.injected);
    }

    /** The fault profile this world runs with (under swarm testing: the one this seed picked). */
    public FaultProfile faultProfile() {
        return kernel.faultProfile;
    }

    /** BUGGIFY from Java: true when the site is enabled for this world and fires now. */
    public boolean buggify(String site) {
        return kernel.buggify.fire(site, kernel.choices);
    }

    /** Sites enabled for this world and those that fired. */
    public List<String> buggifyEnabled() {
        return kernel.buggify.enabledSites();
    }

    /** BUGGIFY sites that fired at least once in this world, in the order they first fired. */
    public List<String> buggifyFired() {
        return kernel.buggify.firedSites();
    }

    // ---- assertions (Antithesis' kinds) ----

    /** Fails the world if {@code condition} is false. */
    public void assertAlways(String message, boolean condition) {
        if (!condition) {
            throw new SimFailureException(kernel.failAssertion("always-assertion failed: " + message), null);
        }
    }

    /** Fails the world: this code must not be reached. */
    public void assertUnreachable(String message) {
        throw new SimFailureException(kernel.failAssertion("reached code marked unreachable: " + message), null);
    }

    /** Tallied: a test engine reports a coverage gap if it never holds in any seed. */
    public void assertSometimes(String message, boolean condition) {
        kernel.assertions.record("sometimes", message, condition);
    }

    /** Tallied: a test engine reports a coverage gap if no seed reaches it. */
    public void assertReachable(String message) {
        kernel.assertions.record("reachable", message, true);
    }

    /** The sometimes and reachable assertions of this world (guests' and Java's). */
    public List<AssertionTally.Entry> assertions() {
        return kernel.assertions.entries();
    }

    private Node existing(String node) {
        Node n = kernel.node(node);
        if (n == null) {
            throw new IllegalArgumentException("no node '" + node + "' in this world; nodes: " + kernel.nodeNames);
        }
        return n;
    }

    private int[] indices(Collection<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a side of a partition names no node");
        }
        int[] out = new int[names.size()];
        int i = 0;
        for (String name : names) {
            out[i++] = existing(name).index;
        }
        return out;
    }

    // ---- the test's own parameters ----

    /**
     * A parameter of the test's own (which module to load, a rate): the value given to this
     * world's configuration ({@link SimConfig.Builder#parameter}), else the system property of
     * that name, else {@code defaultValue}. Every parameter read is recorded with the world's
     * failure, and a test engine prints it in the replay command so that a replay reads the same
     * value.
     */
    public String parameter(String name, String defaultValue) {
        return kernel.parameter(name, defaultValue);
    }

    /** The parameters this world has read so far, with the values it got, in the order first read. */
    public java.util.Map<String, String> parametersRead() {
        return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(kernel.parametersRead));
    }

    /**
     * If this world replays a failure ({@link SimConfig#expectedModules}) and some node runs other
     * module bytes than the failure did, the one-line warning it logged at boot.
     */
    public Optional<String> modulesChanged() {
        return Optional.ofNullable(kernel.modulesChanged());
    }

    /** The SHA-256 digest (hex) of the module each WASM node runs, by node name. */
    public java.util.Map<String, String> moduleDigests() {
        return kernel.moduleDigests();
    }

    // ---- listening ----

    /**
     * Calls {@code listener} with every step of the trace, once each, in order, right after the
     * step (before the invariants are checked). An AssertionError it throws fails the world as a
     * violation; any other exception fails it as an error in the test's code.
     */
    public Sim onStep(java.util.function.Consumer<TraceStep> listener) {
        kernel.stepListeners.add(java.util.Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /**
     * Calls {@code listener} with every line of the unified log (guests', Java services', the
     * kernel's) written from now on, once each, in order, after the step that wrote it.
     */
    public Sim onLog(java.util.function.Consumer<LogLine> listener) {
        kernel.log.listen(java.util.Objects.requireNonNull(listener, "listener"));
        return this;
    }

    // ---- reading the world ----

    /** Whether {@code node} is up: booted and neither crashed nor exited (a paused node is up). */
    public boolean isRunning(String node) {
        return existing(node).state == Node.State.READY;
    }

    /** Whether {@code node} is paused (up, but running nothing until it resumes). */
    public boolean isPaused(String node) {
        return existing(node).held != null;
    }

    /** Whether {@code node} has crashed and not yet restarted. */
    public boolean isCrashed(String node) {
        return existing(node).state == Node.State.CRASHED;
    }

    /**
     * The world's virtual time in nanoseconds since it started (0 before the first step): the time
     * of the latest step, or the end of the last {@link #runFor}. Node clocks may read otherwise
     * under clock skew; this is the world's own clock.
     */
    public long nowNanos() {
        return kernel.nowNanos();
    }

    /**
     * The earliest virtual time at which a pending event (a message, a timer) may happen, or empty
     * if nothing is pending. It may lie before {@link #nowNanos()} when an event is due now. A
     * driver that runs the world against another clock (the runner's real time) waits until then.
     *
     * @return the earliest time of the next event in virtual nanoseconds, or empty
     */
    public java.util.OptionalLong nextEventNanos() {
        long next = kernel.nextEventNanos();
        return next == Long.MAX_VALUE ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(next);
    }

    /**
     * How many steps this world has taken so far: delivered events plus injected faults, each a
     * step of the {@link #trace()}. Bounded by {@link SimConfig#stepsMax()}.
     */
    public long steps() {
        return kernel.steps();
    }

    /**
     * The world's trace: every step so far, its hash and the most recent steps' fields. Live: it
     * grows as the world runs, and stays readable after a failure or {@link #close()}.
     */
    public Trace trace() {
        return kernel.trace;
    }

    /**
     * Every choice this world has drawn so far, in order: replayed through
     * {@link SimConfig.Builder#replayChoices}, it makes the same run again whatever the seed.
     *
     * @throws IllegalStateException if the world does not record its choices (the default; build
     *     its configuration with {@link SimConfig.Builder#recordChoices recordChoices(true)})
     */
    public ChoiceRecording choiceRecording() {
        if (!kernel.config.choices().records()) {
            throw new IllegalStateException("this world does not record its choices (its choice source is "
                    + kernel.config.choices().describe() + "); build its SimConfig with recordChoices(true) to"
                    + " read them");
        }
        return kernel.choices.recording();
    }

    /**
     * If this world replays a recording ({@link SimConfig.Builder#replayChoices}) and has left it,
     * a sentence naming where: the first choice drawn among another number of options than
     * recorded, or the first one past the recording's end. The world goes on (a value that does
     * not fit is reduced, a choice past the end is 0), so an edited recording still gives a legal
     * run; an unchanged recording with the same modules, test code and configuration never leaves.
     */
    public Optional<String> choicesDiverged() {
        return kernel.choices.divergence();
    }

    /** The unified log kept in memory (the last SimConfig logLinesKept lines). */
    public List<LogLine> log() {
        return kernel.log.lines();
    }

    /** The world's failure, if it has failed (a world fails at most once); empty while it has not. */
    public Optional<SimFailure> failure() {
        return Optional.ofNullable(kernel.failure());
    }

    /**
     * The most linear memory this world's WASM nodes can hold together: for each, the smaller of
     * its module's declared maximum and the node memory limit ({@link SimConfig#memoryBytesMax()}).
     * What a world may take from the JVM's heap beyond the kernel's own bookkeeping.
     */
    public long linearMemoryBytesMax() {
        return kernel.linearMemoryBytesMax();
    }

    /**
     * The heap, of a JVM whose heap max is {@code heapMax}, that guests may not fill: a world
     * whose guest would allocate linear memory into it fails as RESOURCE instead (an eighth of
     * the heap, at least 16 MiB, at most 256 MiB).
     */
    public static long heapReserveBytes(long heapMax) {
        return HeapGuard.reserve(heapMax);
    }

    /**
     * How many WASM node boots of this world (first boots and restarts) restored their module's
     * boot image instead of running {@code _initialize} and {@code parigot_start}; see
     * {@link SimConfig#snapshots()}.
     */
    public int bootsRestored() {
        return kernel.nodes.stream().mapToInt(node -> node.bootsRestored).sum();
    }

    /** How many WASM node boots of this world ran {@code _initialize} and {@code parigot_start}. */
    public int bootsFromScratch() {
        return kernel.nodes.stream().mapToInt(node -> node.bootsFromScratch).sum();
    }

    /**
     * Ends this world. Its trace, log, failure and counters can still be read; running it (or
     * booting, crashing, restarting a node) throws {@link IllegalStateException}. Closing is
     * optional, and pays off in loops of many worlds: the guest instances of a world that closed
     * without a failure are kept by this thread and reset to their boot image for the next world
     * that restores the same modules, instead of building new instances (the JUnit engine closes
     * the world of every seed it does not keep). Call it after the world's last run, never from
     * inside one; a second call does nothing.
     */
    @Override
    public void close() {
        kernel.close();
    }

    /**
     * Of the {@linkplain #bootsRestored restored boots}, how many reused a guest instance that an
     * earlier world on this thread gave back when it {@linkplain #close closed} (or a node gave
     * back when it crashed), reset to the boot image, instead of building a new one.
     */
    public int bootsReusingInstances() {
        return kernel.nodes.stream().mapToInt(node -> node.bootsReusingInstances).sum();
    }

    /** Node names in the order they were added. */
    public List<String> nodes() {
        return new ArrayList<>(kernel.nodeNames);
    }

    /** The services a node exported at boot. */
    public List<String> exportsOf(String node) {
        Node n = kernel.node(node);
        if (n == null) {
            throw new IllegalArgumentException("no node '" + node + "' in this world; nodes: " + kernel.nodeNames);
        }
        return List.copyOf(n.exports);
    }

    /** A check that passes by returning and fails by throwing. */
    @FunctionalInterface
    public interface Check {
        /** Runs the check; returning means it passed. */
        void run() throws Exception;
    }
}
