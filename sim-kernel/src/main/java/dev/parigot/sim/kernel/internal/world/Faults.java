package dev.parigot.sim.kernel.internal.world;

import dev.parigot.sim.faults.CrashPoints;
import dev.parigot.sim.faults.InjectedFault;
import dev.parigot.sim.faults.TimeText;
import dev.parigot.sim.faults.internal.FaultInjector;
import dev.parigot.sim.faults.internal.FaultTarget;
import dev.parigot.sim.faults.internal.FaultyNetwork;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.internal.guest.GuestNode;
import dev.parigot.sim.kernel.internal.node.Node;
import dev.parigot.sim.kernel.internal.storage.StorageNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Process faults and link faults applied to one world: crash and restart, pause and resume,
 * partitions and clogs, either drawn by the {@link FaultInjector} at ticks or asked for by a
 * test through {@link Sim}. Every fault is a step of the trace and a line of the report.
 */
public final class Faults implements FaultTarget {
    private final Kernel kernel;
    private final FaultInjector injector;
    /** Faults decided between steps, or null when the profile has none (the kernel then skips the hook). */
    public final CrashPoints points;
    private boolean started;
    private boolean ticking;
    /** Random crashes so far (ticks and points together), against the budget. */
    private int randomCrashes;
    /** After {@link #calm()}: no random fault is drawn any more. */
    private boolean calm;

    Faults(Kernel kernel, FaultInjector injector, CrashPoints points) {
        this.kernel = kernel;
        this.injector = injector;
        this.points = points.any() ? points : null;
    }

    /**
     * After a step of {@code ran} (once booted): what the crash points decide. {@code handledCall}:
     * it ran its handler for an incoming call; {@code wrote}: the handler issued storage writes,
     * unsynced as yet; {@code replied}: it sent a reply.
     */
    public void afterStep(Node ran, boolean handledCall, boolean wrote, boolean replied) {
        if (!started || calm) {
            return;
        }
        boolean guest = ran instanceof GuestNode && faultable(ran.index);
        CrashPoints.StepFacts facts = guest ? new CrashPoints.StepFacts(handledCall, wrote, replied) : NO_FACTS;
        CrashPoints.Decision decision = points.decide(facts, crashAllowed(), kernel.choices);
        switch (decision) {
            case CRASH:
                crash(ran.index, restartDelayNanos()); // a random crash: counts against the budget
                break;
            case CRASH_ANY: {
                int victim = randomFaultable();
                if (victim >= 0) {
                    crash(victim, restartDelayNanos());
                }
                break;
            }
            case PAUSE:
                pause(ran.index, kernel.faultProfile.process().pauseDuration().drawNanos(kernel.choices));
                break;
            case CLOG:
                clog(ran.index, kernel.faultProfile.network().clogDuration().drawNanos(kernel.choices));
                break;
            default:
                return;
        }
        kernel.afterFaultBetweenSteps();
    }

    private static final CrashPoints.StepFacts NO_FACTS = new CrashPoints.StepFacts(false, false, false);

    /** How long a node crashed at a point waits to restart, drawn from the choice stream. */
    private long restartDelayNanos() {
        return kernel.faultProfile.process().restartDelay().drawNanos(kernel.choices);
    }

