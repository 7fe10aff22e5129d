package dev.parigot.sim.kernel.internal.node;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import dev.parigot.sim.faults.InjectedFault;
import dev.parigot.sim.kernel.LogLine;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.scheduler.ChoiceStream;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What a node may ask of the world it runs in: the face of the kernel's world ({@code internal.world.Kernel}) that nodes, the
 * ABI v1 host functions and WASI see. Everything else about the world (the event queue, the
 * scheduler, boot, faults) is the kernel's alone.
 */
public interface World {
    /** An empty payload. */
    byte[] EMPTY = new byte[0];

    /**
     * Where a call from one caller to one (service, method) goes: resolved once and cached by
     * guests, since declarations and providers do not change after boot.
     */
    final class CallSite {
        public final Route route;
        public final Node fixed;
        public final List<Node> providers;
        public final int status;
        public final String problem;

        public CallSite(Route route, Node fixed, List<Node> providers, int status, String problem) {
            this.route = route;
            this.fixed = fixed;
            this.providers = providers;
            this.status = status;
            this.problem = problem;
        }
    }

    SimConfig config();

    /** The world's choice stream (storage faults draw from it). */
    ChoiceStream choices();

    /** True once the test called {@code Sim.calm()}: no random fault is drawn any more. */
    boolean calm();

    /** Virtual time as {@code node}'s clock reads it. */
    long nowNanos(Node node);

    /** Virtual time left before the world's limit (SimConfig virtualTimeMax). */
    long virtualTimeLeftNanos();

    void log(Node node, LogLine.Level level, String text);

    /** Boots the world if it has not booted yet. */
    void ensureBooted();

    // ---- guest code: entry and exit (for the hang watchdog), and what it threw

    void enterGuest();

    void exitGuest();

    GuestFault interrupted(Node node, String what, ChicoryInterruptedException e);

    GuestFault outOfMemory(Node node, String what, OutOfMemoryError e);

    GuestFault heapFull(Node guest, String what);

    // ---- ABI v1: declarations, calls, replies, timers, exit, buggify, assertions

    CallSite resolve(Node caller, String target, String method);

    /** ABI {@code call}: the call id, or minus a status. */
    long call(Node caller, String target, String method, byte[] payload);

    long call(Node caller, CallSite site, byte[] payload);

    /** Why the last call was refused, as a sentence. */
    String lastCallProblem();

    /** The sentence for a payload over the limit, or null if {@code length} is within it. */
    String payloadOverLimit(int length, UnaryOperator<String> sent);

    int reply(Node node, long callId, int status, byte[] payload);

    long timerSet(Node node, long delayNanos);

    int timerCancel(Node node, long timerId);

    void requestExit(Node node, int code);

    int buggify(Node node, String site);

    void guestAssert(Node node, int kind, boolean condition, String message);

    // ---- storage

    void recordFault(InjectedFault.Kind kind, Node node, String detail);

    /** The storage requests {@code n} sent that are not yet delivered. */
    List<Event> storageRequestsInFlight(Node n);
}
