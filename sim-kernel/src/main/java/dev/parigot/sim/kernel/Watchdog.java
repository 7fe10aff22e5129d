package dev.parigot.sim.kernel;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One daemon thread for all worlds of the JVM that notices a handler that does not return. Each
 * world bumps a counter as guest code starts and ends; the watchdog samples the counters and
 * interrupts a world's thread when one has sat odd (inside a guest) for longer than the world's
 * limit. Chicory honours the interrupt, and the world fails as a hang. Arming a timer per call
 * would cost far more than this polling.
 */
final class Watchdog {
    private static final long POLL_MILLIS = 10;
    private static final Map<Kernel, long[]> WATCHED = new ConcurrentHashMap<>();
    private static volatile Thread thread;

    private Watchdog() {
    }

    static void watch(Kernel kernel) {
        WATCHED.put(kernel, new long[] {-1, 0});
        if (thread == null) {
            startThread();
        }
    }

    static void unwatch(Kernel kernel) {
        WATCHED.remove(kernel);
    }

    private static synchronized void startThread() {
        if (thread != null) {
            return;
        }
        Thread t = new Thread(Watchdog::loop, "parigot-sim-watchdog"); // nondeterminism-ok: the hang watchdog never feeds the simulation
        t.setDaemon(true);
        t.start();
        thread = t;
    }

    private static void loop() {
        while (true) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long wall = System.nanoTime(); // nondeterminism-ok: the hang watchdog measures wall-clock time by design
            for (Map.Entry<Kernel, long[]> entry : WATCHED.entrySet()) {
                Kernel kernel = entry.getKey();
                long[] seen = entry.getValue();
                long count = kernel.guestCounter();
                if ((count & 1) == 0 || count != seen[0]) {
                    seen[0] = count;
                    seen[1] = wall;
                    continue;
                }
                if (wall - seen[1] > kernel.config.handlerWallMillisMax() * 1_000_000L) {
                    kernel.flagHang(count);
                    seen[1] = Long.MAX_VALUE / 2;
                }
            }
        }
    }
}
