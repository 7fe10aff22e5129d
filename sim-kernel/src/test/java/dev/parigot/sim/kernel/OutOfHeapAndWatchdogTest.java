package dev.parigot.sim.kernel;

import dev.parigot.sim.kernel.internal.supervision.HeapGuard;
import dev.parigot.sim.kernel.internal.supervision.Watchdog;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * An {@link OutOfMemoryError} raised while a world runs fails that world as RESOURCE with a
 * sentence and never escapes it; the hang watchdog survives whatever its polls throw and comes
 * back if its thread ends. (A guest filling a small heap: {@code SmallHeapTest} in junit-engine,
 * which runs in a JVM of its own with -Xmx256m.)
 */
class OutOfHeapAndWatchdogTest {
    static final SimConfig QUICK = Guests.config(1).handlerWallMillisMax(200).build();

    @AfterEach
    void noHook() {
        Watchdog.pollHook = null;
        HeapGuard.heapMaxForTest = 0;
        HeapGuard.outOfMemoryForTest = false;
    }

    /** Makes the heap guard see a heap with about {@code mebibytes} MiB free. */
    static void pretendHeapFree(long mebibytes) {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        HeapGuard.heapMaxForTest = runtime.totalMemory() - runtime.freeMemory() + (mebibytes << 20);
    }

    static SimFailure bombFails(String method) {
        Sim sim = Sim.create(Guests.config(1).build()).add(Guests.load("bomb"));
        SimFailureException e = catchThrowableOfType(SimFailureException.class, () -> {
            sim.client("client").call("test.v1.Bomb", method, new byte[0]);
            sim.run();
        });
        assertThat(e).as("the bomb fails its world").isNotNull();
        return e.failure();
    }

    @Test
    void aGuestThatWouldNearlyFillTheHeapFailsAsAResourceFailureAndTheNextWorldRuns() {
        pretendHeapFree(96);

        SimFailure f = bombFails("Touch");

        assertThat(f.kind()).isEqualTo(FailureKind.RESOURCE);
        assertThat(f.node()).isEqualTo("bomb");
        assertThat(f.reason())
                .startsWith("node 'bomb' nearly filled the JVM's heap: memory.grow of ")
                .contains(" in parigot_on_call (test.v1.Bomb/Touch, call 1), holding ")
                .containsPattern("MiB of linear memory \\(its limit: 256 MiB\\), would have left less than \\d+(\\.\\d)?"
                        + " MiB of it free; the world's WASM nodes held \\d+(\\.\\d)? MiB of linear memory, the node"
                        + " memory limit is 256 MiB and the JVM's heap max is ")
                .endsWith(". Lower the node memory limit (parigot.memory.max; SimConfig memoryBytesMax), run fewer"
                        + " worlds at once (parigot.parallelism) or give the JVM more heap (-Xmx)");

        HeapGuard.heapMaxForTest = 0;
        assertThat(bomb("Touch", 8L << 20)).isBetween(5L, 7L);
    }

    @Test
    void anOutOfMemoryErrorInsideGuestCodeFailsTheWorldAsAResourceFailureAndNeverEscapes() {
        Sim sim = Sim.create(Guests.config(1).build()).add(Guests.load("bomb"));
        SimFuture<byte[]> bombed = sim.client("client").call("test.v1.Bomb", "Grow", new byte[0]);
        HeapGuard.outOfMemoryForTest = true; // the next page memory.grow allocates finds the heap full

        SimFailureException e = catchThrowableOfType(SimFailureException.class, sim::run);

        assertThat(e).isNotNull();
        assertThat(bombed.isDone()).isFalse();
        SimFailure f = e.failure();
        assertThat(f.kind()).isEqualTo(FailureKind.RESOURCE);
        assertThat(f.node()).isEqualTo("bomb");
        assertThat(f.reason()).startsWith("node 'bomb' ran the JVM out of heap (java.lang.OutOfMemoryError: Java heap"
                + " space) in parigot_on_call (test.v1.Bomb/Grow, call 1), holding 0.2 MiB of linear memory (its"
                + " limit: 256 MiB); the world's WASM nodes held 0.2 MiB of linear memory, the node memory limit is"
                + " 256 MiB and the JVM's heap max is ");
        assertThat(bomb("Grow", 8L << 20)).as("the next world").isBetween(100L, 127L);
    }

