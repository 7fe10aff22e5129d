package dev.parigot.sim.kernel.internal.world;

import dev.parigot.sim.kernel.internal.node.LongMap;
import dev.parigot.sim.kernel.internal.node.Node;
import dev.parigot.sim.kernel.internal.node.Route;
import dev.parigot.sim.kernel.internal.node.World;

/**
 * The kernel's own process: its timers carry fault-injection work (ticks, restarts, heals,
 * resumes). It never receives calls and is never faulted; its events leave no trace step
 * unless they inject a fault.
 */
final class KernelProcess extends Node {
    static final String NAME = "kernel";
    private final LongMap<Runnable> actions = new LongMap<>();

    KernelProcess(World world, int index) {
        super(world, index, NAME);
        state = State.READY;
    }

    void schedule(long timerId, Runnable action) {
        actions.put(timerId, action);
    }

    @Override
    public String kindLabel() {
        return "kernel";
    }

    @Override
    public String moduleName() {
        return NAME;
    }

    @Override
    public String moduleId() {
        return NAME;
    }

    @Override
    public void start() {
    }

    @Override
    public int ready() {
        return 0;
    }

    @Override
    public void deliverCall(long callId, Route route, byte[] payload) {
        throw new IllegalStateException("the kernel process receives no calls");
    }

    @Override
    public void deliverResult(long callId, int status, byte[] payload) {
    }

    @Override
    public void deliverTimer(long timerId) {
        Runnable action = actions.remove(timerId);
        if (action != null) {
            action.run();
        }
    }
}
