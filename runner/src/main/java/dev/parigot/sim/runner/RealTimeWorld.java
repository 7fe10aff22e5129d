package dev.parigot.sim.runner;

import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimFailureException;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One world driven by the wall clock: one loop thread owns the {@link Sim}; everything other
 * threads want of it (a gRPC call arriving, a reply from another unit) enters through a
 * thread-safe inbox and runs on that thread.
 *
 * <p>The loop: advance the world to the wall-clock time since boot
 * ({@code sim.runFor(elapsed - sim.nowNanos())}: every event due by now runs at its own virtual
 * time, then the clock stands at now); wait for the inbox or the next pending event, whichever
 * comes first; when actions arrive, advance the clock to now again and run every action queued. Virtual time is therefore real time since boot, never ahead of it, and a guest's
 * timer fires when the wall clock reaches it (plus the loop's latency).
 */
final class RealTimeWorld {
    /** The longest the loop sleeps with nothing pending (it wakes at once for the inbox). */
    private static final long IDLE_WAIT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Sim sim;
    private final LinkedBlockingQueue<Runnable> inbox = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final CompletableFuture<Void> booted = new CompletableFuture<>();
    /** Completes when the loop ends: normally (null) or with the world's failure. */
    private final CompletableFuture<String> ended = new CompletableFuture<>();
    private volatile boolean stopping;
    private long bootWallNanos;

    RealTimeWorld(Sim sim, String threadName) {
        this.sim = sim;
        this.thread = new Thread(this::loop, threadName);
        this.thread.setDaemon(true);
    }

    /** Starts the loop thread, boots the world on it and waits for the boot; a failed boot throws. */
    void start() {
        thread.start();
        try {
            booted.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof Error error) {
                throw error; // a failed boot: SimFailureException, an AssertionError
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /**
     * Runs {@code action} on the loop thread, soon. False if the world has stopped (the action
     * will never run).
     */
    boolean execute(Runnable action) {
        if (stopping || ended.isDone()) {
            return false;
        }
        inbox.add(action);
        return true;
    }

    /** Asks the loop to end and waits for it (at most {@code waitMillis}). */
    void stop(long waitMillis) {
        stopping = true;
        inbox.add(() -> { });
        try {
            thread.join(waitMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Completes with null when the loop ends normally, or with the world's failure report. */
    CompletableFuture<String> ended() {
        return ended;
    }

    private void loop() {
        try {
            sim.boot();
            bootWallNanos = System.nanoTime();
            booted.complete(null);
        } catch (RuntimeException | Error e) {
            booted.completeExceptionally(e);
            ended.complete(describe(e));
            return;
        }
        try {
            while (!stopping) {
                advance();
                Runnable action = inbox.poll(waitNanos(), TimeUnit.NANOSECONDS);
                if (action != null) {
                    // First bring the clock to now: what arrives is sent at the time it arrived,
                    // not at the time the loop last looked (a timer it sets would fire early).
                    advance();
                    do {
                        action.run();
                    } while ((action = inbox.poll()) != null);
                }
            }
            ended.complete(null);
        } catch (InterruptedException e) {
            ended.complete(null);
        } catch (RuntimeException | Error e) {
            ended.complete(describe(e));
        } finally {
            stopping = true;
        }
    }

    /** Runs every event due by the wall clock's now; the world's clock then stands at now. */
    private void advance() {
        long elapsed = System.nanoTime() - bootWallNanos;
        long behind = elapsed - sim.nowNanos();
        sim.runFor(Duration.ofNanos(Math.max(0, behind)));
    }

    /** How long to wait for the inbox: until the next pending event is due, at most a second. */
    private long waitNanos() {
        OptionalLong next = sim.nextEventNanos();
        if (next.isEmpty()) {
            return IDLE_WAIT_NANOS;
        }
        long elapsed = System.nanoTime() - bootWallNanos;
        return Math.max(0, Math.min(IDLE_WAIT_NANOS, next.getAsLong() - elapsed));
    }

    private static String describe(Throwable e) {
        if (e instanceof SimFailureException f) {
            return f.getMessage();
        }
        java.io.StringWriter out = new java.io.StringWriter();
        e.printStackTrace(new java.io.PrintWriter(out));
        return out.toString();
    }
}