    @Test
    void aGuestWhoseInitialMemoryDoesNotFitFailsAtBootAsAResourceFailure() {
        pretendHeapFree(1);

        SimFailure f = bombFails("Grow");

        assertThat(f.kind()).isEqualTo(FailureKind.RESOURCE);
        assertThat(f.reason()).startsWith("node 'bomb' nearly filled the JVM's heap: its initial memory of 0.2 MiB at"
                + " instantiation would have left less than 16 MiB of it free; the world's WASM nodes held 0 MiB");
    }

    static void assertHangIsStopped() {
        Sim sim = Sim.create(QUICK).add(Guests.load("hang"));
        sim.client("client").call("test.v1.Hang", "Spin", new byte[0]);
        SimFailureException e = catchThrowableOfType(SimFailureException.class, sim::run);
        assertThat(e).as("the hang is stopped").isNotNull();
        assertThat(e.failure().kind()).isEqualTo(FailureKind.HANG);
    }

    @Test
    void anOutOfMemoryErrorInAJavaServiceFailsTheWorldAsAResourceFailure() {
        Sim sim = Sim.create(Guests.config(1).build())
                .add(Guests.load("echo"))
                .add("hog", JavaService.builder("test.v1.Hog")
                        .rawMethod("Eat", (request, call) -> {
                            throw new OutOfMemoryError("Java heap space");
                        })
                        .build());
        sim.client("client").call("test.v1.Hog", "Eat", new byte[0]);

        SimFailureException e = catchThrowableOfType(SimFailureException.class, sim::run);

        assertThat(e).isNotNull();
        SimFailure f = e.failure();
        assertThat(f.kind()).isEqualTo(FailureKind.RESOURCE);
        assertThat(f.node()).isEqualTo("hog");
        assertThat(f.reason())
                .startsWith("Java service 'hog' ran the JVM out of heap (java.lang.OutOfMemoryError: Java heap space)"
                        + " in a handler; the world's WASM nodes held ")
                .contains("of linear memory, the node memory limit is 256 MiB and the JVM's heap max is ")
                .endsWith(". Lower the node memory limit (parigot.memory.max; SimConfig memoryBytesMax), run fewer"
                        + " worlds at once (parigot.parallelism) or give the JVM more heap (-Xmx)");
    }

    @Test
    void anOutOfMemoryErrorOutsideHandlersFailsTheWorldAsAResourceFailure() {
        Sim sim = Sim.create(Guests.config(1).build()).add(Guests.load("echo"));
        sim.invariant("fills the heap", (Sim.Check) () -> {
            throw new OutOfMemoryError("Java heap space");
        });

        SimFailureException e = catchThrowableOfType(SimFailureException.class, sim::run);

        assertThat(e).isNotNull();
        assertThat(e.failure().kind()).isEqualTo(FailureKind.RESOURCE);
        assertThat(e.failure().reason()).startsWith("the world ran the JVM out of heap (java.lang.OutOfMemoryError:"
                + " Java heap space) outside guest code (in the kernel, an invariant, a listener or the test's own"
                + " code); the world's WASM nodes held ");
    }

    @Test
    void anOutOfMemoryErrorTheTestThrowsIsRecordedAsAResourceFailure() {
        Sim sim = Sim.create(Guests.config(1).build());

        SimFailure f = sim.recordFailure(new OutOfMemoryError("Java heap space"));

        assertThat(f.kind()).isEqualTo(FailureKind.RESOURCE);
        assertThat(f.reason()).startsWith("the test ran the JVM out of heap (java.lang.OutOfMemoryError: Java heap"
                + " space); ");
    }

