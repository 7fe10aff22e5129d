package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The statuses ABI v1 returns to a guest that misuses it (docs/abi.md, "Statuses for misuse"):
 * each method of the misuse guest replies with the value the kernel returned to it.
 */
class AbiStatusTest {
    static final GuestModule ECHO = Guests.load("echo");
    static final GuestModule MISUSE = Guests.load("misuse");

    private Sim sim;
    private TestClient client;

    private void world(long seed) {
        sim = Sim.create(Guests.config(seed).build()).add(MISUSE).add(ECHO);
        client = sim.client("client");
    }

    private long ask(String method) {
        return Guests.i64(sim.await(client.call("test.v1.Misuse", method, new byte[0])));
    }

    private List<TraceStep> results() {
        List<TraceStep> out = new ArrayList<>();
        for (TraceStep s : sim.trace().last(Integer.MAX_VALUE)) {
            if (s.kind() == StepKind.RESULT) {
                out.add(s);
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0} returns {1}")
    @CsvSource({
        "CallUnrequired, -9",      // call to a service not required: minus FAILED_PRECONDITION
        "ReplyUnknown, 5",         // reply to an unknown id: NOT_FOUND
        "TimerNegative, -3",       // timer_set with a negative delay: minus INVALID_ARGUMENT
        "TimerCancelUnknown, 5",   // timer_cancel of an unknown timer: NOT_FOUND
        "ExportOutsideStart, 9",   // export_service outside parigot_start: FAILED_PRECONDITION
        "ExportTwiceAtStart, 6",   // the same name exported twice: ALREADY_EXISTS
        "CallDuringStart, -9",     // call during parigot_start: minus FAILED_PRECONDITION
    })
    void misuseReturnsTheDocumentedStatusToTheGuest(String method, long expected) {
        world(1);

        assertThat(ask(method)).isEqualTo(expected);
        assertThat(sim.failure()).as("misuse is reported to the guest, it does not fail the world").isEmpty();
    }

    @Test
    void exportOutsideStartDoesNotAddTheService() {
        world(1);

        assertThat(ask("ExportOutsideStart")).isEqualTo(Status.FAILED_PRECONDITION.code());
        assertThat(sim.exportsOf("misuse")).containsExactly("test.v1.Misuse");
        SimFuture<byte[]> late = client.call("test.v1.Late", "X", new byte[0]);
        assertThat(late.status()).isEqualTo(Status.NOT_FOUND);
        assertThat(late.detail()).contains("no node exports test.v1.Late");
    }

    @Test
    void secondReplyToOneCallReturnsFailedPreconditionAndOnlyTheFirstIsDelivered() {
        world(2);

        byte[] first = sim.await(client.call("test.v1.Misuse", "ReplyTwice", new byte[0]));
        List<TraceStep> afterTwice = results();

        assertThat(first).as("the caller gets the first reply: OK, empty").isEmpty();
        assertThat(afterTwice).hasSize(1);
        assertThat(afterTwice.get(0).status()).isEqualTo(Status.OK.code());
        assertThat(ask("LastSecondReply")).isEqualTo(Status.FAILED_PRECONDITION.code());
        sim.run();
        assertThat(results()).as("no second result was ever sent for ReplyTwice").hasSize(2);
        assertThat(sim.log()).anySatisfy(line -> {
            assertThat(line.node()).isEqualTo("misuse");
            assertThat(line.level()).isEqualTo(LogLine.Level.WARN);
            assertThat(line.text()).isEqualTo("second reply status=9");
        });
    }

    @Test
    void replyWithStatusOutsideTheCanonicalCodesReturnsInvalidArgumentAndSendsNothing() {
        world(3);

        long status = ask("BadStatus");
        sim.run();

        assertThat(status).isEqualTo(Status.INVALID_ARGUMENT.code());
        // The only result is the guest's own follow-up reply (OK, 8 bytes): the status-99 reply was never sent.
        assertThat(results()).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(Status.OK.code());
            assertThat(r.payloadBytes()).isEqualTo(8);
            assertThat(r.method()).isEqualTo("test.v1.Misuse/BadStatus");
        });
    }

    @Test
    void guestCallToEchoGuestReturnsStatusAndLengthThroughItsCallback() {
        world(4);

        long value = Guests.i64(sim.await(client.call("test.v1.Misuse", "CallEcho", "hello".getBytes())));

        assertThat(value).isEqualTo(0L * 1_000_000 + 5);
        List<TraceStep> steps = sim.trace().last(Integer.MAX_VALUE);
        assertThat(steps).filteredOn(s -> s.kind() == StepKind.CALL && s.target().equals("echo"))
                .singleElement()
                .satisfies(s -> {
                    assertThat(s.source()).isEqualTo("misuse");
                    assertThat(s.method()).isEqualTo("test.v1.Echo/Echo");
                    assertThat(s.payloadBytes()).isEqualTo(5);
                });
    }

    @Test
    void guestSeesTheStatusAndPayloadAJavaServiceRepliesWithAndTheCalleeGetsTheCallersId() {
        List<IncomingCall> received = new ArrayList<>();
        JavaService fakeEcho = JavaService.builder("test.v1.Echo")
                .rawMethod("Echo", (bytes, call) -> {
                    received.add(call);
                    call.reply(Status.ALREADY_EXISTS, new byte[] {1, 2, 3, 4});
                })
                .build();
        sim = Sim.create(Guests.config(5).build()).add(MISUSE).add("fake_echo", fakeEcho);
        client = sim.client("client");

        long value = Guests.i64(sim.await(client.call("test.v1.Misuse", "CallEcho", "hi".getBytes())));

        assertThat(value).isEqualTo(6L * 1_000_000 + 4);
        assertThat(received).singleElement().satisfies(call -> {
            assertThat(call.caller()).isEqualTo("misuse");
            assertThat(call.service()).isEqualTo("test.v1.Echo");
            assertThat(call.method()).isEqualTo("Echo");
            assertThat(call.payload()).isEqualTo("hi".getBytes());
        });
        TraceStep delivered = sim.trace().last(Integer.MAX_VALUE).stream()
                .filter(s -> s.kind() == StepKind.CALL && s.target().equals("fake_echo"))
                .findFirst().orElseThrow();
        TraceStep answered = sim.trace().last(Integer.MAX_VALUE).stream()
                .filter(s -> s.kind() == StepKind.RESULT && s.target().equals("misuse"))
                .findFirst().orElseThrow();
        assertThat(delivered.id()).isPositive().isEqualTo(received.get(0).id()).isEqualTo(answered.id());
        assertThat(answered.status()).isEqualTo(Status.ALREADY_EXISTS.code());
    }

    @Test
    void callIdsArePositiveAndNeverReusedWithinAWorld() {
        world(6);
        List<SimFuture<byte[]>> futures = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            futures.add(client.call("test.v1.Misuse", "CallEcho", new byte[i]));
        }
        sim.run();

        assertThat(futures).allSatisfy(f -> assertThat(f.isOk()).isTrue());
        List<Long> callIds = sim.trace().last(Integer.MAX_VALUE).stream()
                .filter(s -> s.kind() == StepKind.CALL).map(TraceStep::id).toList();
        assertThat(callIds).hasSize(20).allSatisfy(id -> assertThat(id).isPositive()).doesNotHaveDuplicates();
    }
}
