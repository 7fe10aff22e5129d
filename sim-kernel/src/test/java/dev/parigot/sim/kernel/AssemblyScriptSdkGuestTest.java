package dev.parigot.sim.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Parser;
import dev.parigot.sim.faults.FaultProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The AssemblyScript SDK's example, guest-sdk/assemblyscript/examples/catalog (catalog.ts, its
 * committed catalog.wasm, built by guest-sdk/assemblyscript/build.sh), in a world with a Java
 * example.v1.Pricing and a test client. Messages are DynamicMessages of the example's own
 * .proto, read from the descriptor set the build writes next to the module (catalog.desc).
 */
class AssemblyScriptSdkGuestTest {
    static final Path EXAMPLE = repositoryRoot().resolve("guest-sdk/assemblyscript/examples/catalog");
    static final GuestModule CATALOG = GuestModule.load(EXAMPLE.resolve("catalog.wasm"));
    static final Descriptors.FileDescriptor PROTO = loadProto(EXAMPLE.resolve("catalog.desc"));
    static final String SERVICE = "example.v1.Catalog";

    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("guest-sdk/assemblyscript"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no guest-sdk/assemblyscript above " + Path.of("").toAbsolutePath()
                    + "; run the test from inside the repository");
        }
        return dir;
    }

    static Descriptors.FileDescriptor loadProto(Path file) {
        try {
            FileDescriptorSet set = FileDescriptorSet.parseFrom(Files.readAllBytes(file));
            return Descriptors.FileDescriptor.buildFrom(set.getFile(0), new Descriptors.FileDescriptor[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Descriptors.DescriptorValidationException e) {
            throw new IllegalStateException(file + " is not a valid descriptor set", e);
        }
    }

    static Descriptor type(String name) {
        return PROTO.findMessageTypeByName(name);
    }

    /** A message of the example's .proto: msg("Item", "sku", "tea", "price_cents", 250L). */
    static DynamicMessage msg(String typeName, Object... fieldsAndValues) {
        DynamicMessage.Builder b = DynamicMessage.newBuilder(type(typeName));
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            b.setField(type(typeName).findFieldByName((String) fieldsAndValues[i]), fieldsAndValues[i + 1]);
        }
        return b.build();
    }

    static Parser<DynamicMessage> parser(String typeName) {
        return DynamicMessage.getDefaultInstance(type(typeName)).getParserForType();
    }

    static Object field(DynamicMessage m, String name) {
        return m.getField(m.getDescriptorForType().findFieldByName(name));
    }

    static DynamicMessage item(String sku, String title, long priceCents) {
        return msg("Item", "sku", sku, "title", title, "price_cents", priceCents);
    }

    /** example.v1.Pricing: 10% tax, recording every amount it was asked about. */
    static JavaService pricing(List<Long> amounts) {
        return JavaService.builder("example.v1.Pricing")
                .method("Tax", parser("TaxRequest"), (req, call) -> {
                    long amount = (Long) field(req, "amount_cents");
                    amounts.add(amount);
                    call.reply(msg("TaxReply", "tax_cents", amount / 10));
                })
                .build();
    }

    static Sim world(long seed, List<Long> amounts) {
        return world(Guests.config(seed).build(), amounts);
    }

    static Sim world(SimConfig config, List<Long> amounts) {
        return Sim.create(config).add(CATALOG).add("pricing", pricing(amounts));
    }

    static SimFuture<DynamicMessage> put(TestClient client, DynamicMessage item) {
        return client.call(SERVICE, "Put", msg("PutRequest", "item", item), parser("PutReply"));
    }

    static SimFuture<DynamicMessage> get(TestClient client, String sku) {
        return client.call(SERVICE, "Get", msg("GetRequest", "sku", sku), parser("GetReply"));
    }

    static SimFuture<DynamicMessage> quote(TestClient client, String sku, int quantity) {
        return client.call(SERVICE, "Quote", msg("QuoteRequest", "sku", sku, "quantity", quantity), parser("QuoteReply"));
    }

    static List<LogLine> catalogLog(Sim sim) {
        return sim.log().stream().filter(l -> l.node().equals("catalog")).toList();
    }

    @Test
    void theModuleDeclaresTheCatalogAndRequiresPricingAndStorage() {
        assertThat(CATALOG.name()).isEqualTo("catalog");
        assertThat(CATALOG.code().hasInitialize()).as("built with --exportStart _initialize").isTrue();
        Sim sim = world(1, new ArrayList<>());
        sim.boot();
        assertThat(sim.exportsOf("catalog")).containsExactly(SERVICE);
    }

    @Test
    void typedPutGetAndQuoteRoundTripThroughStorageAndATypedCallToJavaPricing() {
        List<Long> amounts = new ArrayList<>();
        Sim sim = world(1, amounts);
        TestClient client = sim.client("client");

        DynamicMessage first = sim.await(put(client, item("tea", "Green tea \u00e9", 250)));
        DynamicMessage second = sim.await(put(client, item("pot", "Teapot", 1999)));
        DynamicMessage tea = sim.await(get(client, "tea"));
        DynamicMessage missing = sim.await(get(client, "nope"));
        DynamicMessage quoted = sim.await(quote(client, "tea", 4));
        SimFuture<byte[]> unknown = client.call(SERVICE, "Shout", new byte[0]);
        SimFuture<DynamicMessage> noItem = quote(client, "nope", 1);
        SimFuture<DynamicMessage> noQuantity = quote(client, "tea", 0);
        sim.run();

        assertThat(field(first, "puts")).isEqualTo(1L);
        assertThat(field(second, "puts")).isEqualTo(2L);
        assertThat(field(tea, "found")).isEqualTo(true);
        assertThat(field(tea, "item")).isEqualTo(item("tea", "Green tea \u00e9", 250));
        assertThat(field(missing, "found")).isEqualTo(false);
        assertThat(missing.hasField(type("GetReply").findFieldByName("item"))).isFalse();
        assertThat(amounts).as("the guest's typed call reached the Java fake").containsExactly(1000L);
        assertThat(List.of(field(quoted, "subtotal_cents"), field(quoted, "tax_cents"), field(quoted, "total_cents")))
                .as("the fake's TaxReply reached the guest's callback").containsExactly(1000L, 100L, 1100L);
        assertThat(unknown.status()).isEqualTo(Status.UNIMPLEMENTED);
        assertThat(noItem.status()).isEqualTo(Status.NOT_FOUND);
        assertThat(noQuantity.status()).isEqualTo(Status.INVALID_ARGUMENT);
        List<LogLine> log = catalogLog(sim);
        assertThat(log).anyMatch(l -> l.level() == LogLine.Level.INFO && l.text().equals("catalog ready"));
        assertThat(log).anyMatch(l -> l.level() == LogLine.Level.INFO && l.text().equals("stored tea at "
                + l.timeNanos() + " ns"));
        assertThat(log).anyMatch(l -> l.level() == LogLine.Level.WARN && l.text().matches(
                "reply 12 to call \\d+: example\\.v1\\.Catalog has no method \"Shout\""));
        assertThat(log).anyMatch(l -> l.level() == LogLine.Level.WARN && l.text().matches(
                "reply 3 to call \\d+: quantity must be positive"));
        assertThat(sim.failure()).isEmpty();
    }

    @Test
    void aTaxCallWithoutAnswerEndsTheQuoteWithDeadlineExceededAfter50MillisecondsOfVirtualTime() {
        JavaService silent = JavaService.builder("example.v1.Pricing")
                .method("Tax", parser("TaxRequest"), (req, call) -> { }) // never answers
                .build();
        Sim sim = Sim.create(Guests.config(2).build()).add(CATALOG).add("pricing", silent);
        TestClient client = sim.client("client");
        sim.await(put(client, item("tea", "Green tea", 250)));
        long asked = sim.nowNanos();

        SimFuture<DynamicMessage> quoted = quote(client, "tea", 1);
        sim.runUntil(quoted::isDone);

        assertThat(quoted.status()).isEqualTo(Status.DEADLINE_EXCEEDED);
        assertThat(sim.nowNanos() - asked).isBetween(50_000_000L, 60_000_000L);
        assertThat(catalogLog(sim)).anyMatch(l -> l.text().matches("reply 4 to call \\d+: Pricing.Tax failed"));
    }

    @Test
    void theAuditTimerFiresOneSecondOfVirtualTimeAfterTheLastPutOnly() {
        Sim sim = world(3, new ArrayList<>());
        TestClient client = sim.client("client");
        sim.await(put(client, item("a", "A", 1)));
        sim.await(put(client, item("b", "B", 2))); // cancels the first Put's audit timer
        sim.run();

        List<LogLine> log = catalogLog(sim);
        LogLine lastStored = log.stream().filter(l -> l.text().startsWith("stored b at ")).findFirst().orElseThrow();
        List<LogLine> audits = log.stream().filter(l -> l.text().startsWith("audit: ")).toList();
        assertThat(audits).hasSize(1);
        assertThat(audits.get(0).timeNanos()).isEqualTo(lastStored.timeNanos() + 1_000_000_000L);
        assertThat(audits.get(0).text()).isEqualTo("audit: 2 puts, last b, at " + audits.get(0).timeNanos() + " ns");
        assertThat(sim.failure()).isEmpty();
    }

    @Test
    void aSyncedPutSurvivesACrashAndRestartWhileTheInMemoryCountStartsOver() {
        Sim sim = world(4, new ArrayList<>());
        TestClient client = sim.client("client");
        sim.await(put(client, item("tea", "Green tea", 250)));
        sim.await(put(client, item("pot", "Teapot", 1999)));

        sim.crash("catalog");
        sim.restart("catalog");
        DynamicMessage tea = sim.await(get(client, "tea"));
        DynamicMessage third = sim.await(put(client, item("cup", "Cup", 500)));

        assertThat(field(tea, "found")).isEqualTo(true);
        assertThat(field(tea, "item")).isEqualTo(item("tea", "Green tea", 250));
        assertThat(field(third, "puts")).as("a global, not storage: it restarted at 0").isEqualTo(1L);
        assertThat(catalogLog(sim).stream().filter(l -> l.text().equals("catalog ready"))).hasSize(2);
    }

    @Test
    void aMalformedRequestAbortsInAsProtoAndTheAbortMessageIsTheFailureReason() {
        Sim sim = world(5, new ArrayList<>());
        TestClient client = sim.client("client");
        // GetRequest{sku: a string of 5 bytes}, with the 5 bytes missing: as-proto's reader aborts.
        client.call(SERVICE, "Get", new byte[] {0x0a, 0x05});
        SimFailureException e = catchThrowableOfType(SimFailureException.class, sim::run);

        assertThat(e.failure().kind()).isEqualTo(FailureKind.TRAP);
        assertThat(e.failure().node()).isEqualTo("catalog");
        assertThat(e.failure().reason()).startsWith("node 'catalog' called abort(\"Index out of range\") at ~lib/as-proto/");
    }

    @Test
    void aNegativePriceFailsTheAlwaysAssertionWithItsMessage() {
        Sim sim = world(6, new ArrayList<>());
        TestClient client = sim.client("client");
        put(client, item("bad", "Bad", -1));
        SimFailureException e = catchThrowableOfType(SimFailureException.class, sim::run);

        assertThat(e.failure().kind()).isEqualTo(FailureKind.ASSERTION);
        assertThat(e.failure().reason()).isEqualTo("node 'catalog' failed an always-assertion: catalog prices are never negative");
    }

    @Test
    void theSometimesAssertionIsTalliedPerWorld() {
        Sim sim = world(7, new ArrayList<>());
        TestClient client = sim.client("client");
        sim.await(put(client, item("tea", "Green tea", 250)));
        sim.await(quote(client, "tea", 2));

        assertThat(sim.assertions()).anySatisfy(a -> {
            assertThat(a.message()).isEqualTo("some quotes are taxed");
            assertThat(a.reached()).isEqualTo(1);
            assertThat(a.satisfied()).isEqualTo(1);
        });
    }

    /** Gets of one item, 30 times; returns how many answered late (after the 20 ms BUGGIFY delay). */
    static int lateGets(Sim sim) {
        TestClient client = sim.client("client");
        sim.await(put(client, item("tea", "Green tea", 250)));
        int late = 0;
        for (int i = 0; i < 30; i++) {
            long asked = sim.nowNanos();
            DynamicMessage tea = sim.await(get(client, "tea"));
            assertThat(field(tea, "item")).isEqualTo(item("tea", "Green tea", 250));
            if (sim.nowNanos() - asked >= 20_000_000L) {
                late++;
            }
        }
        return late;
    }

    @Test
    void buggifyDelaysSomeGetsOnlyWhenTheWorldTurnsItOn() {
        FaultProfile bugs = FaultProfile.builder().label("bugs").buggify(true).build();
        int lateWithBugs = 0;
        for (long seed = 1; seed <= 12; seed++) {
            Sim on = world(Guests.config(seed).faults(bugs).build(), new ArrayList<>());
            int late = lateGets(on);
            lateWithBugs += late;
            assertThat(on.buggifyFired().isEmpty()).isEqualTo(late == 0);
            if (late > 0) {
                assertThat(catalogLog(on)).filteredOn(l -> l.text().equals("buggify: answered Get late")).hasSize(late);
            }
            assertThat(lateGets(world(seed, new ArrayList<>()))).as("BUGGIFY off").isZero();
        }
        assertThat(lateWithBugs).as("some seed enables catalog.get.slow and fires it").isPositive();
    }

    /** Puts, Gets and Quotes from two clients at staggered virtual times. */
    static void scenario(Sim sim) {
        sim.add(CATALOG).add("pricing", pricing(new ArrayList<>()));
        List<SimFuture<DynamicMessage>> replies = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            TestClient client = sim.client("c" + c);
            for (int i = 0; i < 4; i++) {
                String sku = "sku" + c + i;
                int n = i + 1;
                client.schedule(java.time.Duration.ofNanos(300_000L * i + 70_000L * c), () -> {
                    replies.add(put(client, item(sku, "Item " + sku, 100L * n)));
                    replies.add(get(client, sku));
                    replies.add(quote(client, sku, n));
                });
            }
        }
        sim.run();
        assertThat(replies).hasSize(24).allSatisfy(r -> assertThat(r.isOk()).isTrue());
    }

    @Test
    void sameSeedGivesTheSameTraceHashTwice() {
        DeterminismCheck.Result result = DeterminismCheck.check(Guests.config(0x5eed).build(),
                AssemblyScriptSdkGuestTest::scenario);
        assertThat(result.deterministic()).as(result.describe()).isTrue();

        Sim a = DeterminismCheck.runOnce(Guests.config(9).build(), AssemblyScriptSdkGuestTest::scenario);
        Sim b = DeterminismCheck.runOnce(Guests.config(9).build(), AssemblyScriptSdkGuestTest::scenario);
        assertThat(b.trace().hash()).isEqualTo(a.trace().hash());
        assertThat(b.log()).isEqualTo(a.log());
        Sim other = DeterminismCheck.runOnce(Guests.config(10).build(), AssemblyScriptSdkGuestTest::scenario);
        assertThat(other.trace().hash()).isNotEqualTo(a.trace().hash());
    }
}
