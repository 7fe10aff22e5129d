package dev.parigot.sim.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parigot.sim.manifest.ManifestException;
import dev.parigot.sim.samples.shop.v1.ListOrdersReply;
import dev.parigot.sim.samples.shop.v1.ListOrdersRequest;
import dev.parigot.sim.samples.shop.v1.OrderReply;
import dev.parigot.sim.samples.shop.v1.OrderRequest;
import dev.parigot.sim.samples.shop.v1.SetStockRequest;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's {@code run --manifest}: the record shop from samples/shop/shop.yaml, as its three units. */
class ManifestRunTest {
    static final Path SHOP = Modules.SAMPLES.resolve("shop/shop.yaml");
    static final List<String> FAKES = List.of("storefront:payments=" + ShopFakes.Payments.class.getName(),
            "storefront:shipping=" + ShopFakes.Shipping.class.getName());

    /** The shop's units with the runner's test fakes in the storefront. */
    static List<UnitSpec> specs() {
        return ManifestUnits.specs(SHOP, FAKES);
    }

    @Test
    void theShopManifestGivesThreeUnitsWithTheirNodesEnvironmentAndFakes() {
        List<UnitSpec> specs = ManifestUnits.specs(SHOP, FAKES);

        assertThat(specs).extracting(UnitSpec::name).containsExactly("storefront", "stock", "orders");
        assertThat(specs.get(0).nodes()).extracting(UnitNode::name).containsExactly("catalog", "checkout");
        assertThat(specs.get(0).javaServices()).containsOnlyKeys("payments", "shipping");
        assertThat(specs.get(2).nodes()).extracting(UnitNode::name).containsExactly("orders-1", "orders-2");
        assertThat(specs.get(2).nodes().get(1).environment()).containsEntry("PEERS", "orders-1,orders-2");
        assertThat(specs.get(2).nodes().get(0).module()).isAbsolute().endsWith(Path.of("orders", "orders.wasm"));
    }

    @Test
    void withoutItsJavaFakesTheShopIsRefusedBeforeAnythingStarts() {
        assertThatThrownBy(() -> ManifestUnits.specs(SHOP, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasCauseInstanceOf(ManifestException.class)
                .hasMessageContaining("shop.v1.Payments").hasMessageContaining("--java-in UNIT:NODE=CLASS");
    }

    @Test
    void replicasOfOneServiceSplitOverUnitsAreRefusedNamingTheFileAndLine(@TempDir Path dir) throws Exception {
        Path manifest = dir.resolve("store.yaml");
        Files.writeString(manifest, """
                version: 1
                nodes:
                  store:
                    module: %s
                    replicas: 3
                    env:
                      PEERS: store-1,store-2,store-3
                units:
                  store-a:
                    nodes: [store-1]
                  store-b:
                    nodes: [store-2, store-3]
                """.formatted(Modules.SAMPLES.resolve("src/main/resources/guests/rkv_fixed.wasm").toAbsolutePath()));

        assertThatThrownBy(() -> ManifestUnits.specs(manifest, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(manifest + ":11: unit 'store-b' has node 'store-2', which exports rkv.v1.Store as node"
                        + " 'store-1' of unit 'store-a' (line 9) does; the runner runs every node of a service in one"
                        + " unit (one process), so list them in one unit (nodes: [store]) (see docs/deploy.md)");

        Files.writeString(manifest, Files.readString(manifest).replace("""
                  store-a:
                    nodes: [store-1]
                  store-b:
                    nodes: [store-2, store-3]
                """, """
                  store:
                    nodes: [store-1, store-2, store-3]
                """));
        assertThat(ManifestUnits.specs(manifest, List.of())).singleElement()
                .satisfies(unit -> assertThat(unit.nodes()).extracting(UnitNode::name)
                        .containsExactly("store-1", "store-2", "store-3"));
    }

    @Test
    void aMissingOrBrokenManifestIsSentencesOnStandardErrorAndExitCode2(@TempDir Path dir) throws Exception {
        java.io.StringWriter err = new java.io.StringWriter();
        int missing = Launcher.commandLine().setErr(new java.io.PrintWriter(err)).execute("run",
                dir.resolve("none.yaml").toString());
        assertThat(missing).isEqualTo(2);
        assertThat(err.toString()).startsWith("parigot-runner: ").contains("none.yaml: no such manifest")
                .doesNotContain("\tat ");

        java.io.StringWriter err2 = new java.io.StringWriter();
        int noFakes = Launcher.commandLine().setErr(new java.io.PrintWriter(err2)).execute("run", SHOP.toString());
        assertThat(noFakes).isEqualTo(2);
        assertThat(err2.toString()).contains("shop.v1.Payments").contains("--java-in UNIT:NODE=CLASS")
                .doesNotContain("\tat ");
    }

    @Test
    void aJavaFakeInAnUnknownUnitOrMalformedIsRefused(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> ManifestUnits.specs(SHOP, List.of("storefront:payments")))
                .hasMessage("--java-in storefront:payments: expected UNIT:NODE=CLASS");
        assertThatThrownBy(() -> ManifestUnits.specs(SHOP, List.of(FAKES.get(0), FAKES.get(1),
                "warehouse:x=" + ShopFakes.Shipping.class.getName())))
                .hasMessageContaining("--java-in names unit 'warehouse'")
                .hasMessageContaining("[storefront, stock, orders]");
        Path missing = dir.resolve("none.yaml");
        assertThatThrownBy(() -> ManifestUnits.specs(missing, List.of())).isInstanceOf(ManifestException.class);
        assertThat(Files.exists(missing)).isFalse();
    }

    @Test
    void theShopRunsFromItsManifestAsThreeProcessesAndTakesAnOrder() throws Exception {
        try (UnitProcesses units = UnitProcesses.start(ManifestUnits.specs(SHOP, FAKES), line -> { })) {
            assertThat(units.targets().keySet()).containsExactlyInAnyOrder("storefront", "stock", "orders");
            ManagedChannel toStock = Modules.channel(units.targets().get("stock"));
            ManagedChannel toStorefront = Modules.channel(units.targets().get("storefront"));
            ManagedChannel toOrders = Modules.channel(units.targets().get("orders"));
            try {
                Modules.call(toStock, "shop.v1.Inventory/SetStock", SetStockRequest.newBuilder()
                        .setSku("verve-8526").setStock(100).build().toByteArray());
                OrderReply order = OrderReply.parseFrom(Modules.callRetryingDeadlines(toStorefront,
                        "shop.v1.Checkout/Checkout", OrderRequest.newBuilder().setCustomer("grace").setSku("verve-8526")
                                .setQuantity(1).build().toByteArray(), 10));
                assertThat(order.getTotalCents()).isEqualTo(2800);
                // Both replicas run in the orders unit; either may have answered the List.
                ListOrdersReply listed = ListOrdersReply.parseFrom(Modules.call(toOrders, "shop.v1.Orders/List",
                        ListOrdersRequest.newBuilder().setCustomer("grace").build().toByteArray()));
                assertThat(listed.getOrdersList()).extracting(o -> o.getOrderId()).contains(order.getOrderId());
            } finally {
                Modules.close(toStock);
                Modules.close(toStorefront);
                Modules.close(toOrders);
            }
        }
    }
}
