package dev.parigot.sim.kernel.internal.world;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.faults.InjectedFault;
import dev.parigot.sim.faults.NetworkModel;
import dev.parigot.sim.faults.Swarm;
import dev.parigot.sim.faults.TimeText;
import dev.parigot.sim.faults.internal.Buggify;
import dev.parigot.sim.faults.internal.FaultInjector;
import dev.parigot.sim.faults.internal.FaultyNetwork;
import dev.parigot.sim.faults.internal.LinkState;
import dev.parigot.sim.faults.internal.NodeClock;
import dev.parigot.sim.kernel.AssertionTally;
import dev.parigot.sim.kernel.FailureKind;
import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.JavaService;
import dev.parigot.sim.kernel.LogLine;
import dev.parigot.sim.kernel.NodeOptions;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.kernel.SimFailure;
import dev.parigot.sim.kernel.SimFailureException;
import dev.parigot.sim.kernel.SimFuture;
import dev.parigot.sim.kernel.Status;
import dev.parigot.sim.kernel.StepKind;
import dev.parigot.sim.kernel.Trace;
import dev.parigot.sim.kernel.TraceStep;
import dev.parigot.sim.kernel.internal.guest.GuestNode;
import dev.parigot.sim.kernel.internal.javanode.JavaNode;
import dev.parigot.sim.kernel.internal.node.ApiAccess;
import dev.parigot.sim.kernel.internal.node.Event;
import dev.parigot.sim.kernel.internal.node.GuestFault;
import dev.parigot.sim.kernel.internal.node.Node;
import dev.parigot.sim.kernel.internal.node.NodeLifecycle;
import dev.parigot.sim.kernel.internal.node.Route;
import dev.parigot.sim.kernel.internal.node.SimStop;
import dev.parigot.sim.kernel.internal.node.World;
import dev.parigot.sim.kernel.internal.storage.StorageNode;
import dev.parigot.sim.scheduler.ChoiceStream;
import dev.parigot.sim.scheduler.Seed;
import dev.parigot.sim.scheduler.Strategy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The event loop of one world: the virtual clock, the queue of pending events, routing of calls
 * and results through the network model, timers, boot, and the bookkeeping of every step (trace,
 * invariants, limits). Runs on one thread; every nondeterministic decision draws from the
 * world's choice stream.
 *
 * <p>Scheduling: every pending event has a window [earliest, latest] of virtual time in which it
 * may happen (a timer's window is one instant; a message's is the network's latency bounds).
 * At each step the candidates are the events whose earliest time is no later than the smallest
 * latest time of all pending events (anything else would make some event late), minus messages
 * that would overtake an earlier one on the same FIFO link. The strategy picks one; the clock
 * advances to its earliest time if that is in the future.
 */
public final class Kernel implements World {
    private static final ApiAccess API = ApiAccess.get();

    public final SimConfig config;
    public final Seed seed;
    public final Strategy strategy;
    public final ChoiceStream choices;
    public NetworkModel network;
    public final FaultProfile faultProfile;
    public final LinkState links = new LinkState();
    public final Faults faults;
    public final Buggify buggify;
    public final AssertionTally assertions = new AssertionTally();
    public final List<InjectedFault> injected = new ArrayList<>();
    private KernelProcess kernelProcess;
    public StorageNode storage;
    public final List<Node> nodes = new ArrayList<>();
    public final List<String> nodeNames = new ArrayList<>();
    private final Map<String, Node> nodesByName = new LinkedHashMap<>();
    final Map<String, List<Node>> providers = new LinkedHashMap<>();
    public final List<Route> routes = new ArrayList<>();
    public final Trace trace;
    public final WorldLog log;
    private final List<NamedInvariant> invariants = new ArrayList<>();
    private final Map<String, Integer> expectedExits = new LinkedHashMap<>();
    /** The test's own parameters this world read, in the order first read. */
    public final Map<String, String> parametersRead = new LinkedHashMap<>();
    public final List<java.util.function.Consumer<TraceStep>> stepListeners = new ArrayList<>();

    final EventQueue queue = new EventQueue();
    final Supervisor supervisor = new Supervisor(this);
    private final Boot boot = new Boot(this);
    private final MessagePath path = new MessagePath(this);

    long nowNanos;
    long steps;
    long nextId = 1;
    long nextSeq;
    boolean booted;
    boolean booting;
    SimFailure failure;

    public Kernel(SimConfig config) {
        this.config = config;
        this.seed = config.seed();
        this.strategy = config.newStrategy();
        this.choices = config.choices().open(seed);
        this.faultProfile = config.swarm() ? Swarm.pick(config.faults(), choices) : config.faults();
        this.network = faultProfile.networkFaults() ? new FaultyNetwork(faultProfile.network(), links)
                : config.network();
        this.buggify = new Buggify(faultProfile.buggify());
        this.faults = new Faults(this, faultProfile.ticking() ? new FaultInjector(faultProfile) : null,
                faultProfile.process().crashPoints());
        this.trace = API.newTrace(nodeNames, routes, config.traceStepsKept(), config.tracePayloads());
        this.log = new WorldLog(config.logLinesKept(), config.echoLog(), seed.toString());
    }

    // ------------------------------------------------------------------ world building

    /** The services the nodes added so far serve (a guest's as its module declares them). */
    public java.util.Set<String> servicesProvided() {
        java.util.Set<String> out = new java.util.TreeSet<>();
        for (Node n : nodes) {
            if (n instanceof GuestNode) {
                out.addAll(ModuleDeclarations.of(((GuestNode) n).module).exports());
            } else if (n != storage) {
                out.addAll(n.exports);
            }
        }
        return out;
    }

    public GuestNode addGuest(GuestModule module, NodeOptions options) {
        requireNotBooted("add a node");
        String name = options.name();
        checkNewName(name);
        GuestNode node = new GuestNode(this, nodes.size(), name, module, options.environment(), options.arguments(),
                choices.chooseSeed());
        node.clock = NodeClock.draw(faultProfile, choices);
        register(node);
        return node;
    }

    public JavaNode addJava(String name, JavaService service) {
        requireNotBooted("add a Java service");
        checkNewName(name);
        JavaNode node = new JavaNode(this, nodes.size(), name, service, choices.chooseSeed());
        node.clock = NodeClock.draw(faultProfile, choices);
        register(node);
        return node;
    }

    public JavaNode addClient(String name) {
        checkNewName(name);
        JavaNode node = new JavaNode(this, nodes.size(), name, null, choices.chooseSeed());
        register(node);
        if (booted) {
            node.state = Node.State.READY;
        }
        return node;
    }

    void register(Node node) {
        nodes.add(node);
        nodeNames.add(node.name);
        nodesByName.put(node.name, node);
        if (!lifecycle.isEmpty()) {
            for (NodeLifecycle l : List.copyOf(lifecycle)) {
                l.nodeAdded(node);
            }
        }
    }

    // ------------------------------------------------------------------ node lifecycle

    /**
     * The parts told of each node's life, in the order they were added: the storage (when the
     * world has one, from boot on), then whatever a test adds. Every event reaches them in that
     * order, after the kernel's own bookkeeping and trace step for it.
     */
    private final List<NodeLifecycle> lifecycle = new ArrayList<>();

    public void addLifecycle(NodeLifecycle listener) {
        lifecycle.add(listener);
    }

    /** {@code n} crashed (its CRASH step is recorded): every listener hears it, in order. */
    public void nodeCrashed(Node n) {
        for (NodeLifecycle l : List.copyOf(lifecycle)) {
            l.nodeCrashed(n);
        }
    }

    void nodeRestarted(Node n) {
        for (NodeLifecycle l : List.copyOf(lifecycle)) {
            l.nodeRestarted(n);
        }
    }

    private void checkNewName(String name) {
        if (name.equals(KernelProcess.NAME) || name.equals(StorageNode.NAME)) {
            throw new IllegalArgumentException("'" + name + "' is the name of a process of the kernel; give the node"
                    + " another name");
        }
        if (nodesByName.containsKey(name)) {
            throw new IllegalArgumentException("a node named '" + name + "' already exists in this world; give each"
                    + " node its own name (NodeOptions.named(\"...\"))");
        }
    }

    private void requireNotBooted(String what) {
        if (booted || booting) {
            throw new IllegalStateException("cannot " + what + " after the world has booted; add every node and"
                    + " service before the first call, run or boot");
        }
    }

    public void addInvariant(String name, Invariant check) {
        invariants.add(new NamedInvariant(name, check));
    }

    /** The test's own parameter: the world's configuration, else a system property, else the default. */
    public String parameter(String name, String defaultValue) {
        String value = config.parameters().get(name);
        if (value == null) {
            value = System.getProperty(name);
        }
        if (value == null) {
            value = defaultValue;
        }
        String earlier = parametersRead.putIfAbsent(name, value);
        if (earlier != null && !earlier.equals(value)) {
            throw new IllegalArgumentException("parameter '" + name + "' read twice with different defaults ('"
                    + earlier + "', then '" + value + "'); give it one default");
        }
        return value;
    }

    /** The SHA-256 digest of each WASM node's module, by node name. */
    public Map<String, String> moduleDigests() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Node n : nodes) {
            if (n instanceof GuestNode) {
                out.put(n.name, ((GuestNode) n).module.digest());
            }
        }
        return out;
    }

    public void expectExit(String node, int code) {
        expectedExits.put(node, code);
    }

    public Node node(String name) {
        return nodesByName.get(name);
    }

    // ------------------------------------------------------------------ boot

    @Override
    public void ensureBooted() {
        requireOpen();
        if (failure != null) {
            throw new SimFailureException(failure, null);
        }
        if (!booted && !booting) {
            supervisor.guarded(boot::boot);
        }
    }

    // ------------------------------------------------------------------ closing

    /** Set by {@link #close}: the world can be read, not run. */
    boolean closed;

    /**
     * Ends the world: every node lets go of what it holds, and a guest instance that ended cleanly
     * goes to its module's spares on this thread (see docs/kernel.md, "Closing a world"). Reading
     * the world (trace, log, failure) still works; running it throws.
     */
    public void close() {
        if (closed) {
            return;
        }
        if (supervisor.supervising()) {
            throw new IllegalStateException("Sim.close() was called while the world runs (from a listener, an"
                    + " invariant or a Java service); close the world after run(), runFor() or await() returns");
        }
        closed = true;
        boolean cleanly = failure == null;
        for (Node n : nodes) {
            n.worldClosed(cleanly);
        }
    }

    /** A closed world runs nothing: not a step, a boot, an explicit fault. */
    void requireOpen() {
        if (closed) {
            throw new IllegalStateException("this world was closed (Sim.close()): its trace, log and failure can"
                    + " still be read, but it cannot run; create a new world with Sim.create (a test engine closes"
                    + " each seed's world when the seed ends: a Sim kept from an earlier seed, in a static field"
                    + " say, is that seed's world, not this one's)");
        }
    }

    // ------------------------------------------------------------------ running

    /** Runs until nothing is pending. */
    public void run() {
        ensureBooted();
        runGuarded(() -> {
            while (step(Long.MAX_VALUE)) {
                // keep going
            }
        });
    }

    /** Runs until {@code condition} holds; a world that goes quiet first fails. */
    public void runUntil(BooleanSupplier condition, String what) {
        ensureBooted();
        runGuarded(() -> {
            while (!condition.getAsBoolean()) {
                if (!step(Long.MAX_VALUE)) {
                    fail(FailureKind.LIMIT, null, "the world became quiescent (nothing left to deliver) before "
                            + what, null);
                }
            }
        });
    }

    /** Runs every event due within {@code nanos} of virtual time, then sets the clock there. */
    public void runFor(long nanos) {
        ensureBooted();
        long deadline = nanos > Long.MAX_VALUE - nowNanos ? Long.MAX_VALUE : nowNanos + nanos; // saturate, never wrap
        runGuarded(() -> {
            while (step(deadline)) {
                // keep going
            }
            nowNanos = Math.max(nowNanos, Math.min(deadline, config.virtualTimeNanosMax()));
        });
    }

    /** One step; false if nothing can happen at or before {@code deadline}. */
    private boolean step(long deadline) {
        Event event = queue.next(deadline, strategy, choices, steps);
        if (event == null) {
            return false;
        }
        if (event.earliestNanos > nowNanos) {
            nowNanos = event.earliestNanos;
        }
        if (nowNanos > config.virtualTimeNanosMax()) {
            fail(FailureKind.LIMIT, null, "the world reached the virtual-time limit of "
                    + TimeText.of(config.virtualTimeNanosMax()) + " (SimConfig virtualTimeMax) with events still"
                    + " pending; use runFor(...) for systems that never go quiet", null);
        }
        if (event.target == kernelProcess) {
            // Fault-injection work: a step of the trace only if it injects something.
            long before = trace.steps();
            supervisor.runEvent(kernelProcess, event);
            if (trace.steps() != before) {
                afterStep(null);
            }
            return true;
        }
        steps++;
        Node target = event.target;
        if (faults.points == null) {
            path.deliver(event);
            afterStep(target);
        } else {
            long writes = target.storageWritesIssued;
            long replies = target.repliesSent;
            boolean call = event.type == Event.CALL && target.running() && event.targetIncarnation == target.incarnation;
            path.deliver(event);
            afterStep(target);
            faults.afterStep(target, call, target.storageWritesIssued != writes, target.repliesSent != replies);
        }
        if (steps >= config.stepsMax() && !queue.isEmpty()) {
            fail(FailureKind.LIMIT, null, "the world ran " + String.format("%,d", steps) + " steps without finishing"
                    + " (SimConfig stepsMax); a livelock, or raise the limit", null);
        }
        return true;
    }

    void afterStep(Node target) {
        if (!stepListeners.isEmpty() || log.hasListeners()) {
            notifyListeners();
        }
        for (NamedInvariant inv : invariants) {
            String problem;
            try {
                problem = inv.check.check();
            } catch (SimStop | SimFailureException e) {
                throw e;
            } catch (AssertionError | SimFuture.CallFailedException e) {
                problem = e.getMessage() == null ? e.toString() : e.getMessage();
            } catch (Exception | StackOverflowError e) {
                fail(FailureKind.TEST_CODE, target, "the invariant \"" + inv.name + "\" threw " + e
                        + " (an error in the test's own check, not a violation; its stack trace follows)", e);
                return;
            }
            if (problem != null) {
                fail(FailureKind.INVARIANT, target, "invariant \"" + inv.name + "\" violated"
                        + (problem.isEmpty() ? "" : ": " + problem), null);
            }
        }
    }

    private long stepsNotified;

    /** Hands each step and log line recorded since the last call to the test's listeners, once each. */
    private void notifyListeners() {
        long upTo = trace.steps();
        for (long s = Math.max(stepsNotified + 1, upTo - config.traceStepsKept() + 1); s <= upTo; s++) {
            TraceStep step = trace.step(s);
            for (java.util.function.Consumer<TraceStep> listener : stepListeners) {
                try {
                    listener.accept(step);
                } catch (SimStop | SimFailureException e) {
                    throw e;
                } catch (AssertionError e) {
                    fail(FailureKind.INVARIANT, null, "a step listener failed at step " + s + ": " + e.getMessage(),
                            e);
                } catch (RuntimeException | StackOverflowError e) {
                    fail(FailureKind.TEST_CODE, null, "a step listener threw " + e + " at step " + s
                            + " (an error in the test's own code; its stack trace follows)", e);
                }
            }
        }
        stepsNotified = upTo;
        try {
            log.notifyListeners();
        } catch (SimStop | SimFailureException e) {
            throw e;
        } catch (AssertionError e) {
            fail(FailureKind.INVARIANT, null, "a log listener failed: " + e.getMessage(), e);
        } catch (RuntimeException | StackOverflowError e) {
            fail(FailureKind.TEST_CODE, null, "a log listener threw " + e
                    + " (an error in the test's own code; its stack trace follows)", e);
        }
    }

    /** After a fault a crash point injected between two steps: the invariants see it as a step. */
    public void afterFaultBetweenSteps() {
        afterStep(null);
    }

    /**
     * After a fault the test applied between steps, the invariants are checked as after a step
     * (inside a step, that step's own check follows anyway).
     */
    public void afterExplicitFault() {
        if (!supervisor.supervising()) {
            supervisor.guarded(() -> afterStep(null));
        }
    }

    public void verify(String name, Sim.Check check) {
        ensureBooted();
        supervisor.guarded(() -> {
            try {
                check.run();
            } catch (SimStop | SimFailureException e) {
                throw e;
            } catch (AssertionError | SimFuture.CallFailedException e) {
                fail(FailureKind.ASSERTION, null, "\"" + name + "\" does not hold: " + (e.getMessage() == null
                        ? e.toString() : e.getMessage().strip()), e);
            } catch (Exception | StackOverflowError e) {
                fail(FailureKind.TEST_CODE, null, "the check \"" + name + "\" threw " + e
                        + " (an error in the test's own check, not a failed assertion; its stack trace follows)", e);
            }
        });
    }

    public SimFailure recordFailure(Throwable thrown) {
        if (failure == null && thrown instanceof OutOfMemoryError) {
            try {
                fail(FailureKind.RESOURCE, null, supervisor.ranOutOfHeap("the test", "", (OutOfMemoryError) thrown), thrown);
            } catch (SimStop expected) {
                // recorded
            }
        }
        if (failure == null) {
            FailureKind kind = thrown instanceof AssertionError ? FailureKind.ASSERTION : FailureKind.TEST_CODE;
            String message = thrown.getMessage() == null ? thrown.toString()
                    : (kind == FailureKind.ASSERTION ? "" : thrown.getClass().getName() + ": ") + thrown.getMessage().strip();
            String when = booted ? "" : " before the world booted";
            try {
                fail(kind, null, (kind == FailureKind.ASSERTION ? "assertion failed in the test" + when + ": "
                        : "the test threw" + (booted ? " " : when + ": ")) + message, thrown);
            } catch (SimStop expected) {
                // recorded
            }
        }
        return failure;
    }

    // ------------------------------------------------------------------ what processes do

    /**
     * The one payload limit, for guests and Java services alike: null when {@code length} bytes
     * are within {@link SimConfig#payloadBytesLimit()}, otherwise the sentence saying so. The
     * caller says who sent what: {@code sent} gets "2,048 bytes" and returns e.g. "node 'a' sent
     * a payload of 2,048 bytes to s/M"; this adds ", over the limit of 1,024 bytes (SimConfig
     * payloadBytesLimit)". Each caller turns the sentence into its node kind's outcome. Nothing
     * is built while a payload is within the limit.
     */
    @Override
    public String payloadOverLimit(int length, java.util.function.UnaryOperator<String> sent) {
        if (length <= config.payloadBytesLimit()) {
            return null;
        }
        return sent.apply(String.format("%,d", length) + " bytes") + ", over the limit of "
                + String.format("%,d", config.payloadBytesLimit()) + " bytes (SimConfig payloadBytesLimit)";
    }

    @Override
    public CallSite resolve(Node caller, String target, String method) {
        return path.resolve(caller, target, method);
    }

    /** ABI {@code call}: the call id, or minus a status. */
    @Override
    public long call(Node caller, String target, String method, byte[] payload) {
        long id = path.call(caller, path.resolve(caller, target, method), payload);
        if (!running && id > 0 && caller instanceof JavaNode && ((JavaNode) caller).isClient()) {
            // Made by test code between runs: the next run delivers it, if the test runs the world again.
            if (callsNotRun.size() < 3) {
                callsNotRun.add(caller.name + " -> " + target + "/" + method);
            }
            callsNotRunCount++;
        }
        return id;
    }

    /** Whether a run method (run, runUntil, runFor) is on the stack. */
    private boolean running;
    /** Calls test code made since the world last ran (the first three named), for {@link #callsNeverRun}. */
    private final List<String> callsNotRun = new ArrayList<>(3);
    private int callsNotRunCount;

    /**
     * A sentence naming the calls test code made after the world last ran, which nothing has
     * delivered; empty when there are none. A test that returns with such calls never ran what it
     * asked for.
     */
    public java.util.Optional<String> callsNeverRun() {
        if (callsNotRunCount == 0 || failure != null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("the test returned after making " + (callsNotRunCount == 1 ? "a call" : callsNotRunCount
                + " calls") + " (" + String.join(", ", callsNotRun) + (callsNotRunCount > callsNotRun.size()
                ? ", ..." : "") + ") without running the world again, so nothing delivered "
                + (callsNotRunCount == 1 ? "it" : "them") + " and nothing checked the outcome: run the world after"
                + " making calls (sim.run(), sim.runUntil(...), sim.runFor(...) or sim.await(future))");
    }

    private void runGuarded(Runnable body) {
        if (running) {
            throw new IllegalStateException("the world is already running: run, runUntil, runFor or await was called"
                    + " from code the world runs (a Java service's handler, a client callback, a timer's action or"
                    + " an invariant); each handler runs whole between two steps, so it may not drive the world."
                    + " Drive it from the test's own code, and answer later with context().schedule(...)");
        }
        callsNotRun.clear();
        callsNotRunCount = 0;
        running = true;
        try {
            supervisor.guarded(body);
        } finally {
            running = false;
        }
    }

    @Override
    public long call(Node caller, CallSite site, byte[] payload) {
        return path.call(caller, site, payload);
    }

    @Override
    public String lastCallProblem() {
        return path.lastCallProblem;
    }

    /** ABI {@code reply}: a status. */
    @Override
    public int reply(Node node, long callId, int status, byte[] payload) {
        return path.reply(node, callId, status, payload);
    }

    @Override
    public long timerSet(Node node, long delayNanos) {
        if (delayNanos < 0) {
            return -Status.INVALID_ARGUMENT.code();
        }
        long id = nextId++;
        Event e = new Event(Event.TIMER, nextSeq++, node, node, id, Route.NONE, 0, null);
        e.targetIncarnation = node.incarnation;
        long at = nowNanos + node.clock.trueDuration(nowNanos, delayNanos); // delays run on the node's own clock
        if (at < nowNanos) {
            at = Long.MAX_VALUE; // overflow: never
        }
        e.earliestNanos = at;
        e.latestNanos = at;
        node.timers.put(id, e);
        enqueue(e);
        return id;
    }

    @Override
    public int timerCancel(Node node, long timerId) {
        Event e = timerId > 0 ? node.timers.remove(timerId) : null;
        if (e == null) {
            return Status.NOT_FOUND.code();
        }
        e.retired = true;
        return Status.OK.code();
    }

    @Override
    public long virtualTimeLeftNanos() {
        return config.virtualTimeNanosMax() - nowNanos;
    }

    @Override
    public long nowNanos(Node node) {
        return node.clock.read(nowNanos);
    }

    public long nowNanos() {
        return nowNanos;
    }

    /** The earliest time of the next pending event, Long.MAX_VALUE if none (reads only the queue). */
    public long nextEventNanos() {
        return queue.nextEarliestNanos();
    }

    public long steps() {
        return steps;
    }

    @Override
    public int buggify(Node node, String site) {
        return buggify.fire(site, choices) ? 1 : 0;
    }

    @Override
    public void guestAssert(Node node, int kind, boolean condition, String message) {
        switch (kind) {
            case 0:
                if (!condition) {
                    throw new GuestFault(FailureKind.ASSERTION, "node '" + node.name + "' failed an always-assertion: "
                            + message);
                }
                return;
            case 3:
                throw new GuestFault(FailureKind.ASSERTION, "node '" + node.name + "' reached code marked unreachable: "
                        + message);
            case 1:
                API.tally(assertions, "sometimes", message, condition);
                return;
            case 2:
                API.tally(assertions, "reachable", message, true);
                return;
            default:
                throw new GuestFault(FailureKind.GUEST_FAULT, "node '" + node.name + "' called assert with kind "
                        + kind + "; the kinds are 0 always, 1 sometimes, 2 reachable, 3 unreachable");
        }
    }

    @Override
    public void requestExit(Node node, int code) {
        if (booting) {
            throw new GuestFault(FailureKind.BOOT, "boot failed: node '" + node.name + "' called exit(" + code
                    + ") during parigot_ready");
        }
        node.exitRequested = true;
        node.exitCode = code;
    }

    void finishExit(Node node) {
        node.state = Node.State.EXITED;
        if (node instanceof GuestNode) {
            ((GuestNode) node).flushStd();
        }
        for (long timer : node.timers.keysSorted()) {
            node.timers.remove(timer).retired = true;
        }
        for (long call : node.inbound.keysSorted()) {
            Node.Inbound in = node.inbound.remove(call);
            path.send(Event.RESULT, node, in.caller(), call, in.route(), Status.UNAVAILABLE.code(), EMPTY,
                    in.callerIncarnation());
        }
        log(node, LogLine.Level.INFO, "exited with code " + node.exitCode);
        Integer expected = expectedExits.get(node.name);
        if (node.exitCode != 0 && (expected == null || expected != node.exitCode)) {
            fail(FailureKind.EXIT, node, "node '" + node.name + "' exited with code " + node.exitCode
                    + (node instanceof GuestNode ? " in " + ((GuestNode) node).activity() : "")
                    + "; if the test expects this, call sim.expectExit(\"" + node.name + "\", " + node.exitCode
                    + ")", null);
        }
    }

    @Override
    public void log(Node node, LogLine.Level level, String text) {
        log.add(new LogLine(nowNanos, node == null ? "kernel" : node.name, level, text));
    }

    // ------------------------------------------------------------------ message path

    void enqueue(Event e) {
        if (e.target != kernelProcess) {
            faults.wake();
        }
        if (e.target.held != null) {
            e.target.held.add(e); // paused: waits for resume
            return;
        }
        queue.add(e);
    }

    // ------------------------------------------------------------------ faults

    private static final int FAULT_ROUTES_MAX = 50_000;

    /** Fails the world with an assertion made by Java code (Sim.assertAlways and friends). */
    public SimFailure failAssertion(String message) {
        if (failure == null) {
            try {
                fail(FailureKind.ASSERTION, null, message, null);
            } catch (SimStop expected) {
                // recorded
            }
        }
        return failure;
    }

    /** Records an injected fault: a step of the trace, a line of the log and of the report. */
    @Override
    public void recordFault(InjectedFault.Kind kind, Node node, String detail) {
        injected.add(new InjectedFault(nowNanos, kind, detail));
        steps++;
        // Details are interned as routes for the trace; past a bound, only the kind is (memory stays bounded).
        Route label = routes.size() < FAULT_ROUTES_MAX ? path.route("", detail) : path.route("", kind.name().toLowerCase());
        API.record(trace, nowNanos, -1, node == null ? -1 : node.index, stepKind(kind), 0, label.id, null, 0);
        log(null, LogLine.Level.INFO, "fault: " + kind.name().toLowerCase().replace('_', ' ') + " " + detail);
    }

    private static StepKind stepKind(InjectedFault.Kind kind) {
        switch (kind) {
            case DROP: return StepKind.DROP;
            case DUPLICATE: return StepKind.DUPLICATE;
            case CRASH: return StepKind.CRASH;
            case RESTART: return StepKind.RESTART;
            case PAUSE: return StepKind.PAUSE;
            case RESUME: return StepKind.RESUME;
            case PARTITION: return StepKind.PARTITION;
            case HEAL: return StepKind.HEAL;
            case CLOG: return StepKind.CLOG;
            default: return StepKind.STORAGE;
        }
    }

    /** Runs {@code action} as the kernel's own event after {@code delayNanos} of virtual time. */
    public void scheduleKernel(long delayNanos, Runnable action) {
        if (kernelProcess == null) {
            kernelProcess = new KernelProcess(this, nodes.size());
            register(kernelProcess);
        }
        long id = timerSet(kernelProcess, delayNanos);
        kernelProcess.schedule(id, action);
    }

    /** Whether anything but the kernel's own ticks is pending. */
    public boolean hasPendingWork() {
        if (queue.anyLive(e -> e.target != kernelProcess)) {
            return true;
        }
        for (Node n : nodes) {
            if (n.held != null && !n.held.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The storage requests {@code n} has issued that have not reached its disk yet, in issue
     * order: the Write and Delete calls of incarnations before {@code incarnation} still queued.
     */
    @Override
    public List<Event> storageRequestsInFlight(Node n) {
        List<Event> out = queue.live(e -> e.source == n && e.target == storage && e.type == Event.CALL
                && e.sourceIncarnation != n.incarnation);
        out.sort(Comparator.comparingLong(e -> e.linkIndex));
        return out;
    }

    /** Pauses {@code n}: its pending events leave the queues and wait. */
    public void hold(Node n) {
        n.held = new ArrayList<>();
        for (Event copy : queue.takeFor(n)) {
            if (copy.type == Event.TIMER) {
                n.timers.put(copy.id, copy);
            }
            n.held.add(copy);
        }
    }

    /** Resumes {@code n}: what waited is due from now on, in its original order. */
    public void release(Node n) {
        List<Event> waiting = n.held;
        n.held = null;
        for (Event e : waiting) {
            if (e.retired) {
                continue; // a timer cancelled while paused
            }
            e.earliestNanos = Math.max(e.earliestNanos, nowNanos);
            e.latestNanos = Math.max(e.latestNanos, e.earliestNanos);
            enqueue(e);
        }
    }

    /**
     * Puts partitions and clogs in front of the network (for explicit ones, or random ones under a
     * profile without network faults): the world's own network model still decides latency.
     */
    public void useFaultyNetwork() {
        if (network == config.network()) {
            network = FaultyNetwork.withLinks(network, links);
        }
    }

    /** A crashed node comes back: a fresh instance that starts and becomes ready again (see {@link Boot}). */
    public void restart(GuestNode n) {
        boot.restart(n);
    }

    /** The one-line warning of a replay against changed module bytes, or null. */
    public String modulesChanged() {
        return boot.modulesChanged;
    }

    // ------------------------------------------------------------------ failure and the watchdog

    Throwable failureCause;

    /** Fails the world (once) and unwinds to the caller of run. */
    public SimStop fail(FailureKind kind, Node node, String reason, Throwable cause) {
        if (failure == null) {
            failureCause = cause;
            // An invariant is the test's: its violation is logged under the kernel, though the
            // failure names the node whose step broke it.
            log(kind == FailureKind.INVARIANT ? null : node, LogLine.Level.ERROR, reason);
            failure = new SimFailure(seed, strategy.name(), kind, reason, node == null ? "" : node.name, steps,
                    nowNanos, trace.hash(), trace.last(config.failureStepsShown()),
                    log.tail(config.failureLogLinesShown()), faultContext(), parametersRead, moduleDigests());
        }
        throw new SimStop();
    }

    public SimFailure failure() {
        return failure;
    }

    /** What a failure report says about faults: the profile, the faults injected, buggify sites. */
    public List<String> faultContext() {
        List<String> lines = new ArrayList<>();
        if (faultProfile != dev.parigot.sim.faults.FaultProfile.NONE) {
            lines.add("faults: " + faultProfile.describe());
        }
        List<InjectedFault> faults = new ArrayList<>(injected.size());
        InjectedFault calm = null;
        for (InjectedFault f : injected) {
            if (f.isCalm()) {
                calm = f;
            } else {
                faults.add(f);
            }
        }
        if (!faults.isEmpty()) {
            int shown = Math.min(faults.size(), 20);
            String byKind = "";
            if (shown < faults.size()) {
                // The list shows the last ones only: count every kind, so a rare fault early on is not lost.
                Map<InjectedFault.Kind, Integer> counts = new java.util.EnumMap<>(InjectedFault.Kind.class);
                for (InjectedFault f : faults) {
                    counts.merge(f.kind(), 1, Integer::sum);
                }
                StringBuilder b = new StringBuilder();
                counts.forEach((kind, n) -> b.append(b.length() == 0 ? "" : ", ").append(n).append(' ').append(kind));
                byKind = ": " + b + ";";
            }
            lines.add("faults injected (" + faults.size() + byKind + (shown < faults.size() ? " last " + shown : "")
                    + "):");
            for (InjectedFault f : faults.subList(faults.size() - shown, faults.size())) {
                lines.add("  " + f);
            }
        }
        if (calm != null) {
            lines.add("calm from " + dev.parigot.sim.faults.TimeText.stamp(calm.timeNanos())
                    + " (the test's sim.calm()): every partition healed, no random fault after it");
        }
        StringBuilder clocks = new StringBuilder();
        for (Node n : nodes) {
            if (n.clock != null && !n.clock.exact()) {
                clocks.append(clocks.length() == 0 ? "" : ", ").append(n.name).append(' ').append(n.clock);
            }
        }
        if (clocks.length() > 0) {
            lines.add("clocks: " + clocks);
        }
        if (!buggify.enabledSites().isEmpty()) {
            lines.add("buggify: enabled " + buggify.enabledSites() + ", fired " + buggify.firedSites());
        }
        return lines;
    }

    @Override
    public SimConfig config() {
        return config;
    }

    @Override
    public ChoiceStream choices() {
        return choices;
    }

    @Override
    public boolean calm() {
        return faults.isCalm();
    }

    // ---- supervision (Supervisor): what nodes, Sim and the catalog ask of it through the world

    /** Runs world code so that a failure surfaces as SimFailureException, with the watchdog on. */
    public void guarded(Runnable body) {
        supervisor.guarded(body);
    }

    /** Runs {@code body} on this thread with the hang watchdog watching this world. */
    public void supervised(Runnable body) {
        supervisor.supervised(body);
    }

    /** The most linear memory this world's WASM nodes can hold together. */
    public long linearMemoryBytesMax() {
        return supervisor.linearMemoryBytesMax();
    }

    @Override
    public void enterGuest() {
        supervisor.enterGuest();
    }

    @Override
    public void exitGuest() {
        supervisor.exitGuest();
    }

    @Override
    public GuestFault interrupted(Node node, String what, ChicoryInterruptedException e) {
        return supervisor.interrupted(node, what, e);
    }

    @Override
    public GuestFault outOfMemory(Node node, String what, OutOfMemoryError e) {
        return supervisor.outOfMemory(node, what, e);
    }

    @Override
    public GuestFault heapFull(Node guest, String what) {
        return supervisor.heapFull(guest, what);
    }

    /** An invariant check: null if it holds, else what is wrong (may be empty). */
    @FunctionalInterface
    public interface Invariant {
        String check() throws Exception;
    }

    private record NamedInvariant(String name, Invariant check) {
    }
}
