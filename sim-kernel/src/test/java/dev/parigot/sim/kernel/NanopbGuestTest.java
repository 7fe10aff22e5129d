package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.parigot.examples.inventory.v1.Item;
import dev.parigot.examples.inventory.v1.ListReply;
import dev.parigot.examples.inventory.v1.ListRequest;
import dev.parigot.examples.inventory.v1.QuoteReply;
import dev.parigot.examples.inventory.v1.QuoteRequest;
import dev.parigot.examples.inventory.v1.ReserveReply;
import dev.parigot.examples.inventory.v1.ReserveRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The C SDK's nanopb example (guest-sdk/c/examples/inventory: generated messages and typed
 * stubs from inventory.proto) against requests that protobuf-java encodes from the same .proto
 * and a Java fake of the Pricing service it calls. The module is the committed one, rebuilt
 * byte for byte from its sources by samples/guests/build.sh --check.
 */
class NanopbGuestTest {
    static final GuestModule INVENTORY = GuestModule.load(Path.of("../guest-sdk/c/examples/inventory/inventory.wasm"));
    static final String SERVICE = "inventory.v1.Inventory";
    static final String PRICING = "inventory.v1.Pricing";

    /** 125 cents per item; every request it saw is kept. */
    static JavaService pricing(List<QuoteRequest> seen) {
        return JavaService.builder(PRICING)
                .method("Quote", QuoteRequest.parser(), (req, call) -> {
                    seen.add(req);
                    call.reply(QuoteReply.newBuilder().setTotalCents(125L * req.getQuantity()).build());
                })
                .build();
    }

    static Sim world(long seed, JavaService pricing) {
        return Sim.create(Guests.config(seed).build()).add(INVENTORY).add("pricing", pricing);
    }

    static ReserveRequest reserve(String sku, int quantity) {
        return ReserveRequest.newBuilder().setSku(sku).setQuantity(quantity).build();
    }

    @Test
    void typedHandlerDecodesTheRequestAndItsTypedCallToAJavaFakeGetsTheDecodedQuote() {
        List<QuoteRequest> quotes = new ArrayList<>();
        Sim sim = world(1, pricing(quotes));
        TestClient client = sim.client("client");

        ReserveReply first = sim.await(client.call(SERVICE, "Reserve", reserve("apple", 2), ReserveReply.parser()));
        ReserveReply second = sim.await(client.call(SERVICE, "Reserve", reserve("apple", 3), ReserveReply.parser()));
        SimFuture<byte[]> soldOut = client.call(SERVICE, "Reserve", reserve("apple", 1).toByteArray());
        SimFuture<byte[]> unknown = client.call(SERVICE, "Reserve", reserve("mango", 1).toByteArray());
        sim.run();

        // The guest's QuoteRequest, encoded by nanopb, parsed by protobuf-java; its callback
        // got the QuoteReply decoded (total_cents) and put it in the ReserveReply.
        assertThat(quotes).containsExactly(QuoteRequest.newBuilder().setSku("apple").setQuantity(2).build(),
                QuoteRequest.newBuilder().setSku("apple").setQuantity(3).build());
        assertThat(first).isEqualTo(ReserveReply.newBuilder().setRemaining(3).setTotalCents(250).setNote("2 x apple").build());
        assertThat(second).isEqualTo(ReserveReply.newBuilder().setRemaining(0).setTotalCents(375).setNote("3 x apple").build());
        assertThat(soldOut.status()).isEqualTo(Status.FAILED_PRECONDITION);
        assertThat(unknown.status()).isEqualTo(Status.NOT_FOUND);
        assertThat(sim.failure()).isEmpty();
    }

    @Test
    void repeatedFieldReplyIsBoundedByItsMaxCountAndDecodesInProtobufJava() {
        Sim sim = world(2, pricing(new ArrayList<>()));
        TestClient client = sim.client("client");

        ListReply a = sim.await(client.call(SERVICE, "List", ListRequest.newBuilder().setPrefix("a").build(),
                ListReply.parser()));
        ListReply all = sim.await(client.call(SERVICE, "List", ListRequest.getDefaultInstance(), ListReply.parser()));
        ListReply none = sim.await(client.call(SERVICE, "List", ListRequest.newBuilder().setPrefix("zz").build(),
                ListReply.parser()));

        assertThat(a.getItemsList()).extracting(Item::getSku, Item::getCount)
                .containsExactly(tuple("apple", 5), tuple("apricot", 2), tuple("avocado", 1));
        // Ten items in stock, max_count:8 in inventory.options.
        assertThat(all.getItemsList()).extracting(Item::getSku)
                .containsExactly("apple", "apricot", "avocado", "banana", "cherry", "date", "fig", "grape");
        assertThat(none.getItemsList()).isEmpty();
    }

