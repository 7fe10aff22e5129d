package dev.parigot.sim.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.kernel.SimFuture;
import dev.parigot.sim.kernel.Status;
import dev.parigot.sim.scheduler.Seed;
import dev.parigot.sim.samples.shop.v1.ChargeRequest;
import dev.parigot.sim.samples.shop.v1.OrderReply;
import dev.parigot.sim.samples.shop.v1.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The record shop one call at a time: each language's service answers its typed calls, and a
 * purchase goes catalog price -> inventory -> payment charge -> order id, with either checkout.
 */
class ShopTest {
    static final SimConfig BASE = SimConfig.builder().echoLog(false).build();

    static GuestModule checkout(String variant) {
        return variant.equals("buggy") ? ShopSample.buggyCheckout() : ShopSample.fixedCheckout();
    }

    @Test
    void assemblyScriptCatalogListsItsRecordsAndPricesOneBySku() {
        Sim sim = Sim.create(BASE.withSeed(Seed.of(1)));
        ShopSample.open(sim, ShopSample.fixedCheckout());
        ShopClient client = new ShopClient(sim.client("browser"));

        Record kindOfBlue = sim.await(client.record(ShopSample.KIND_OF_BLUE));
        assertThat(kindOfBlue.getTitle()).isEqualTo("Kind of Blue");
        assertThat(kindOfBlue.getArtist()).isEqualTo("Miles Davis");
        assertThat(kindOfBlue.getPriceCents()).isEqualTo(ShopSample.KIND_OF_BLUE_CENTS);
        assertThat(sim.await(client.records()).getRecordsList()).extracting(Record::getSku).containsExactly(
                "blue-note-1577", "columbia-8163", "harvest-11163", "parlophone-7027", "verve-8526");
        SimFuture<Record> unknown = client.record("no-such-sku");
        sim.run();
        assertThat(unknown.status()).isEqualTo(Status.NOT_FOUND);
    }

    @Test
    void rustInventoryReservesAtomicallyAndRefusesMoreThanInStock() {
        Sim sim = Sim.create(BASE.withSeed(Seed.of(2)));
        ShopSample.open(sim, ShopSample.fixedCheckout());
        ShopClient clerk = new ShopClient(sim.client("clerk"));

        assertThat(sim.await(clerk.stock("verve-8526")).getStock()).isZero(); // never stocked
        assertThat(sim.await(clerk.setStock("verve-8526", 3)).getStock()).isEqualTo(3);
        assertThat(sim.await(clerk.reserve("verve-8526", 2)).getStock()).isEqualTo(1);
        SimFuture<?> tooMany = clerk.reserve("verve-8526", 2);
        sim.run();
        assertThat(tooMany.status()).isEqualTo(Status.FAILED_PRECONDITION);
        assertThat(sim.await(clerk.stock("verve-8526")).getStock()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} checkout")
    @ValueSource(strings = {"fixed", "buggy"})
    void cCheckoutPricesReservesChargesAndAnswersAnOrderId(String variant) {
        Sim sim = Sim.create(BASE.withSeed(Seed.of(3)));
        ShopSample.Payments payments = ShopSample.open(sim, checkout(variant));
        ShopClient clerk = new ShopClient(sim.client("clerk"));
        ShopClient alice = new ShopClient(sim.client("alice"));
        sim.await(clerk.setStock(ShopSample.KIND_OF_BLUE, 2));

        OrderReply order = sim.await(alice.checkout("alice", ShopSample.KIND_OF_BLUE, 1));

        assertThat(order.getOrderId()).isEqualTo("vv-1");
        assertThat(order.getTotalCents()).isEqualTo(ShopSample.KIND_OF_BLUE_CENTS);
        assertThat(order.getChargeId()).isEqualTo("ch-1");
        assertThat(payments.charges()).extracting(ChargeRequest::getIdempotencyKey, ChargeRequest::getCustomer,
                ChargeRequest::getAmountCents).containsExactly(tuple("vv-1", "alice", ShopSample.KIND_OF_BLUE_CENTS));
        assertThat(sim.await(clerk.stock(ShopSample.KIND_OF_BLUE)).getStock()).isEqualTo(1);

        SimFuture<OrderReply> soldOut = alice.checkout("alice", ShopSample.KIND_OF_BLUE, 2);
        SimFuture<OrderReply> unknown = alice.checkout("alice", "no-such-sku", 1);
        sim.run();
        assertThat(soldOut.status()).isEqualTo(Status.FAILED_PRECONDITION);
        // The fixed checkout asks the catalog first; the buggy one asks for the stock (0) first.
        assertThat(unknown.status()).isEqualTo(variant.equals("fixed") ? Status.NOT_FOUND : Status.FAILED_PRECONDITION);
        assertThat(payments.charges()).hasSize(1);
        assertThat(sim.failure()).isEmpty();
    }
}
