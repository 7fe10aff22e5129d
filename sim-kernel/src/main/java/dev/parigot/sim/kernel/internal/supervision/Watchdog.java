package dev.parigot.sim.kernel.internal.supervision;

import java.lang.ref.WeakReference;
import java.util.Set;
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
 *
 * <p>Each thread that runs worlds has one {@link Post}, registered at its first world: the world
 * it runs now, set and cleared by {@link #watch} and {@link #unwatch} with two plain volatile
 * writes (a run of a world watches and unwatches it; a seed has several runs, so no map update
 * or allocation belongs there). A world run inside another's run on the same thread is watched
 * until it returns, then the outer one again.
 */
public final class Watchdog {
    private static final long POLL_MILLIS = 10;
    /** Every thread's post; a post whose thread is gone is dropped at a poll. */
    private static final Set<Post> POSTS = ConcurrentHashMap.newKeySet();
    private static final ThreadLocal<Post> POST = ThreadLocal.withInitial(() -> {
        Post post = new Post(Thread.currentThread());
        POSTS.add(post);
        return post;
    });
    private static volatile Thread thread;
    /** For tests: runs at every poll, inside the poll's guard. */
    public static volatile Runnable pollHook;
    /** For tests: the thread ends at its next poll, as if it had died. */
    private static volatile boolean endForTest;

    private Watchdog() {
    }

    /** The world a thread runs now, and what the watchdog saw of it at its last poll. */
    private static final class Post {
        final WeakReference<Thread> thread;
        volatile Watched current;
        // Read and written by the watchdog thread alone:
        Watched seen;
        long seenCount;
        long seenSinceNanos;

        Post(Thread thread) {
            this.thread = new WeakReference<>(thread);
        }
    }

    /**
     * From now on until {@link #unwatch}, the watchdog watches {@code kernel}, run on this thread;
     * returns the world it watched on this thread before (null if none), for {@link #unwatch}.
     */
    public static Watched watch(Watched kernel) {
        Post post = POST.get();
        Watched before = post.current;
        post.current = kernel;
        Thread t = thread;
        if (t == null || !t.isAlive()) {
            startThread();
        }
        return before;
    }

    /** This thread's world has returned: the watchdog watches {@code before} (what {@link #watch} returned) again. */
    public static void unwatch(Watched before) {
        POST.get().current = before;
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
            if (POSTS.stream().anyMatch(p -> p.current != null)) {
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
        for (Post post : POSTS) {
            if (post.thread.get() == null) {
                POSTS.remove(post); // its thread is gone
                continue;
            }
            Watched kernel = post.current;
            if (kernel == null) {
                post.seen = null;
                continue;
            }
            long count = kernel.guestCounter();
            if (kernel != post.seen || (count & 1) == 0 || count != post.seenCount) {
                post.seen = kernel;
                post.seenCount = count;
                post.seenSinceNanos = wall;
                continue;
            }
            if (wall - post.seenSinceNanos > kernel.handlerWallMillisMax() * 1_000_000L) {
                kernel.flagHang(count);
                post.seenSinceNanos = Long.MAX_VALUE / 2;
            }
        }
    }
}