    @Test
    void malformedOrOverBoundRequestIsAnsweredInvalidArgumentByTheStubWithoutATrap() {
        Sim sim = world(3, pricing(new ArrayList<>()));
        TestClient client = sim.client("client");

        SimFuture<byte[]> truncated = client.call(SERVICE, "Reserve", new byte[] {0x0a, 0x05, 'a', 'p'});
        // Field 5 with wire type 3 (a group start: proto3 has none).
        SimFuture<byte[]> badWireType = client.call(SERVICE, "List", new byte[] {(5 << 3) | 3});
        // max_size:16 is 15 bytes and the NUL: 16 bytes of prefix do not fit.
        SimFuture<byte[]> tooLong = client.call(SERVICE, "List",
                ListRequest.newBuilder().setPrefix("abcdefghijklmnop").build().toByteArray());
        SimFuture<byte[]> longestFits = client.call(SERVICE, "List",
                ListRequest.newBuilder().setPrefix("abcdefghijklmno").build().toByteArray());
        SimFuture<byte[]> unimplemented = client.call(SERVICE, "Restock", new byte[0]);
        sim.run();

        assertThat(truncated.status()).isEqualTo(Status.INVALID_ARGUMENT);
        assertThat(badWireType.status()).isEqualTo(Status.INVALID_ARGUMENT);
        assertThat(tooLong.status()).isEqualTo(Status.INVALID_ARGUMENT);
        assertThat(longestFits.status()).isEqualTo(Status.OK);
        assertThat(unimplemented.status()).isEqualTo(Status.UNIMPLEMENTED);
        assertThat(sim.failure()).isEmpty();
        assertThat(sim.log()).filteredOn(l -> l.node().equals("inventory")).extracting(LogLine::level, LogLine::text)
                .containsExactly(
                        tuple(LogLine.Level.WARN, "inventory.v1.Inventory/Reserve request: cannot decode: end-of-stream"),
                        tuple(LogLine.Level.WARN, "inventory.v1.Inventory/List request: cannot decode: invalid wire_type"),
                        tuple(LogLine.Level.WARN, "inventory.v1.Inventory/List request: cannot decode: string overflow"));
    }

    @Test
    void quoteThatDoesNotDecodeReachesTheCallbackAsInternalAndALateOneAsDeadlineExceeded() {
        JavaService garbage = JavaService.builder(PRICING)
                .rawMethod("Quote", (bytes, call) -> call.reply(Status.OK, new byte[] {0x08})) // varint cut short
                .build();
        Sim broken = world(4, garbage);
        SimFuture<byte[]> internal = broken.client("client").call(SERVICE, "Reserve", reserve("fig", 1).toByteArray());
        broken.run();

        JavaService slow = JavaService.builder(PRICING)
                .method("Quote", QuoteRequest.parser(), (req, call) -> call.context().schedule(Duration.ofMillis(80),
                        () -> call.reply(QuoteReply.newBuilder().setTotalCents(1).build())))
                .build();
        Sim late = world(4, slow);
        SimFuture<byte[]> deadline = late.client("client").call(SERVICE, "Reserve", reserve("fig", 1).toByteArray());
        late.run();

        assertThat(internal.status()).isEqualTo(Status.INTERNAL);
        assertThat(broken.log()).extracting(LogLine::text)
                .contains("inventory.v1.Pricing/Quote reply: cannot decode: end-of-stream");
        assertThat(deadline.status()).isEqualTo(Status.DEADLINE_EXCEEDED);
        assertThat(broken.failure()).isEmpty();
        assertThat(late.failure()).isEmpty();
    }

    /** Three clients reserving and listing at scheduled times. */
    static void shoppers(Sim sim) {
        sim.add(INVENTORY).add("pricing", pricing(new ArrayList<>()));
        List<SimFuture<byte[]>> replies = new ArrayList<>();
        String[] skus = {"banana", "cherry", "kiwi"};
        for (int c = 0; c < 3; c++) {
            TestClient client = sim.client("c" + c);
            String sku = skus[c];
            for (int i = 0; i < 3; i++) {
                client.schedule(Duration.ofNanos(70_000L * i + 30_000L * c), () -> {
                    replies.add(client.call(SERVICE, "Reserve", reserve(sku, 2).toByteArray()));
                    replies.add(client.call(SERVICE, "List", ListRequest.newBuilder().setPrefix(sku.substring(0, 1))
                            .build().toByteArray()));
                });
            }
        }
        sim.run();
        assertThat(replies).hasSize(18).allSatisfy(r -> assertThat(r.isDone()).isTrue());
    }

    @Test
    void sameSeedGivesTheSameTraceHashTwice() {
        DeterminismCheck.Result result = DeterminismCheck.check(Guests.config(0x5eed).build(), NanopbGuestTest::shoppers);
        assertThat(result.deterministic()).as(result.describe()).isTrue();

        Sim a = DeterminismCheck.runOnce(Guests.config(7).build(), NanopbGuestTest::shoppers);
        Sim b = DeterminismCheck.runOnce(Guests.config(7).build(), NanopbGuestTest::shoppers);
        assertThat(b.trace().hash()).isEqualTo(a.trace().hash());
        Sim other = DeterminismCheck.runOnce(Guests.config(8).build(), NanopbGuestTest::shoppers);
        assertThat(other.trace().hash()).isNotEqualTo(a.trace().hash());
    }
}