    static long bomb(String method, long memoryBytesMax) {
        Sim sim = Sim.create(Guests.config(1).memoryBytesMax(memoryBytesMax).build()).add(Guests.load("bomb"));
        assertThat(sim.linearMemoryBytesMax()).as("the bomb declares 4 GiB: the node limit holds")
                .isEqualTo(memoryBytesMax);
        return Guests.i64(sim.await(sim.client("client").call("test.v1.Bomb", method, new byte[0])));
    }

    @Test
    void withHeapToSpareTheMemoryBombIsStoppedByTheNodeLimit() {
        assertThat(bomb("Malloc", 8L << 20)).as("MiB malloc gave").isBetween(5L, 7L);
        assertThat(bomb("Touch", 8L << 20)).as("MiB malloc gave, touched").isBetween(5L, 7L);
        assertThat(bomb("Grow", 8L << 20)).as("pages grown").isBetween(100L, 127L);
        assertThat(bomb("Grow", 16L << 20) - bomb("Grow", 8L << 20)).isEqualTo(128);
    }

    @Test
    void theWatchdogSurvivesWhateverItsPollsThrow() {
        assertHangIsStopped();
        Thread before = Watchdog.thread();
        AtomicInteger thrown = new AtomicInteger();
        Watchdog.pollHook = () -> {
            if (thrown.incrementAndGet() <= 20) {
                throw new OutOfMemoryError("Java heap space");
            }
            if (thrown.get() <= 25) {
                throw new IllegalStateException("a bug");
            }
        };
        before.interrupt();

        assertHangIsStopped();

        assertThat(thrown.get()).as("polls that threw").isGreaterThan(25);
        assertThat(Watchdog.thread()).as("the same thread kept watching").isSameAs(before);
        assertThat(before.isAlive()).isTrue();
    }

    @Test
    void aWatchdogThreadThatEndsIsReplaced() throws InterruptedException {
        assertHangIsStopped();
        Thread before = Watchdog.thread();

        Watchdog.endThreadForTest();
        before.join(5_000);
        assertThat(before.isAlive()).as("the thread ended").isFalse();
        assertHangIsStopped(); // the next world starts a new one

        assertThat(Watchdog.thread()).isNotSameAs(before);
        assertThat(Watchdog.thread().isAlive()).isTrue();
    }

