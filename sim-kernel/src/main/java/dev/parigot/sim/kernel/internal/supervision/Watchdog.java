package dev.parigot.sim.kernel.internal.supervision;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One daemon thread for all worlds of the JVM that notices a handler that does not return. Each
 * world bumps a counter as guest code starts and ends; the watchdog samples the counters and
 * interrupts a world's thread when one has sat odd (inside a guest) for longer than the world's
 * limit. Chicory honours the interrupt, and the world fails as a hang. Arming a timer per call
 * would cost far more than this polling.
 *
 * <p>The thread survives anything: whatever a poll throws (an {@link OutOfMemoryError} another
 * world caused, an interrupt) is dropped and the next poll runs. Should the thread end all the
 * same, it starts a successor if worlds are being watched, and every {@link #watch} starts one if
 * none is alive.
 */
public final class Watchdog {
    private static final long POLL_MILLIS = 10;
    private static final Map<Watched, long[]> WATCHED = new ConcurrentHashMap<>();
    private static volatile Thread thread;
    /** For tests: runs at every poll, inside the poll's guard. */
    public static volatile Runnable pollHook;
    /** For tests: the thread ends at its next poll, as if it had died. */
    private static volatile boolean endForTest;

    private Watchdog() {
    }

    public static void watch(Watched kernel) {
        WATCHED.put(kernel, new long[] {-1, 0});
        Thread t = thread;
        if (t == null || !t.isAlive()) {
            startThread();
        }
    }

    public static void unwatch(Watched kernel) {
        WATCHED.remove(kernel);
    }

    /** The watchdog thread now (null before the first world), for tests. */
    public static Thread thread() {
        return thread;
    }

    /** For tests: makes the thread end at its next poll, as if something had killed it. */
    public static void endThreadForTest() {
        endForTest = true;
    }

    private static synchronized void startThread() {
        Thread current = thread;
        if (current != null && current.isAlive()) {
            return;
        }
        Thread t = new Thread(Watchdog::run, "parigot-sim-watchdog"); // nondeterminism-ok: the hang watchdog never feeds the simulation
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private static void run() {
        try {
            loop();
        } finally {
            // Only reached if the thread is ending after all: hand over to a successor. Cleared
            // first, so that a watch() that comes after the check below sees no thread and starts one.
            synchronized (Watchdog.class) {
                if (thread == Thread.currentThread()) {
                    thread = null;
                }
            }
            if (!WATCHED.isEmpty()) {
                try {
                    startThread();
                } catch (Throwable t) {
                    // out of heap or threads: the next watch() tries again
                }
            }
        }
    }

    private static void loop() {
        while (true) {
            if (endForTest) {
                endForTest = false;
                return;
            }
            try {
                Thread.sleep(POLL_MILLIS);
                Runnable hook = pollHook;
                if (hook != null) {
                    hook.run();
                }
                poll();
            } catch (Throwable t) {
                // An interrupt, an OutOfMemoryError raised here while a world filled the heap, anything:
                // the worlds still need watching, so the next poll runs.
            }
        }
    }

    private static void poll() {
        long wall = System.nanoTime(); // nondeterminism-ok: the hang watchdog measures wall-clock time by design
        for (Map.Entry<Watched, long[]> entry : WATCHED.entrySet()) {
            Watched kernel = entry.getKey();
            long[] seen = entry.getValue();
            long count = kernel.guestCounter();
            if ((count & 1) == 0 || count != seen[0]) {
                seen[0] = count;
                seen[1] = wall;
                continue;
            }
            if (wall - seen[1] > kernel.handlerWallMillisMax() * 1_000_000L) {
                kernel.flagHang(count);
                seen[1] = Long.MAX_VALUE / 2;
            }
        }
    }
}
