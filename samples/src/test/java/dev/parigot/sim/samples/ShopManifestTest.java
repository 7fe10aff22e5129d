package dev.parigot.sim.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parigot.sim.kernel.DeterminismCheck;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.manifest.Manifest;
import dev.parigot.sim.samples.shop.v1.OrderReply;
import dev.parigot.sim.scheduler.Seed;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The record shop described by samples/shop/shop.yaml is the shop ShopSample builds by hand. */
class ShopManifestTest {
    static final Manifest SHOP = Manifest.load(ShopSample.shop().resolve("shop.yaml"),
            List.of(ShopSample.PAYMENTS, ShopSample.SHIPPING));
    static final SimConfig BASE = SimConfig.builder().echoLog(false).build();

    @Test
    void theManifestNamesEveryServiceOfTheShopInThreeUnits() {
        assertThat(SHOP.nodes()).extracting(Manifest.Node::name)
                .containsExactly("catalog", "inventory", "checkout", "orders-1", "orders-2");
        assertThat(SHOP.units()).extracting(Manifest.Unit::name).containsExactly("storefront", "stock", "orders");
        assertThat(SHOP.node("orders-2").module().digest()).isEqualTo(ShopSample.orders("fixed").digest());
        assertThat(SHOP.node("checkout").module().digest()).isEqualTo(ShopSample.fixedCheckout().digest());
    }

    @Test
    void aPurchaseInTheWorldFromTheManifestRunsAsInTheWorldBuiltByHand() {
        for (int i = 0; i < 20; i++) {
            Seed seed = Seed.FIRST.plus(i);
            Sim byHand = DeterminismCheck.runOnce(BASE.withSeed(seed),
                    sim -> purchase(sim, () -> ShopSample.open(sim, ShopSample.fixedCheckout())));
            Sim fromManifest = DeterminismCheck.runOnce(BASE.withSeed(seed), sim -> purchase(sim, () -> {
                SHOP.addTo(sim);
                ShopSample.addProviders(sim);
            }));
            assertThat(fromManifest.failure()).as("seed %s", seed).isEmpty();
            assertThat(fromManifest.trace().hashText()).as("trace hash of seed %s", seed)
                    .isEqualTo(byHand.trace().hashText());
        }
    }

    static void purchase(Sim sim, Runnable open) {
        open.run();
        ShopClient clerk = new ShopClient(sim.client("clerk"));
        sim.await(clerk.setStock(ShopSample.KIND_OF_BLUE, 2));
        OrderReply order = sim.await(new ShopClient(sim.client("alice")).checkout("alice", ShopSample.KIND_OF_BLUE, 1));
        sim.verify("the order is placed and shipped", () -> {
            assertThat(order.getTrackingId()).isEqualTo("trk-1");
        });
        sim.run();
    }
}