    @Test
    void aWatchdogThreadThatEndsWhileAWorldRunsHandsOverToASuccessor() {
        assertHangIsStopped();
        Thread before = Watchdog.thread();
        AtomicInteger polls = new AtomicInteger();
        // Ends the thread once the world below is inside its endless handler.
        Watchdog.pollHook = () -> {
            if (polls.incrementAndGet() == 5) {
                Watchdog.endThreadForTest();
            }
        };

        assertHangIsStopped();

        assertThat(Watchdog.thread()).isNotSameAs(before);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // unwatched, the hang below never ends
    void aWorldRunInsideAnotherWorldsStepLeavesTheOuterWorldWatched() {
        // fifo: the Ok call is delivered first, and the Spin after it in the same run.
        Sim outer = Sim.create(Guests.config(1).handlerWallMillisMax(200).strategy("fifo").build())
                .add(Guests.load("hang"));
        AtomicInteger innerRuns = new AtomicInteger();
        outer.onStep(step -> {
            if (step.method().endsWith("/Ok") && innerRuns.getAndIncrement() == 0) {
                // A world of its own, run to the end on this thread in the middle of the outer run.
                Sim inner = Sim.create(QUICK).add(Guests.load("hang"));
                SimFuture<byte[]> ok = inner.client("client").call("test.v1.Hang", "Ok", new byte[0]);
                inner.run();
                assertThat(ok.status()).isEqualTo(Status.OK);
                inner.close();
            }
        });
        TestClient client = outer.client("client");
        client.call("test.v1.Hang", "Ok", new byte[0]);
        client.call("test.v1.Hang", "Spin", new byte[0]);

        SimFailureException e = catchThrowableOfType(SimFailureException.class, outer::run);

        assertThat(innerRuns.get()).as("the inner world ran").isPositive();
        assertThat(e).as("the outer world's hang, after the inner world returned, is still stopped").isNotNull();
        assertThat(e.failure().kind()).isEqualTo(FailureKind.HANG);
        assertThat(e.failure().reason()).contains("test.v1.Hang/Spin");
    }

    static SimFailure javaServiceFails(JavaService.Handler<byte[]> handler) {
        Sim sim = Sim.create(QUICK).add("payments", JavaService.builder("test.v1.Payments")
                .rawMethod("Charge", handler).build());
        SimFailureException e = catchThrowableOfType(SimFailureException.class, () -> {
            sim.client("client").call("test.v1.Payments", "Charge", new byte[0]);
            sim.run();
        });
        assertThat(e).as("the world fails").isNotNull();
        return e.failure();
    }

    @Test
    @Timeout(30)
    void aJavaServiceThatBlocksIsInterruptedAndFailsTheWorldAsAHang() {
        SimFailure f = javaServiceFails((bytes, call) -> {
            Thread.sleep(20_000); // waits on something that never comes
            call.reply(Status.OK, bytes);
        });

        assertThat(f.kind()).isEqualTo(FailureKind.HANG);
        assertThat(f.node()).isEqualTo("payments");
        assertThat(f.reason()).startsWith("Java service 'payments' did not return from its handler of"
                + " test.v1.Payments/Charge (call 1) within 200 ms of wall-clock time (interrupted:"
                + " java.lang.InterruptedException").contains("must not block").contains("schedule(");
        assertThat(Thread.currentThread().isInterrupted()).as("the interrupt was cleared").isFalse();
    }

    @Test
    @Timeout(30)
    void aJavaServiceThatReturnsOnlyAfterTheLimitFailsAsAHangToo() {
        SimFailure f = javaServiceFails((bytes, call) -> {
            long end = System.nanoTime() + 600_000_000L; // busy, deaf to the interrupt
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            call.reply(Status.OK, bytes);
        });

        assertThat(f.kind()).isEqualTo(FailureKind.HANG);
        assertThat(f.reason()).startsWith("Java service 'payments' did not return from its handler of"
                + " test.v1.Payments/Charge (call 1) within 200 ms of wall-clock time. ");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    @Timeout(30)
    void aJavaServiceWhoseOnReadyBlocksFailsBootAsAHang() {
        Sim sim = Sim.create(QUICK).add("payments", JavaService.builder("test.v1.Payments")
                .onReady(ctx -> {
                    try {
                        new java.util.concurrent.CountDownLatch(1).await(); // released by nobody
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                })
                .build());
        SimFailureException e = catchThrowableOfType(SimFailureException.class, sim::run);

        assertThat(e).isNotNull();
        assertThat(e.failure().kind()).isEqualTo(FailureKind.HANG);
        assertThat(e.failure().reason()).startsWith("Java service 'payments' did not return from its onReady within"
                + " 200 ms of wall-clock time").contains("do the work in steps");
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aHandlerThatRunsTheWorldItRunsInIsRefusedSayingWhy() {
        Sim sim = Sim.create(QUICK);
        sim.add("payments", JavaService.builder("test.v1.Payments")
                .rawMethod("Charge", (bytes, call) -> {
                    sim.run(); // the world is running this handler
                    call.reply(Status.OK, bytes);
                }).build());
        sim.client("client").call("test.v1.Payments", "Charge", new byte[0]);
        SimFailureException e = catchThrowableOfType(SimFailureException.class, sim::run);

        assertThat(e.failure().kind()).isEqualTo(FailureKind.TEST_CODE);
        assertThat(e.failure().reason()).contains("the world is already running")
                .contains("may not drive the world");
    }
}
