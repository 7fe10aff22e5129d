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
import dev.parigot.sim.samples.shop.v1.Order;
import dev.parigot.sim.samples.shop.v1.OrderReply;
import dev.parigot.sim.samples.shop.v1.Record;
import java.time.Duration;
import java.util.List;
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
        ShopSample.Providers shop = ShopSample.open(sim, checkout(variant));
        ShopSample.Payments payments = shop.payments();
        ShopClient clerk = new ShopClient(sim.client("clerk"));
        ShopClient alice = new ShopClient(sim.client("alice"));
        sim.await(clerk.setStock(ShopSample.KIND_OF_BLUE, 2));

        OrderReply order = sim.await(alice.checkout("alice", ShopSample.KIND_OF_BLUE, 1));

        assertThat(order.getOrderId()).matches("vv-[0-9a-f]{12}");
        assertThat(order.getTotalCents()).isEqualTo(ShopSample.KIND_OF_BLUE_CENTS);
        assertThat(order.getChargeId()).isEqualTo("ch-1");
        assertThat(order.getTrackingId()).isEqualTo("trk-1");
        assertThat(payments.charges()).extracting(ChargeRequest::getIdempotencyKey, ChargeRequest::getCustomer,
                ChargeRequest::getAmountCents)
                .containsExactly(tuple(order.getOrderId(), "alice", ShopSample.KIND_OF_BLUE_CENTS));
        assertThat(shop.shipping().shipped()).containsExactly(order.getOrderId());
        // Recorded by one replica and replicated to the other.
        for (String replica : ShopSample.ORDER_REPLICAS) {
            assertThat(sim.await(clerk.orders(ShopSample.ORDERS + "@" + replica, "alice")).getOrdersList())
                    .as(replica).extracting(Order::getOrderId, Order::getSku, Order::getTotalCents, Order::getChargeId)
                    .containsExactly(tuple(order.getOrderId(), ShopSample.KIND_OF_BLUE, ShopSample.KIND_OF_BLUE_CENTS, "ch-1"));
        }
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

    static Order order(String id, String customer) {
        return Order.newBuilder().setOrderId(id).setCustomer(customer).setSku(ShopSample.KIND_OF_BLUE).setQuantity(1)
                .setTotalCents(ShopSample.KIND_OF_BLUE_CENTS).setChargeId("ch-9").build();
    }

    static Sim ordersWorld(long seed, String variant) {
        Sim sim = Sim.create(BASE.withSeed(Seed.of(seed)).toBuilder().parameter("shop.orders", variant).build());
        ShopSample.open(sim, ShopSample.fixedCheckout());
        return sim;
    }

    @Test
    void rustOrdersAreIdempotentRefuseATakenIdAndSurviveACrash() {
        Sim sim = ordersWorld(4, "fixed");
        ShopClient clerk = new ShopClient(sim.client("clerk"));
        String one = ShopSample.ORDERS + "@orders-1";
        assertThat(sim.await(clerk.place(one, order("vv-a", "bob"))).getReplica()).isEqualTo("orders-1");
        assertThat(sim.await(clerk.place(one, order("vv-a", "bob"))).getOrderId()).isEqualTo("vv-a"); // again: same answer
        SimFuture<?> taken = clerk.place(one, order("vv-a", "carol"));
        SimFuture<?> invalid = clerk.place(one, Order.newBuilder().setOrderId("vv-b").build());
        sim.run();
        assertThat(taken.status()).isEqualTo(Status.ALREADY_EXISTS);
        assertThat(invalid.status()).isEqualTo(Status.INVALID_ARGUMENT);

        sim.crash("orders-1");
        sim.crash("orders-2");
        sim.restart("orders-1");
        sim.restart("orders-2");
        for (String replica : ShopSample.ORDER_REPLICAS) {
            assertThat(sim.await(clerk.orders(ShopSample.ORDERS + "@" + replica, "bob")).getOrdersList())
                    .as(replica + " after both crashed").containsExactly(order("vv-a", "bob"));
        }
        assertThat(sim.failure()).isEmpty();
    }

    /** An order placed on one side of a partition: the fixed replicas catch up once it heals, the stale ones never do. */
    @ParameterizedTest(name = "{0} orders")
    @ValueSource(strings = {"fixed", "stale"})
    void rustOrdersReplicasCatchUpAfterAPartitionHealsUnlessStale(String variant) {
        Sim sim = ordersWorld(5, variant);
        ShopClient clerk = new ShopClient(sim.client("clerk"));
        sim.boot();
        sim.partition(List.of("orders-1"), List.of("orders-2"));
        sim.await(clerk.place(ShopSample.ORDERS + "@orders-1", order("vv-p", "dave")));
        sim.runFor(Duration.ofMillis(200));
        sim.heal();
        sim.runFor(Duration.ofMillis(200));
        List<Order> onTwo = sim.await(clerk.orders(ShopSample.ORDERS + "@orders-2", "dave")).getOrdersList();
        if (variant.equals("fixed")) {
            assertThat(onTwo).containsExactly(order("vv-p", "dave"));
        } else {
            assertThat(onTwo).isEmpty();
        }
        assertThat(sim.await(clerk.orders(ShopSample.ORDERS + "@orders-1", "dave")).getOrdersList()).hasSize(1);
    }
}
