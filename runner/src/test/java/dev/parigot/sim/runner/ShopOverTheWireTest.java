package dev.parigot.sim.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.samples.shop.v1.ListOrdersReply;
import dev.parigot.sim.samples.shop.v1.ListOrdersRequest;
import dev.parigot.sim.samples.shop.v1.OrderReply;
import dev.parigot.sim.samples.shop.v1.OrderRequest;
import dev.parigot.sim.samples.shop.v1.SetStockRequest;
import dev.parigot.sim.samples.shop.v1.StockReply;
import dev.parigot.sim.samples.shop.v1.StockRequest;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The record shop in three languages over gRPC: the catalog (AssemblyScript), the inventory
 * (Rust), the two Orders replicas (Rust) and the checkout (C, with Java fakes of the payment and
 * shipping providers) in four units on loopback, one checkout going through all of them.
 */
class ShopOverTheWireTest {
    static final Path SHOP = Modules.SAMPLES.resolve("shop");

    @Test
    void aCheckoutCrossesFourUnitsInThreeLanguagesOverGrpc() throws Exception {
        List<UnitHost> units = new ArrayList<>();
        List<ManagedChannel> channels = new ArrayList<>();
        try {
            UnitHost catalog = start(units, UnitHost.builder("catalog")
                    .node(UnitNode.of(SHOP.resolve("catalog/catalog.wasm"), "catalog")));
            UnitHost inventory = start(units, UnitHost.builder("inventory")
                    .node(UnitNode.of(SHOP.resolve("inventory/inventory.wasm"), "inventory")));
            Path orders = SHOP.resolve("orders/orders.wasm");
            UnitHost ordersUnit = start(units, UnitHost.builder("orders")
                    .node(new UnitNode(orders, "orders-1", Map.of("PEERS", "orders-2"), List.of()))
                    .node(new UnitNode(orders, "orders-2", Map.of("PEERS", "orders-1"), List.of())));
            UnitHost checkout = start(units, UnitHost.builder("checkout")
                    .node(UnitNode.of(SHOP.resolve("checkout/checkout.wasm"), "checkout"))
                    .javaService("payments", new ShopFakes.Payments().get())
                    .javaService("shipping", new ShopFakes.Shipping().get())
                    .remote("shop.v1.Catalog", catalog.target())
                    .remote("shop.v1.Inventory", inventory.target())
                    .remote("shop.v1.Orders", ordersUnit.target()));
            ManagedChannel toInventory = channel(channels, inventory);
            ManagedChannel toCheckout = channel(channels, checkout);
            ManagedChannel toOrders = channel(channels, ordersUnit);

            checkoutGoesThroughEveryService(toInventory, toCheckout, toOrders);
        } finally {
            for (ManagedChannel c : channels) {
                Modules.close(c);
            }
            for (int i = units.size() - 1; i >= 0; i--) {
                units.get(i).close();
            }
        }
    }

    /** The shop as four units: catalog, inventory, the two Orders replicas, the checkout with its fakes. */
    static List<UnitSpec> units() {
        Path orders = SHOP.resolve("orders/orders.wasm");
        return List.of(
                new UnitSpec("checkout", List.of(UnitNode.of(SHOP.resolve("checkout/checkout.wasm"), "checkout")),
                        Map.of("payments", ShopFakes.Payments.class.getName(),
                                "shipping", ShopFakes.Shipping.class.getName())),
                new UnitSpec("catalog", List.of(UnitNode.of(SHOP.resolve("catalog/catalog.wasm"), "catalog"))),
                new UnitSpec("inventory", List.of(UnitNode.of(SHOP.resolve("inventory/inventory.wasm"), "inventory"))),
                new UnitSpec("orders", List.of(
                        new UnitNode(orders, "orders-1", Map.of("PEERS", "orders-2"), List.of()),
                        new UnitNode(orders, "orders-2", Map.of("PEERS", "orders-1"), List.of()))));
    }

    /** Stocks ten copies of Kind of Blue, buys two, and checks the order, the stock and the Orders' list. */
    static void checkoutGoesThroughEveryService(ManagedChannel toInventory, ManagedChannel toCheckout,
            ManagedChannel toOrders) throws Exception {
        Modules.call(toInventory, "shop.v1.Inventory/SetStock",
                SetStockRequest.newBuilder().setSku("columbia-8163").setStock(10).build().toByteArray());
        OrderReply order = OrderReply.parseFrom(Modules.call(toCheckout, "shop.v1.Checkout/Checkout",
                OrderRequest.newBuilder().setCustomer("ada").setSku("columbia-8163").setQuantity(2).build()
                        .toByteArray()));
        StockReply stock = StockReply.parseFrom(Modules.call(toInventory, "shop.v1.Inventory/Stock",
                StockRequest.newBuilder().setSku("columbia-8163").build().toByteArray()));
        ListOrdersReply listed = ListOrdersReply.parseFrom(Modules.call(toOrders, "shop.v1.Orders/List",
                ListOrdersRequest.newBuilder().setCustomer("ada").build().toByteArray()));

        assertThat(order.getOrderId()).matches("vv-[0-9a-f]{12}");
        assertThat(order.getTotalCents()).as("two copies of Kind of Blue at 39.00").isEqualTo(7800);
        assertThat(order.getChargeId()).isEqualTo("ch-1");
        assertThat(order.getTrackingId()).isEqualTo("trk-" + order.getOrderId());
        assertThat(stock.getStock()).isEqualTo(8);
        assertThat(listed.getOrdersList()).extracting(o -> o.getOrderId()).containsExactly(order.getOrderId());
    }

    private static UnitHost start(List<UnitHost> units, UnitHost.Builder builder) {
        UnitHost unit = builder.log(Modules::failuresOnly).start();
        units.add(unit);
        return unit;
    }

    private static ManagedChannel channel(List<ManagedChannel> channels, UnitHost unit) {
        ManagedChannel c = Modules.channel(unit.target());
        channels.add(c);
        return c;
    }
}
