package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Guest faults crash the node and fail the world with the right kind and a sentence naming the
 * node and the handler: bad pointers, a bad allocator, traps, hangs, memory and stack limits,
 * exits. A failed world stays failed; other worlds in the JVM are not touched.
 */
class GuestFaultTest {
    static final GuestModule ECHO = Guests.load("echo");

    /** Runs a world of {@code guest} (plus echo) and calls {@code service/method} once from a client. */
    static SimFailure failCalling(SimConfig config, GuestModule guest, String service, String method) {
        Sim sim = Sim.create(config).add(guest);
        if (!guest.name().equals("echo")) {
            sim.add(ECHO);
        }
        TestClient client = sim.client("client");
        client.call(service, method, new byte[0]);
        SimFailureException e = catchThrowableOfType(SimFailureException.class, sim::run);
        assertThat(e).as("%s/%s should fail the world", service, method).isNotNull();
        assertThat(sim.failure()).contains(e.failure());
        assertThat(e.getMessage()).as("the exception prints the failure").isEqualTo(e.failure().describe());
        return e.failure();
    }

    static SimFailure failCalling(GuestModule guest, String service, String method) {
        return failCalling(Guests.config(1).build(), guest, service, method);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "CallOutOfBounds  | passed a payload at [2147483632, 2147583632), outside its",
        "LogHugeLength    | passed log text at [16, 2147483663), outside its",
        "NegativeLength   | passed a reply payload at [",
        "NotUtf8Service   | passed a service name that is not valid UTF-8 (2 bytes)",
        "PayloadOverLimit | sent a payload of 5,242,880 bytes to test.v1.Echo/Echo, over the limit of 4,194,304 bytes"
                + " (SimConfig payloadBytesLimit)",
    })
    void badPointerCrashesTheNodeAsAGuestFaultNamingNodeAndHandler(String method, String what) {
        SimFailure f = failCalling(Guests.load("bad_pointer"), "test.v1.BadPointer", method);

        assertThat(f.kind()).isEqualTo(FailureKind.GUEST_FAULT);
        assertThat(f.node()).isEqualTo("bad_pointer");
        assertThat(f.reason())
                .startsWith("node 'bad_pointer' ")
                .contains(what.strip())
                .contains("in parigot_on_call (test.v1.BadPointer/" + method + ", call ");
        if (method.equals("NegativeLength")) {
            assertThat(f.reason()).contains("with a negative length");
        }
    }

    @Test
    void badPointerFaultSendsNothingOnward() {
        Sim sim = Sim.create(Guests.config(1).build()).add(Guests.load("bad_pointer")).add(ECHO);
        SimFuture<byte[]> reply = sim.client("client").call("test.v1.BadPointer", "CallOutOfBounds", new byte[0]);

        assertThatThrownBy(sim::run).isInstanceOf(SimFailureException.class);

        assertThat(reply.isDone()).isFalse();
        assertThat(sim.trace().last(100)).noneMatch(s -> s.target().equals("echo") && s.kind() == StepKind.CALL);
    }

    @Test
    void allocatorReturningZeroCrashesTheNodeNamingTheSizeAndTheEvent() {
        SimFailure f = failCalling(Guests.load("bad_alloc"), "test.v1.BadAlloc", "Anything");

        assertThat(f.kind()).isEqualTo(FailureKind.GUEST_FAULT);
        assertThat(f.node()).isEqualTo("bad_alloc");
        // The block holds service and method names: "test.v1.BadAlloc" + "Anything" = 24 bytes.
        assertThat(f.reason()).isEqualTo("node 'bad_alloc': parigot_alloc(24) returned 0 (out of memory?) while"
                + " delivering parigot_on_call (test.v1.BadAlloc/Anything, call 1)");
    }

    @Test
    void trapIsReportedWithTheWasmFunctionNamesFromTheNameSection() {
        SimFailure f = failCalling(Guests.load("trap"), "test.v1.Trap", "Boom");

        assertThat(f.kind()).isEqualTo(FailureKind.TRAP);
        assertThat(f.node()).isEqualTo("trap");
        assertThat(f.reason())
                .startsWith("node 'trap' trapped in parigot_on_call (test.v1.Trap/Boom, call 1): ")
                .contains("unreachable")
                .contains("WASM stack: explode_ledger <- handle_boom <- ")
                // The effective limit: the module declares 64 MiB, below the 256 MiB default of the kernel.
                .contains(" KiB of its limit of 65536 KiB");
        assertThat(f.lastSteps()).last().satisfies(s -> {
            assertThat(s.kind()).isEqualTo(StepKind.CALL);
            assertThat(s.target()).isEqualTo("trap");
            assertThat(s.method()).isEqualTo("test.v1.Trap/Boom");
        });
    }

    @Test
    void handlerThatNeverReturnsFailsAsAHangAndTheThreadStaysUsable() {
        SimConfig quick = Guests.config(1).handlerWallMillisMax(200).build();

        SimFailure f = failCalling(quick, Guests.load("hang"), "test.v1.Hang", "Spin");

        assertThat(f.kind()).isEqualTo(FailureKind.HANG);
        assertThat(f.node()).isEqualTo("hang");
        assertThat(f.reason())
                .startsWith("node 'hang' did not return from parigot_on_call (test.v1.Hang/Spin, call 1) within 200 ms")
                .contains("SimConfig handlerWallMillisMax");
        assertThat(Thread.currentThread().isInterrupted()).as("the interrupt was cleared").isFalse();

        // The same thread runs another world of the same module to the end.
        Sim after = Sim.create(quick).add(Guests.load("hang"));
        SimFuture<byte[]> ok = after.client("client").call("test.v1.Hang", "Ok", new byte[0]);
        after.run();
        assertThat(ok.status()).isEqualTo(Status.OK);
        assertThat(after.failure()).isEmpty();
    }

    @Test
    void aWaitOnSharedMemoryNeverSleepsAndAWaitWithNoTimeoutFailsAsADeadlock() {
        GuestModule wait = Guests.load("shared_wait");
        for (int world = 0; world < 2; world++) { // the second world reuses the first one's instance
            Sim sim = Sim.create(Guests.config(world).build()).add(wait);
            TestClient client = sim.client("client");
            SimFuture<byte[]> timed = client.call("test.v1.Wait", "Timed", new byte[0]);
            SimFuture<byte[]> differs = client.call("test.v1.Wait", "Differ", new byte[0]);
            sim.run();
            assertThat(timed.get()).as("a matching value with a timeout: timed out at once").containsExactly(2, 0, 0, 0);
            assertThat(differs.get()).as("a value that differs: not-equal").containsExactly(1, 0, 0, 0);
            sim.close();
        }

        SimFailure f = failCalling(wait, "test.v1.Wait", "Forever");

        assertThat(f.kind()).isEqualTo(FailureKind.TRAP);
        assertThat(f.node()).isEqualTo("shared_wait");
        assertThat(f.reason()).startsWith("node 'shared_wait' trapped in parigot_on_call (test.v1.Wait/Forever, call 1):"
                + " memory.atomic.wait at address 512 with no timeout would never end")
                .contains("nothing else can notify it");
    }

    @Test
    void mallocPastTheMemoryLimitTrapsMentioningTheLimit() {
        SimConfig small = Guests.config(1).memoryBytesMax(4L << 20).build();

        SimFailure f = failCalling(small, Guests.load("grow"), "test.v1.Grow", "Eat");

        assertThat(f.kind()).isEqualTo(FailureKind.TRAP);
        assertThat(f.node()).isEqualTo("grow");
        assertThat(f.reason())
                .startsWith("node 'grow' trapped in parigot_on_call (test.v1.Grow/Eat, call 1): ")
                .contains("WASM stack: abort <- eat <- ")
                .containsPattern("; memory.grow of \\d+ pages had just been refused at the memory limit, so it most"
                        + " likely ran out of memory")
                .containsPattern("; its memory: \\d+ KiB of its limit of 4096 KiB$");
        // malloc of a 1 MiB block failed: its memory stood within one block (16 pages, 1024 KiB) of the limit.
        String kib = f.reason().replaceAll(".*its memory: (\\d+) KiB of its limit of 4096 KiB.*", "$1");
        assertThat(Long.parseLong(kib)).isBetween(4096L - 1024 - 64, 4096L);
    }

    static long growRaw(long memoryBytesMax) {
        Sim sim = Sim.create(Guests.config(1).memoryBytesMax(memoryBytesMax).build()).add(Guests.load("grow"));
        return Guests.i64(sim.await(sim.client("client").call("test.v1.Grow", "GrowRaw", new byte[0])));
    }

    @Test
    void memoryGrowReturnsMinusOneAtTheNodeLimitSoPagesAreBoundedByIt() {
        long at4MiB = growRaw(4L << 20);
        long at8MiB = growRaw(8L << 20);
        long atDefault = growRaw(SimConfig.MEMORY_BYTES_MAX_DEFAULT);

        assertThat(at4MiB).as("pages grown under a 4 MiB (64-page) limit").isBetween(1L, 63L);
        assertThat(at8MiB - at4MiB).as("4 MiB more allowed is exactly 64 more pages").isEqualTo(64);
        // Under the 256 MiB default the module's own declared maximum (64 MiB, 1024 pages) holds.
        assertThat(atDefault - at4MiB).isEqualTo(1024 - 64);
    }

    @Test
    void unboundedRecursionTrapsAsAStackOverflow() {
        SimFailure f = failCalling(Guests.load("recurse"), "test.v1.Recurse", "Deep");

        assertThat(f.kind()).isEqualTo(FailureKind.TRAP);
        assertThat(f.node()).isEqualTo("recurse");
        assertThat(f.reason())
                .startsWith("node 'recurse' trapped in parigot_on_call (test.v1.Recurse/Deep, call 1): ")
                .containsIgnoringCase("stack")
                .contains("overflow")
                .contains("unbounded recursion");
    }

    @Test
    void unexpectedNonZeroExitFailsTheWorldAfterDeliveringTheReplyMadeBeforeIt() {
        Sim sim = Sim.create(Guests.config(1).build()).add(Guests.load("exiter"));
        SimFuture<byte[]> reply = sim.client("client").call("test.v1.Exiter", "Exit", new byte[0]);

        SimFailure f = catchThrowableOfType(SimFailureException.class, sim::run).failure();

        assertThat(f.kind()).isEqualTo(FailureKind.EXIT);
        assertThat(f.node()).isEqualTo("exiter");
        assertThat(f.reason()).isEqualTo("node 'exiter' exited with code 3 in parigot_on_call (test.v1.Exiter/Exit,"
                + " call 1); if the test expects this, call sim.expectExit(\"exiter\", 3)");
        assertThat(sim.log()).anySatisfy(line -> {
            assertThat(line.node()).isEqualTo("exiter");
            assertThat(line.text()).isEqualTo("exited with code 3");
        });
        assertThat(reply.isDone()).as("the world stopped before the reply's delivery step").isFalse();
    }

    @Test
    void expectedExitDeliversTheEarlierReplyThenLaterCallsGetUnavailable() {
        Sim sim = Sim.create(Guests.config(1).build()).add(Guests.load("exiter")).expectExit("exiter", 3);
        TestClient client = sim.client("client");

        byte[] reply = sim.await(client.call("test.v1.Exiter", "Exit", new byte[0]));
        SimFuture<byte[]> later = client.call("test.v1.Exiter", "Exit", new byte[0]);
        sim.run();

        assertThat(reply).isEmpty();
        assertThat(later.status()).isEqualTo(Status.UNAVAILABLE);
        assertThat(sim.failure()).isEmpty();
        assertThat(sim.trace().last(100)).filteredOn(s -> s.kind() == StepKind.DISCARD)
                .singleElement().satisfies(s -> {
                    assertThat(s.target()).isEqualTo("exiter");
                    assertThat(s.method()).isEqualTo("test.v1.Exiter/Exit");
                });
    }

    @Test
    void exitWithoutReplyGivesThePendingCallerAndCallsInFlightUnavailable() {
        Sim sim = Sim.create(Guests.config(1).build()).add(Guests.load("exiter"));
        TestClient client = sim.client("client");

        SimFuture<byte[]> pending = client.call("test.v1.Exiter", "ExitZero", new byte[0]);
        SimFuture<byte[]> inFlight = client.call("test.v1.Exiter", "Exit", new byte[0]);
        sim.run();

        assertThat(sim.failure()).as("exit code 0 does not fail the world").isEmpty();
        assertThat(pending.status()).isEqualTo(Status.UNAVAILABLE);
        assertThat(inFlight.status()).as("arrived after the exit: the node never ran it").isEqualTo(Status.UNAVAILABLE);
        assertThat(sim.log()).anySatisfy(line -> assertThat(line.text()).isEqualTo("exited with code 0"));
        assertThat(client.call("test.v1.Exiter", "Exit", new byte[0])).satisfies(f -> {
            sim.run();
            assertThat(f.status()).isEqualTo(Status.UNAVAILABLE);
        });
    }

    @Test
    void wasiProcExitFailsTheWorldAsAnExitNamingNodeAndHandler() {
        SimFailure f = failCalling(Guests.load("wasi_probe"), "test.v1.Probe", "ProcExit");

        assertThat(f.kind()).isEqualTo(FailureKind.EXIT);
        assertThat(f.node()).isEqualTo("wasi_probe");
        assertThat(f.reason()).isEqualTo("node 'wasi_probe' exited with code 5 in parigot_on_call"
                + " (test.v1.Probe/ProcExit, call 1); if the test expects this, call sim.expectExit(\"wasi_probe\", 5)");
    }

    @Test
    void expectedProcExitUnwindsAtOnceAndTheUnansweredCallerGetsUnavailable() {
        Sim sim = Sim.create(Guests.config(1).build()).add(Guests.load("wasi_probe")).expectExit("wasi_probe", 5);
        TestClient client = sim.client("client");

        SimFuture<byte[]> exiting = client.call("test.v1.Probe", "ProcExit", new byte[0]);
        sim.run();
        SimFuture<byte[]> after = client.call("test.v1.Probe", "Clock", new byte[0]);
        sim.run();

        assertThat(sim.failure()).isEmpty();
        assertThat(exiting.status()).isEqualTo(Status.UNAVAILABLE);
        assertThat(after.status()).isEqualTo(Status.UNAVAILABLE);
    }

    @Test
    void failedWorldKeepsFailingWithTheSameFailureAndOtherWorldsAreUnaffected() {
        Sim failed = Sim.create(Guests.config(1).build()).add(Guests.load("trap"));
        Sim healthy = Sim.create(Guests.config(1).build()).add(ECHO);
        TestClient failedClient = failed.client("client");
        failedClient.call("test.v1.Trap", "Boom", new byte[0]);
        SimFuture<byte[]> echoed = healthy.client("client").call("test.v1.Echo", "Echo", new byte[] {7});

        SimFailure first = catchThrowableOfType(SimFailureException.class, failed::run).failure();
        long stepsAtFailure = failed.steps();
        SimFailure again = catchThrowableOfType(SimFailureException.class, failed::run).failure();
        SimFailure viaRunFor = catchThrowableOfType(SimFailureException.class,
                () -> failed.runFor(java.time.Duration.ofSeconds(1))).failure();
        SimFailure viaCall = catchThrowableOfType(SimFailureException.class,
                () -> failedClient.call("test.v1.Trap", "Boom", new byte[0])).failure();

        assertThat(List.of(again, viaRunFor, viaCall)).allSatisfy(f -> assertThat(f).isSameAs(first));
        assertThat(failed.steps()).as("nothing ran after the failure").isEqualTo(stepsAtFailure);
        healthy.run();
        assertThat(healthy.failure()).isEmpty();
        assertThat(echoed.get()).containsExactly(7);
    }
}
