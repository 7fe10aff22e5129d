package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.Int64Value;
import com.google.protobuf.StringValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Java services and test clients are processes of the world: typed and raw methods, deferred
 * replies, timers, invariants checked after every step, and the limits that end a world.
 */
class JavaServiceTest {
    static final GuestModule ECHO = Guests.load("echo");
    static final GuestModule MISUSE = Guests.load("misuse");

    static final JavaService GREETER = JavaService.builder("test.v1.Greeter")
            .method("Hello", StringValue.parser(),
                    (req, call) -> call.reply(StringValue.of("hello, " + req.getValue() + " from " + call.caller())))
            .build();

    static List<TraceStep> steps(Sim sim) {
        return sim.trace().last(Integer.MAX_VALUE);
    }

    @Test
    void typedJavaServiceAnswersAClientWithProtobufMessages() {
        Sim sim = Sim.create(Guests.config(1).build()).add("greeter", GREETER);
        TestClient ada = sim.client("ada");

        StringValue reply = sim.await(ada.call("test.v1.Greeter", "Hello", StringValue.of("Ada"), StringValue.parser()));

        assertThat(reply.getValue()).isEqualTo("hello, Ada from ada");
        assertThat(steps(sim)).extracting(TraceStep::kind, TraceStep::source, TraceStep::target).containsExactly(
                org.assertj.core.api.Assertions.tuple(StepKind.READY, "kernel", "greeter"),
                org.assertj.core.api.Assertions.tuple(StepKind.CALL, "ada", "greeter"),
                org.assertj.core.api.Assertions.tuple(StepKind.RESULT, "greeter", "ada"));
    }

    @Test
    void javaServiceExportingEchoServesAGuestAndAClient() {
        JavaService upper = JavaService.builder("test.v1.Echo")
                .method("Echo", StringValue.parser(),
                        (req, call) -> call.reply(StringValue.of(req.getValue().toUpperCase())))
                .build();
        Sim sim = Sim.create(Guests.config(2).build()).add(MISUSE).add("upper", upper);
        TestClient client = sim.client("client");

        // The guest forwards the bytes as they are; its callback reports status * 1e6 + reply length.
        byte[] request = StringValue.of("quiet").toByteArray();
        long fromGuest = Guests.i64(sim.await(client.call("test.v1.Misuse", "CallEcho", request)));
        StringValue fromClient = sim.await(client.call("test.v1.Echo", "Echo", StringValue.of("loud"),
                StringValue.parser()));

        assertThat(fromGuest).isEqualTo(StringValue.of("QUIET").getSerializedSize());
        assertThat(fromClient.getValue()).isEqualTo("LOUD");
        assertThat(steps(sim)).filteredOn(s -> s.kind() == StepKind.CALL && s.target().equals("upper"))
                .extracting(TraceStep::source).containsExactly("misuse", "client");
    }

    @Test
    void protoZeroValueTravelsAsAnEmptyPayload() {
        JavaService counter = JavaService.builder("test.v1.Counter")
                .method("Next", Int64Value.parser(), (req, call) -> call.reply(Int64Value.of(req.getValue() + 1)))
                .build();
        Sim sim = Sim.create(Guests.config(1).build()).add("counter", counter);
        TestClient client = sim.client("client");

        Int64Value one = sim.await(client.call("test.v1.Counter", "Next", Int64Value.of(0), Int64Value.parser()));
        Int64Value zero = sim.await(client.call("test.v1.Counter", "Next", Int64Value.of(-1), Int64Value.parser()));

        assertThat(one.getValue()).isEqualTo(1);
        assertThat(zero.getValue()).isZero();
        List<TraceStep> results = steps(sim).stream().filter(s -> s.kind() == StepKind.RESULT).toList();
        assertThat(results).extracting(TraceStep::payloadBytes).containsExactly(2, 0);
    }

