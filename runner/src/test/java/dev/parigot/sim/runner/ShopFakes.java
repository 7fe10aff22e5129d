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
