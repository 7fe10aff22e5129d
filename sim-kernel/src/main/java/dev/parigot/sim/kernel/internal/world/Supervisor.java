package dev.parigot.sim.kernel.internal.world;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import dev.parigot.sim.kernel.FailureKind;
import dev.parigot.sim.kernel.SimFailureException;
import dev.parigot.sim.kernel.internal.guest.GuestNode;
import dev.parigot.sim.kernel.internal.guest.WasmStack;
import dev.parigot.sim.kernel.internal.javanode.JavaNode;
import dev.parigot.sim.kernel.internal.node.Event;
import dev.parigot.sim.kernel.internal.node.GuestFault;
import dev.parigot.sim.kernel.internal.node.Node;
import dev.parigot.sim.kernel.internal.node.ProcExit;
import dev.parigot.sim.kernel.internal.node.SimStop;
import dev.parigot.sim.kernel.internal.supervision.HeapGuard;
import dev.parigot.sim.kernel.internal.supervision.Watchdog;
import dev.parigot.sim.kernel.internal.supervision.Watched;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Supervision of one world: running a handler and classifying what it threw (a guest fault, an
 * exit, a failed assertion, the test's own exception, the heap running out) into the world's
 * failure; running world code under the hang watchdog, which sees the world through the guest
 * entry counter kept here ({@link Watched}); and the sentences of running out of heap.
 */
final class Supervisor implements Watched {
    private static final VarHandle GUEST_COUNTER;

    static {
        try {
            GUEST_COUNTER = MethodHandles.lookup().findVarHandle(Supervisor.class, "guestCounter", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Kernel kernel;

    @SuppressWarnings("unused") // written through GUEST_COUNTER
    private volatile long guestCounter;

    Supervisor(Kernel kernel) {
        this.kernel = kernel;
    }

    // ---- running handlers

    /**
     * Runs one boot handler of {@code node}, turning whatever it throws into the world's failure.
     * A Java service's onReady runs under the watchdog as its handlers do (a guest's start and
     * ready are watched inside GuestNode).
     */
    void runHandler(Node node, Runnable handler) {
        boolean java = node instanceof JavaNode;
        if (java) {
            enterGuest();
        }
        Throwable thrown = null;
        try {
            handler.run();
        } catch (Throwable t) {
            thrown = t;
        }
        if (java && exitGuest()) {
            javaHang((JavaNode) node, "its onReady", thrown);
        }
        if (thrown != null) {
            handlerFailed(node, thrown);
        }
        afterHandler(node);
    }

    /**
     * Delivers one event to its (running) target; the hot path, so no lambda. A Java service or
     * test client runs under the hang watchdog, as guest code does: a handler that blocks (a
     * sleep, a latch, real I/O) is interrupted after the world's handler time limit and fails the
     * world as a HANG, and so does one that returns only after it.
     */
    void runEvent(Node target, Event e) {
        boolean java = target instanceof JavaNode;
        if (java) {
            enterGuest();
        }
        Throwable thrown = null;
        try {
            switch (e.type) {
                case Event.CALL:
                    target.deliverCall(e.id, e.route, e.payload);
                    break;
                case Event.RESULT:
                    target.deliverResult(e.id, e.status, e.payload);
                    break;
                default:
                    target.deliverTimer(e.id);
            }
        } catch (Throwable t) {
            thrown = t;
        }
        if (java && exitGuest()) {
            javaHang((JavaNode) target, e.type == Event.CALL ? "its handler of " + e.route.label + " (call " + e.id
                    + ")" : e.type == Event.RESULT ? "its callback for the result of call " + e.id : "a timer's action",
                    thrown);
        }
        if (thrown != null) {
            handlerFailed(target, thrown);
        }
        afterHandler(target);
    }

    /** Fails the world as a HANG: the watchdog flagged the Java code just run, {@code what}. */
    private void javaHang(JavaNode target, String what, Throwable thrown) {
        if (thrown instanceof SimStop) {
            return;
        }
        String advice = what.startsWith("its handler")
                ? "answer later: keep the call and reply from a context().schedule(delay, ...) action"
                : "do the work in steps: context().schedule(delay, ...) runs code later without blocking";
        kernel.fail(FailureKind.HANG, target, target.kindLabel() + " '" + target.name + "' did not return from "
                + what + " within " + kernel.config.handlerWallMillisMax() + " ms of wall-clock time"
                + (thrown == null ? "" : " (interrupted: " + (thrown instanceof JavaNode.JavaCodeFailure
                        ? thrown.getCause() : thrown) + ")") + ". Java code runs on the world's thread between two"
                + " steps and must not block or wait: " + advice + "; the limit is SimConfig handlerWallMillisMax"
                + " (parigot.handler.time.max)", thrown);
    }

    private void handlerFailed(Node node, Throwable thrown) {
        if (thrown instanceof SimStop) {
            throw (SimStop) thrown;
        }
        if (thrown instanceof GuestFault) {
            if (node instanceof GuestNode) {
                ((GuestNode) node).flushStd();
            }
            GuestFault fault = (GuestFault) thrown;
            kernel.fail(fault.kind, node, fault.getMessage(), null);
        }
        if (thrown instanceof ProcExit) {
            int code = ((ProcExit) thrown).code;
            if (kernel.booting) {
                kernel.fail(FailureKind.BOOT, node, "boot failed: node '" + node.name + "' called proc_exit(" + code
                        + ") during boot", null);
            }
            node.exitRequested = true;
            node.exitCode = code;
            return;
        }
        if (thrown instanceof AssertionError) {
            kernel.fail(FailureKind.ASSERTION, node, node.kindLabel() + " '" + node.name + "' failed an assertion: "
                    + thrown.getMessage(), thrown);
        }
        if (thrown instanceof RuntimeException || thrown instanceof StackOverflowError) {
            Throwable cause = thrown instanceof JavaNode.JavaCodeFailure ? thrown.getCause() : thrown;
            kernel.fail(FailureKind.TEST_CODE, node, node.kindLabel() + " '" + node.name + "' threw " + cause, cause);
        }
        if (thrown instanceof OutOfMemoryError) {
            GuestFault fault = outOfMemory(node, "a handler", (OutOfMemoryError) thrown);
            kernel.fail(fault.kind, node, fault.getMessage(), thrown);
        }
        if (thrown instanceof Error) {
            throw (Error) thrown;
        }
        throw new IllegalStateException(thrown);
    }

    private void afterHandler(Node node) {
        if (node instanceof GuestNode) {
            ((GuestNode) node).flushStd();
        }
        if (node.exitRequested && node.state != Node.State.EXITED) {
            kernel.finishExit(node);
        }
    }

    // ---- the watchdog

    /** Runs {@code body} on this thread with the hang watchdog watching this world. */
    void supervised(Runnable body) {
        kernel.requireOpen();
        if (supervising) {
            body.run(); // nested (sim.restart from a timer, say): the outer run watches, and must go on watching
            return;
        }
        supervising = true;
        runner = Thread.currentThread();
        Watched before = Watchdog.watch(this);
        try {
            body.run();
        } finally {
            Watchdog.unwatch(before);
            supervising = false;
        }
    }

    private boolean supervising;

    /** Whether a supervised body runs now (an explicit fault inside a step needs no check of its own). */
    boolean supervising() {
        return supervising;
    }

    /** Runs world code so that a failure surfaces as SimFailureException, with the watchdog on. */
    void guarded(Runnable body) {
        if (kernel.failure != null) {
            throw new SimFailureException(kernel.failure, null);
        }
        try {
            supervised(body);
        } catch (SimStop stop) {
            throw new SimFailureException(kernel.failure, kernel.failureCause);
        } catch (OutOfMemoryError e) {
            // Outside any handler: the kernel's own bookkeeping, an invariant, a listener, the test's code.
            try {
                kernel.fail(FailureKind.RESOURCE, null, ranOutOfHeap("the world", " outside guest code (in the kernel, an"
                        + " invariant, a listener or the test's own code)", e), e);
            } catch (SimStop stop) {
                // recorded
            }
            throw new SimFailureException(kernel.failure, kernel.failureCause);
        }
    }

    // ---- running out of heap

    /**
     * An {@link OutOfMemoryError} raised while {@code node} ran {@code what}: frees the world's
     * linear memories (the world is over) and returns the RESOURCE failure that says so.
     */
    GuestFault outOfMemory(Node node, String what, OutOfMemoryError e) {
        return new GuestFault(FailureKind.RESOURCE, ranOutOfHeap(node.kindLabel() + " '" + node.name + "'", " in "
                + what + holding(node), e));
    }

    /** {@code guest} would leave the heap too full with {@code what} (HeapGuard): a RESOURCE failure. */
    GuestFault heapFull(Node guest, String what) {
        long heapMax = HeapGuard.heapMax();
        String holding = holding(guest);
        return new GuestFault(FailureKind.RESOURCE, heapSentence("node '" + guest.name + "' nearly filled the JVM's"
                + " heap: " + what + holding + (holding.isEmpty() ? "" : ",") + " would have left less than "
                + HeapGuard.mebibytes(HeapGuard.reserve(heapMax)) + " of it free"));
    }

    /** ", holding 12 MiB of linear memory (its limit: 64 MiB)" for a guest with an instance, else "". */
    private static String holding(Node node) {
        if (node instanceof GuestNode && ((GuestNode) node).memory() != null) {
            GuestNode g = (GuestNode) node;
            return ", holding " + HeapGuard.mebibytes(g.memoryBytes()) + " of linear memory (its limit: "
                    + HeapGuard.mebibytes(g.memoryBytesLimit()) + ")";
        }
        return "";
    }

    /** The sentence of a RESOURCE failure for an OutOfMemoryError; frees the world's linear memories first. */
    String ranOutOfHeap(String who, String where, OutOfMemoryError e) {
        return heapSentence(who + " ran the JVM out of heap (" + e + ")" + where);
    }

    /** {@code happened}, then what the world held and what to do; frees the world's linear memories first. */
    private String heapSentence(String happened) {
        long held = releaseGuestMemory();
        long heapMax = HeapGuard.heapMax();
        return happened + "; the world's WASM nodes held "
                + HeapGuard.mebibytes(held) + " of linear memory, the node memory limit is "
                + HeapGuard.mebibytes(kernel.config.memoryBytesMax()) + " and the JVM's heap max is "
                + (heapMax == Long.MAX_VALUE ? "unbounded" : HeapGuard.mebibytes(heapMax))
                + ". Lower the node memory limit (parigot.memory.max; SimConfig memoryBytesMax), run fewer worlds"
                + " at once (parigot.parallelism) or give the JVM more heap (-Xmx)";
    }

    /**
     * Drops every guest instance of the world, after flushing their output into the log, so that
     * their linear memory goes back to the heap at once; returns how much they held.
     */
    private long releaseGuestMemory() {
        long held = 0;
        for (Node n : kernel.nodes) {
            if (n instanceof GuestNode && ((GuestNode) n).memory() != null) {
                GuestNode g = (GuestNode) n;
                held += g.memoryBytes();
                g.flushStd();
                g.discardInstance();
            }
        }
        return held;
    }

    /** The most linear memory this world's WASM nodes can hold together. */
    long linearMemoryBytesMax() {
        long total = 0;
        for (Node n : kernel.nodes) {
            if (n instanceof GuestNode) {
                total += ((GuestNode) n).memoryBytesLimit();
            }
        }
        return total;
    }

    // The guest counter: its low bits count guest entries and exits (odd: inside guest code);
    // the watchdog marks a hang by setting HANG on the odd value it saw, then SENT once it has
    // interrupted the thread. Only the world's thread increments it; the watchdog only ORs bits
    // in with a compare-and-set on an odd value, so an increment on an even value cannot race.
    private static final long HANG = 1L << 62;
    private static final long SENT = 1L << 61;
    private static final long COUNT = SENT - 1;

    void enterGuest() {
        GUEST_COUNTER.setRelease(this, (long) GUEST_COUNTER.getOpaque(this) + 1);
    }

    /** Leaves guest code; true if the watchdog flagged this call as a hang (its interrupt is then cleared). */
    boolean exitGuest() {
        long before = (long) GUEST_COUNTER.getAndAdd(this, 1L);
        if ((before & HANG) != 0) {
            // The watchdog gave up on this call just as it returned (or it threw for the hang):
            // wait for its interrupt to land, then clear it so that it cannot hit the next call.
            while (((long) GUEST_COUNTER.getVolatile(this) & SENT) == 0) {
                Thread.onSpinWait();
            }
            Thread.interrupted();
            long v;
            do {
                v = (long) GUEST_COUNTER.getVolatile(this);
            } while (!GUEST_COUNTER.compareAndSet(this, v, v & COUNT));
            return true;
        }
        return false;
    }

    @Override
    public long handlerWallMillisMax() {
        return kernel.config.handlerWallMillisMax();
    }

    /** The entry/exit count (odd while guest code runs), without the watchdog's marks. */
    @Override
    public long guestCounter() {
        return (long) GUEST_COUNTER.getAcquire(this) & COUNT;
    }

    private volatile Thread runner;

    /** Called by the watchdog: the guest call numbered {@code counter} has run too long. */
    @Override
    public void flagHang(long counter) {
        Thread t = runner;
        if (t != null && (counter & 1) == 1 && GUEST_COUNTER.compareAndSet(this, counter, counter | HANG)) {
            t.interrupt();
            long v;
            do {
                v = (long) GUEST_COUNTER.getVolatile(this);
            } while (!GUEST_COUNTER.compareAndSet(this, v, v | SENT));
        }
    }

    GuestFault interrupted(Node node, String what, ChicoryInterruptedException e) {
        Thread.interrupted(); // clear the flag so the rest of the test can run
        if (((long) GUEST_COUNTER.getVolatile(this) & HANG) != 0) {
            String stack = WasmStack.of(((GuestNode) node).code, e);
            return new GuestFault(FailureKind.HANG, "node '" + node.name + "' did not return from " + what
                    + " within " + kernel.config.handlerWallMillisMax() + " ms of wall-clock time: the handler hangs"
                    + " (an endless loop?)" + (stack.isEmpty() ? "" : "; WASM stack: " + stack)
                    + "; the limit is SimConfig handlerWallMillisMax (parigot.handler.time.max), and being wall-clock"
                    + " time it depends on the machine: a handler with that much real work to do needs a higher"
                    + " limit, or the seed may pass on a faster machine and hang on a slower one");
        }
        return new GuestFault(FailureKind.TEST_CODE, "the world's thread was interrupted while node '" + node.name
                + "' ran " + what);
    }
}