    @Test
    void deferredReplyIsSentFromALaterTimerStep() {
        JavaService slow = JavaService.builder("test.v1.Slow")
                .rawMethod("Later", (bytes, call) ->
                        call.context().schedule(Duration.ofMillis(5), () -> call.reply(Status.OK, bytes)))
                .build();
        Sim sim = Sim.create(Guests.config(3).build()).add("slow", slow);

        byte[] reply = sim.await(sim.client("client").call("test.v1.Slow", "Later", new byte[] {4, 2}));

        assertThat(reply).containsExactly(4, 2);
        List<TraceStep> s = steps(sim);
        assertThat(s).extracting(TraceStep::kind)
                .containsExactly(StepKind.READY, StepKind.CALL, StepKind.TIMER, StepKind.RESULT);
        assertThat(s.get(2).timeNanos()).isEqualTo(s.get(1).timeNanos() + 5_000_000L);
        assertThat(s.get(2).target()).isEqualTo("slow");
        assertThat(s.get(3).timeNanos() - s.get(2).timeNanos()).isBetween(100_000L, 1_000_000L);
        assertThat(s.get(3).id()).isEqualTo(s.get(1).id());
    }

    @Test
    void unknownMethodGetsUnimplementedAndUnparsableRequestInvalidArgument() {
        Sim sim = Sim.create(Guests.config(1).build()).add("greeter", GREETER);
        TestClient client = sim.client("client");

        SimFuture<byte[]> unknown = client.call("test.v1.Greeter", "Goodbye", new byte[0]);
        SimFuture<byte[]> garbage = client.call("test.v1.Greeter", "Hello", new byte[] {(byte) 0xff, (byte) 0xff});
        sim.run();

        assertThat(unknown.status()).isEqualTo(Status.UNIMPLEMENTED);
        assertThat(garbage.status()).isEqualTo(Status.INVALID_ARGUMENT);
        assertThat(sim.failure()).isEmpty();
    }

    @Test
    void guestCallingAJavaServiceWithoutTheMethodGetsUnimplemented() {
        JavaService empty = JavaService.builder("test.v1.Echo").build();
        Sim sim = Sim.create(Guests.config(1).build()).add(MISUSE).add("empty", empty);

        long value = Guests.i64(sim.await(sim.client("client").call("test.v1.Misuse", "CallEcho", new byte[3])));

        assertThat(value).isEqualTo(Status.UNIMPLEMENTED.code() * 1_000_000L);
    }

    @Test
    void javaServiceAnsweringTwiceFailsTheWorldNamingTheService() {
        JavaService twice = JavaService.builder("test.v1.Twice")
                .rawMethod("X", (bytes, call) -> {
                    call.reply(Status.OK, bytes);
                    call.reply(Status.OK, bytes);
                })
                .build();
        Sim sim = Sim.create(Guests.config(1).build()).add("twice", twice);
        sim.client("client").call("test.v1.Twice", "X", new byte[0]);

        SimFailure f = catchThrowableOfType(SimFailureException.class, sim::run).failure();

        assertThat(f.kind()).isEqualTo(FailureKind.TEST_CODE);
        assertThat(f.node()).isEqualTo("twice");
        assertThat(f.reason()).startsWith("Java service 'twice' threw java.lang.IllegalStateException: twice answered"
                + " call 1 (test.v1.Twice/X) twice");
    }

    @Test
    void javaServiceCallsFromOnReadyAfterItsRequirementsAreReadyAndOnlyThose() {
        List<SimFuture<byte[]>> calls = new ArrayList<>();
        JavaService caller = JavaService.builder("test.v1.Caller")
                .requires("test.v1.Echo")
                .onReady(ctx -> {
                    calls.add(ctx.call("test.v1.Echo", "Echo", new byte[] {1}));
                    calls.add(ctx.call("test.v1.Greeter", "Hello", new byte[0]));
                })
                .build();
        Sim sim = Sim.create(Guests.config(4).build()).add("caller", caller).add(ECHO).add("greeter", GREETER);

        sim.run();

        assertThat(steps(sim)).filteredOn(s -> s.kind() == StepKind.READY).extracting(TraceStep::target)
                .containsSubsequence("echo", "caller");
        assertThat(calls.get(0).get()).containsExactly(1);
        assertThat(calls.get(1).status()).isEqualTo(Status.FAILED_PRECONDITION);
        assertThat(calls.get(1).detail()).isEqualTo("caller did not require test.v1.Greeter");
    }

    @Test
    void clientTimerFiresAtItsExactVirtualTime() {
        Sim sim = Sim.create(Guests.config(1).build());
        TestClient client = sim.client("client");
        AtomicLong firedAt = new AtomicLong(-1);

        long timer = client.schedule(Duration.ofMillis(10), () -> firedAt.set(client.nowNanos()));
        sim.run();

        assertThat(timer).isPositive();
        assertThat(firedAt.get()).isEqualTo(10_000_000L);
        assertThat(sim.nowNanos()).isEqualTo(10_000_000L);
        assertThat(steps(sim)).singleElement().satisfies(s -> {
            assertThat(s.kind()).isEqualTo(StepKind.TIMER);
            assertThat(s.id()).isEqualTo(timer);
            assertThat(s.target()).isEqualTo("client");
        });
    }

