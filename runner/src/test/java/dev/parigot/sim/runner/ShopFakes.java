package dev.parigot.sim.runner;

import dev.parigot.sim.kernel.JavaService;
import dev.parigot.sim.samples.shop.v1.ChargeReply;
import dev.parigot.sim.samples.shop.v1.ChargeRequest;
import dev.parigot.sim.samples.shop.v1.ShipReply;
import dev.parigot.sim.samples.shop.v1.ShipRequest;
import java.util.function.Supplier;

/** The shop's outside providers as Java fakes a unit can run, named on the command line with {@code --java}. */
public final class ShopFakes {
    private ShopFakes() {
    }

    /** The shop's manifest, loaded knowing these fakes will provide payments and shipping. */
    static dev.parigot.sim.manifest.Manifest shopManifest() {
        return dev.parigot.sim.manifest.Manifest.load(ManifestRunTest.SHOP, java.util.List.of("shop.v1.Payments",
                "shop.v1.Shipping"));
    }

    /** A simulated world of the shop from {@code manifest} with these fakes, for {@code seed}. */
    static dev.parigot.sim.kernel.Sim shopWorld(dev.parigot.sim.manifest.Manifest manifest, long seed) {
        dev.parigot.sim.kernel.Sim sim = dev.parigot.sim.kernel.Sim.create(
                dev.parigot.sim.kernel.SimConfig.builder().seed(seed).echoLog(false).build());
        manifest.addTo(sim);
        sim.add("payments", new Payments().get()).add("shipping", new Shipping().get());
        return sim;
    }

    /** shop.v1.Payments: charge ids ch-1, ch-2, ... */
    public static final class Payments implements Supplier<JavaService> {
        private int charges;

        @Override
        public JavaService get() {
            return JavaService.builder("shop.v1.Payments")
                    .method("Charge", ChargeRequest.parser(), (req, call) -> call.reply(
                            ChargeReply.newBuilder().setChargeId("ch-" + (++charges)).build()))
                    .build();
        }
    }

    /** shop.v1.Shipping: the tracking id of an order is trk- and its id. */
    public static final class Shipping implements Supplier<JavaService> {
        @Override
        public JavaService get() {
            return JavaService.builder("shop.v1.Shipping")
                    .method("Ship", ShipRequest.parser(), (req, call) -> call.reply(
                            ShipReply.newBuilder().setTrackingId("trk-" + req.getOrderId()).build()))
                    .build();
        }
    }
}