    /** A running WASM node drawn from the choice stream, or -1 if there is none. */
    private int randomFaultable() {
        int count = 0;
        for (int i = 0; i < nodeCount(); i++) {
            count += faultable(i) ? 1 : 0;
        }
        if (count == 0) {
            return -1;
        }
        int k = kernel.choices.choose(count);
        for (int i = 0; i < nodeCount(); i++) {
            if (faultable(i) && k-- == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unreachable");
    }

    @Override
    public boolean crashAllowed() {
        return randomCrashes < kernel.faultProfile.process().crashPoints().crashesMax();
    }

    /** Starts the ticks of random faults (after boot), if the profile has any. */
    public void start() {
        started = true;
        if (injector != null) {
            scheduleTick();
        }
    }

    /** New work for a world whose ticks stopped when it went quiet: the ticks start again. */
    public void wake() {
        if (started && !ticking && injector != null && !calm) {
            scheduleTick();
        }
    }

    private void scheduleTick() {
        ticking = true;
        kernel.scheduleKernel(kernel.faultProfile.tick().toNanos(), this::tick);
    }

    private void tick() {
        if (calm) {
            ticking = false;
            return;
        }
        injector.tick(this, kernel.choices);
        if (kernel.hasPendingWork()) {
            scheduleTick();
        } else {
            ticking = false;
        }
    }

    // ---- FaultTarget: what the injector may do ----

    @Override
    public int nodeCount() {
        return kernel.nodes.size();
    }

    @Override
    public boolean faultable(int index) {
        Node n = kernel.nodes.get(index);
        return n instanceof GuestNode && n.state == Node.State.READY && n.held == null;
    }

    @Override
    public boolean partitioned() {
        return kernel.links.randomlyPartitioned();
    }

    /** A random crash (a tick's or a crash point's): it counts against the run's budget. */
    @Override
    public void crash(int node, long restartAfterNanos) {
        randomCrashes++;
        crash(kernel.nodes.get(node), restartAfterNanos);
    }

    /** Crashes {@code n} now and restarts it after {@code downNanos}, unless the test restarted it first. */
    public void crash(Node n, long downNanos) {
        if (n.state == Node.State.CRASHED) {
            return; // already down: its restart, if any, is already planned
        }
        crash(n);
        int incarnation = n.incarnation;
        kernel.scheduleKernel(downNanos, () -> {
            if (n.state == Node.State.CRASHED && n.incarnation == incarnation) {
                restart(n);
            }
        });
    }

    @Override
    public void pause(int node, long forNanos) {
        Node n = kernel.nodes.get(node);
        pause(n);
        kernel.scheduleKernel(forNanos, () -> resume(n));
    }

    @Override
    public void partition(int[] sideA, int[] sideB, boolean oneWay, long forNanos) {
        int[] a = networked(sideA);
        int[] b = networked(sideB);
        if (a.length == 0 || b.length == 0) {
            return;
        }
        partition(a, b, oneWay, true);
        kernel.scheduleKernel(forNanos, this::healRandom);
    }

    /** Drops the kernel's own processes (which are never on the network) from a side. */
    private int[] networked(int[] side) {
        return java.util.Arrays.stream(side).filter(i -> {
            Node n = kernel.nodes.get(i);
            return !(n instanceof KernelProcess) && !(n instanceof StorageNode);
        }).toArray();
    }

    @Override
    public void clog(int node, long forNanos) {
        Node n = kernel.nodes.get(node);
        kernel.useFaultyNetwork();
        long now = kernel.nowNanos();
        kernel.links.clogNode(n.index, forNanos > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + forNanos);
        kernel.recordFault(InjectedFault.Kind.CLOG, n, n.name + " for " + TimeText.of(forNanos));
    }

    // ---- the faults themselves ----

    /** The node stops at once: its memory is gone, its timers cancelled, its callers left waiting. */
    public void crash(Node n) {
        if (!(n instanceof GuestNode)) {
            throw new IllegalArgumentException("only WASM nodes can crash; '" + n.name + "' is a " + n.kindLabel());
        }
        if (n.state == Node.State.CRASHED) {
            return; // crashing a crashed node does nothing (sim.isRunning tells whether it is up)
        }
        if (n.state != Node.State.READY) {
            throw new IllegalStateException("node '" + n.name + "' is not running (" + n.state.name().toLowerCase()
                    + "); crash a running node");
        }
        if (n.held != null) {
            // A crash ends a pause: what waited goes back to the queues and is discarded on arrival
            // (the node is down), so every link's FIFO count still advances past it.
            kernel.release(n);
        }
        n.state = Node.State.CRASHED;
        n.incarnation++;
        for (long timer : n.timers.keysSorted()) {
            n.timers.remove(timer).retired = true;
        }
        n.inbound.clear();
        ((GuestNode) n).endInstance(true); // between steps: a clean end, its instance may serve again
        kernel.recordFault(InjectedFault.Kind.CRASH, n, n.name);
        kernel.nodeCrashed(n); // the storage decides the node's unsynced writes, after the CRASH step
    }

    /** A crashed node starts again as a fresh instance: _initialize, parigot_start, parigot_ready. */
    public void restart(Node n) {
        if (n.state != Node.State.CRASHED) {
            throw new IllegalStateException("node '" + n.name + "' has not crashed (" + n.state.name().toLowerCase()
                    + "); only a crashed node can restart");
        }
        kernel.restart((GuestNode) n);
    }

    public void pause(Node n) {
        if (n.state != Node.State.READY || n.held != null) {
            throw new IllegalStateException("node '" + n.name + "' is not running, or already paused");
        }
        kernel.hold(n);
        kernel.recordFault(InjectedFault.Kind.PAUSE, n, n.name);
    }

    public void resume(Node n) {
        if (n.held == null) {
            return; // crashed meanwhile, or resumed by the test
        }
        resumeHeld(n);
    }

    /** Resumes a node the test paused: an error if it is not paused. */
    public void resumeExplicit(Node n) {
        if (n.held == null) {
            throw new IllegalStateException("node '" + n.name + "' is not paused; pause it first (sim.pause)");
        }
        resumeHeld(n);
    }

    private void resumeHeld(Node n) {
        kernel.recordFault(InjectedFault.Kind.RESUME, n, n.name);
        kernel.release(n);
    }

    public void partition(int[] sideA, int[] sideB, boolean oneWay) {
        partition(sideA, sideB, oneWay, false);
    }

    private void partition(int[] sideA, int[] sideB, boolean oneWay, boolean random) {
        kernel.useFaultyNetwork();
        kernel.links.block(sideA, sideB, random);
        if (!oneWay) {
            kernel.links.block(sideB, sideA, random);
        }
        kernel.recordFault(InjectedFault.Kind.PARTITION, null, names(sideA) + (oneWay ? " -/-> " : " <-/-> ")
                + names(sideB));
    }

    public void heal() {
        if (kernel.links.partitioned()) {
            kernel.links.heal();
            kernel.recordFault(InjectedFault.Kind.HEAL, null, "every partition");
        }
    }

    /**
     * The world's faults end for good: no random fault is drawn any more (ticks, crash points,
     * drops, duplicates, latency tails, storage read errors and corruption), every partition heals
     * now, and what is under way ends as scheduled (a crashed node's restart, a pause, a clog).
     * Explicit faults still work. Always one step of the trace, so a run's calm point is visible.
     */
    public void calm() {
        if (calm) {
            return;
        }
        calm = true;
        kernel.links.heal();
        kernel.network = FaultyNetwork.withLinks(kernel.config.network(), kernel.links);
        kernel.recordFault(InjectedFault.Kind.HEAL, null, InjectedFault.CALM);
    }

    /** True once {@link #calm()} ran. */
    public boolean isCalm() {
        return calm;
    }

    /** The end of a random partition: the test's own partitions stay. */
    private void healRandom() {
        if (kernel.links.randomlyPartitioned()) {
            kernel.links.healRandom();
            kernel.recordFault(InjectedFault.Kind.HEAL, null, "the random partition");
        }
    }

    private String names(int[] side) {
        List<String> out = new ArrayList<>();
        for (int i : side) {
            out.add(kernel.nodes.get(i).name);
        }
        return out.toString();
    }
}