    @Test
    void cancelledTimerNeverRunsAndCancelReportsWhetherItWasPending() {
        Sim sim = Sim.create(Guests.config(1).build());
        TestClient client = sim.client("client");
        List<String> ran = new ArrayList<>();

        long cancelled = client.schedule(Duration.ofMillis(5), () -> ran.add("cancelled"));
        long kept = client.schedule(Duration.ofMillis(7), () -> ran.add("kept"));
        boolean first = client.cancel(cancelled);
        boolean second = client.cancel(cancelled);
        sim.run();

        assertThat(first).isTrue();
        assertThat(second).as("already cancelled").isFalse();
        assertThat(client.cancel(kept)).as("already fired").isFalse();
        assertThat(client.cancel(987_654L)).as("unknown").isFalse();
        assertThat(ran).containsExactly("kept");
        assertThat(steps(sim)).extracting(TraceStep::kind).containsExactly(StepKind.TIMER);
        assertThatThrownBy(() -> client.schedule(Duration.ofMillis(-1), () -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be negative");
    }

    @Test
    void failingInvariantFailsTheWorldAtTheExactStepNamingTheInvariant() {
        Sim sim = Sim.create(Guests.config(1).build());
        TestClient client = sim.client("client");
        AtomicInteger counter = new AtomicInteger();
        for (int i = 1; i <= 5; i++) {
            client.schedule(Duration.ofMillis(i), counter::incrementAndGet);
        }
        sim.invariant("counter stays below 3", () -> counter.get() < 3);

        SimFailure f = catchThrowableOfType(SimFailureException.class, sim::run).failure();

        assertThat(f.kind()).isEqualTo(FailureKind.INVARIANT);
        assertThat(f.reason()).isEqualTo("invariant \"counter stays below 3\" violated");
        assertThat(f.node()).as("the node whose step broke it").isEqualTo("client");
        assertThat(counter.get()).as("stopped in the step that broke it").isEqualTo(3);
        assertThat(f.step()).isEqualTo(3).isEqualTo(sim.steps());
        assertThat(f.timeNanos()).isEqualTo(3_000_000L);
        assertThat(f.lastSteps()).last().satisfies(s -> {
            assertThat(s.step()).isEqualTo(3);
            assertThat(s.kind()).isEqualTo(StepKind.TIMER);
        });
        assertThat(f.describe()).contains("\n  invariant \"counter stays below 3\" violated").doesNotContain("invariant: invariant");
    }

    @Test
    void invariantCheckThatThrowsReportsItsMessage() {
        Sim sim = Sim.create(Guests.config(1).build()).add(ECHO);
        TestClient client = sim.client("client");
        List<byte[]> answers = new ArrayList<>();
        client.call("test.v1.Echo", "Echo", new byte[] {1, 2, 3}).whenDone(f -> answers.add(f.get()));
        sim.invariant("no answer longer than 2 bytes", () -> {
            for (byte[] a : answers) {
                if (a.length > 2) {
                    throw new AssertionError("answer of " + a.length + " bytes");
                }
            }
        });

        SimFailure f = catchThrowableOfType(SimFailureException.class, sim::run).failure();

        assertThat(f.kind()).isEqualTo(FailureKind.INVARIANT);
        assertThat(f.reason()).isEqualTo("invariant \"no answer longer than 2 bytes\" violated: answer of 3 bytes");
        assertThat(f.lastSteps()).last().satisfies(s -> assertThat(s.kind()).isEqualTo(StepKind.RESULT));
    }

    @Test
    void runUntilOnAWorldThatGoesQuietFailsWithLimit() {
        Sim sim = Sim.create(Guests.config(1).build()).add(ECHO);
        SimFuture<byte[]> reply = sim.client("client").call("test.v1.Echo", "Echo", new byte[0]);

        SimFailure f = catchThrowableOfType(SimFailureException.class, () -> sim.runUntil(() -> false)).failure();

        assertThat(reply.isOk()).isTrue();
        assertThat(f.kind()).isEqualTo(FailureKind.LIMIT);
        assertThat(f.reason()).isEqualTo("the world became quiescent (nothing left to deliver) before the condition"
                + " of runUntil held");
    }

    @Test
    void awaitingACallThatIsNeverAnsweredFailsWithLimit() {
        JavaService silent = JavaService.builder("test.v1.Silent").rawMethod("X", (bytes, call) -> { }).build();
        Sim sim = Sim.create(Guests.config(1).build()).add("silent", silent);
        SimFuture<byte[]> never = sim.client("client").call("test.v1.Silent", "X", new byte[0]);

        SimFailure f = catchThrowableOfType(SimFailureException.class, () -> sim.await(never)).failure();

        assertThat(f.kind()).isEqualTo(FailureKind.LIMIT);
        assertThat(f.reason()).endsWith("before the awaited call completed");
    }

    /** A client that sets a timer every {@code period}, forever. */
    static void tickForever(TestClient client, Duration period, AtomicInteger ticks) {
        client.schedule(period, () -> {
            ticks.incrementAndGet();
            tickForever(client, period, ticks);
        });
    }

    @Test
    void stepLimitFailsAWorldThatNeverGoesQuiet() {
        Sim sim = Sim.create(Guests.config(1).stepsMax(50).build());
        AtomicInteger ticks = new AtomicInteger();
        tickForever(sim.client("ticker"), Duration.ofMillis(1), ticks);

        SimFailure f = catchThrowableOfType(SimFailureException.class, sim::run).failure();

        assertThat(f.kind()).isEqualTo(FailureKind.LIMIT);
        assertThat(f.reason()).isEqualTo("the world ran 50 steps without finishing (SimConfig stepsMax); a livelock,"
                + " or raise the limit");
        assertThat(f.step()).isEqualTo(50);
        assertThat(ticks.get()).isEqualTo(50);
    }

    @Test
    void virtualTimeLimitFailsAWorldThatNeverGoesQuiet() {
        Sim sim = Sim.create(Guests.config(1).virtualTimeMax(Duration.ofSeconds(1)).build());
        AtomicInteger ticks = new AtomicInteger();
        tickForever(sim.client("ticker"), Duration.ofMillis(100), ticks);

        SimFailure f = catchThrowableOfType(SimFailureException.class, sim::run).failure();

        assertThat(f.kind()).isEqualTo(FailureKind.LIMIT);
        assertThat(f.reason()).isEqualTo("the world reached the virtual-time limit of 1.000 s (SimConfig"
                + " virtualTimeMax) with events still pending; use runFor(...) for systems that never go quiet");
        assertThat(ticks.get()).as("ticks at 0.1 s .. 1.0 s ran; the one past the limit did not").isEqualTo(10);
    }

    @Test
    void runForAdvancesTheClockToItsEndRunningOnlyWhatIsDue() {
        Sim sim = Sim.create(Guests.config(1).build());
        TestClient client = sim.client("client");
        List<Long> firedAt = new ArrayList<>();
        client.schedule(Duration.ofMillis(1500), () -> firedAt.add(client.nowNanos()));
        client.schedule(Duration.ofMillis(2500), () -> firedAt.add(client.nowNanos()));

        sim.runFor(Duration.ofSeconds(2));
        long afterTwo = sim.nowNanos();
        List<Long> firedByTwo = List.copyOf(firedAt);
        sim.runFor(Duration.ofSeconds(1));

        assertThat(afterTwo).isEqualTo(2_000_000_000L);
        assertThat(firedByTwo).containsExactly(1_500_000_000L);
        assertThat(firedAt).containsExactly(1_500_000_000L, 2_500_000_000L);
        assertThat(sim.nowNanos()).isEqualTo(3_000_000_000L);
        assertThatThrownBy(() -> sim.runFor(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void runForNeverRunsAnEventDueAfterItsEnd() {
        for (long seed = 1; seed <= 16; seed++) {
            Sim sim = Sim.create(Guests.config(seed).build()).add(ECHO);
            TestClient client = sim.client("client");
            AtomicLong timerAt = new AtomicLong(-1);
            // The call's window is [100 us, 1 ms]; the timer is due at 600 us, after the end of runFor.
            client.call("test.v1.Echo", "Echo", new byte[0]);
            client.schedule(Duration.ofNanos(600_000), () -> timerAt.set(client.nowNanos()));

            sim.runFor(Duration.ofNanos(300_000));

            assertThat(sim.nowNanos()).as("seed %d: the clock stands at the end of runFor", seed).isEqualTo(300_000L);
            assertThat(timerAt.get()).as("seed %d: the timer due at 600 us has not run", seed).isEqualTo(-1);
            assertThat(steps(sim)).as("seed %d", seed).allSatisfy(s -> assertThat(s.timeNanos()).isLessThanOrEqualTo(300_000L));
            sim.run();
            assertThat(timerAt.get()).isEqualTo(600_000L);
        }
    }

    @Test
    void runForTheLongestDurationAfterTheClockMovedStillRunsWhatIsDue() {
        Sim sim = Sim.create(Guests.config(1).build());
        TestClient client = sim.client("client");
        AtomicLong firedAt = new AtomicLong(-1);
        client.schedule(Duration.ofSeconds(2), () -> firedAt.set(client.nowNanos()));
        sim.runFor(Duration.ofSeconds(1));

        // now + Long.MAX_VALUE would wrap to a negative end: the end saturates instead.
        sim.runFor(Duration.ofNanos(Long.MAX_VALUE));

        assertThat(firedAt.get()).isEqualTo(2_000_000_000L);
        assertThat(sim.nowNanos()).as("the clock stops at the virtual-time limit")
                .isEqualTo(SimConfig.VIRTUAL_TIME_NANOS_MAX_DEFAULT);
    }

    @Test
    void javaServiceThatThrowsFailsTheWorldAsTestCodeNamingIt() {
        JavaService broken = JavaService.builder("test.v1.Broken")
                .rawMethod("X", (bytes, call) -> {
                    throw new java.io.IOException("disk on fire");
                })
                .build();
        Sim sim = Sim.create(Guests.config(1).build()).add("broken", broken);
        sim.client("client").call("test.v1.Broken", "X", new byte[0]);

        SimFailureException e = catchThrowableOfType(SimFailureException.class, sim::run);

        assertThat(e.failure().kind()).isEqualTo(FailureKind.TEST_CODE);
        assertThat(e.failure().reason()).isEqualTo("Java service 'broken' threw java.io.IOException: disk on fire");
        assertThat(e.getCause()).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void aCallWithADeadlineEndsWithDeadlineExceededWhenNoResultComesAndALateOneIsDropped() {
        Sim sim = Sim.create(Guests.config(4).build());
        List<IncomingCall> held = new ArrayList<>();
        sim.add("slow", JavaService.builder("test.v1.Slow")
                .rawMethod("Never", (bytes, call) -> held.add(call)) // answers only when the test says so
                .rawMethod("Now", (bytes, call) -> call.reply(Status.OK, bytes))
                .build());
        TestClient client = sim.client("client");

        SimFuture<byte[]> never = client.call("test.v1.Slow", "Never", new byte[] {1}, Duration.ofMillis(50));
        sim.runUntil(never::isDone);

        assertThat(never.status()).isEqualTo(Status.DEADLINE_EXCEEDED);
        assertThat(never.detail()).contains("no result of test.v1.Slow/Never (call ").contains("within its deadline of 50.0 ms");
        assertThat(sim.nowNanos()).isEqualTo(50_000_000L);
        // The answer that comes after the deadline changes nothing.
        held.get(0).reply(Status.OK, new byte[] {2});
        sim.run();
        assertThat(never.status()).isEqualTo(Status.DEADLINE_EXCEEDED);

        // Answered in time: the deadline's timer is cancelled, so the world does not wait for it.
        long before = sim.nowNanos();
        SimFuture<byte[]> now = client.call("test.v1.Slow", "Now", new byte[] {3}, Duration.ofSeconds(10));
        sim.run();
        assertThat(now.status()).isEqualTo(Status.OK);
        assertThat(sim.nowNanos() - before).isLessThan(Duration.ofSeconds(1).toNanos());
        assertThatThrownBy(() -> client.call("test.v1.Slow", "Now", new byte[0], Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("positive duration");
        // A deadline past the world's virtual-time limit (or past what nanoseconds can count) can never
        // come: no timer waits for it, so the world still goes quiet and ends as it would without one.
        SimFuture<byte[]> forever = client.call("test.v1.Slow", "Never", new byte[] {4}, Duration.ofDays(365_000));
        SimFuture<byte[]> longer = client.call("test.v1.Slow", "Never", new byte[] {5}, Duration.ofSeconds(Long.MAX_VALUE));
        sim.run();
        assertThat(forever.isDone()).isFalse();
        assertThat(longer.isDone()).isFalse();
        assertThat(sim.failure()).isEmpty();
    }
}
