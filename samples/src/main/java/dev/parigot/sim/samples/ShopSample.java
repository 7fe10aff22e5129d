package dev.parigot.sim.samples;

import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.faults.Latency;
import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.JavaService;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimFuture;
import dev.parigot.sim.kernel.Status;
import dev.parigot.sim.samples.shop.v1.ChargeReply;
import dev.parigot.sim.samples.shop.v1.ChargeRequest;
import dev.parigot.sim.samples.shop.v1.OrderReply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The record shop, Vinny's Vintage Vinyl: one world of services in three languages, each built
 * from samples/shop/ and committed next to its sources.
 *
 * <ul>
 *   <li>{@code shop.v1.Catalog} (AssemblyScript, samples/shop/catalog): records and prices.
 *   <li>{@code shop.v1.Inventory} (Rust, samples/shop/inventory): stock per sku in the node's
 *       storage, synced before each reply.
 *   <li>{@code shop.v1.Checkout} (C on nanopb stubs, samples/shop/checkout): prices an order,
 *       takes the copies, charges the customer, answers with an order id.
 *   <li>{@code shop.v1.Payments}: the external payment provider, a Java fake ({@link Payments}).
 * </ul>
 *
 * The buggy checkout reads the stock, asks the catalog for the price, then writes back the stock
 * it read minus its quantity: two orders for the last copy can both be sold. The fixed checkout
 * takes the copies with the inventory's atomic Reserve.
 *
 * <p>The second planted bug: the checkout retries a Charge that missed its deadline once, and
 * the buggy payment variant (checkout_retry_buggy.wasm) gives the retry a new idempotency key,
 * so a first attempt that reached the provider but answered too late is charged twice. The
 * fixed checkout retries with the same key (the order id).
 */
public final class ShopSample {
    public static final String CATALOG = "shop.v1.Catalog";
    public static final String INVENTORY = "shop.v1.Inventory";
    public static final String CHECKOUT = "shop.v1.Checkout";
    public static final String PAYMENTS = "shop.v1.Payments";

    /** Kind of Blue, 39.00 in the catalog (samples/shop/catalog/catalog.ts). */
    public static final String KIND_OF_BLUE = "columbia-8163";
    public static final long KIND_OF_BLUE_CENTS = 3900;

    private ShopSample() {
    }

    public static GuestModule catalog() {
        return GuestModule.load(shop().resolve("catalog/catalog.wasm")).named("catalog");
    }

    public static GuestModule inventory() {
        return GuestModule.load(shop().resolve("inventory/inventory.wasm")).named("inventory");
    }

    /** The checkout that reserves atomically. */
    public static GuestModule fixedCheckout() {
        return GuestModule.load(shop().resolve("checkout/checkout.wasm")).named("checkout");
    }

    /** The checkout that reads the stock and writes it back two calls later. */
    public static GuestModule buggyCheckout() {
        return GuestModule.load(shop().resolve("checkout/checkout_buggy.wasm")).named("checkout");
    }

    /** The checkout that retries a late Charge with a new idempotency key (the double charge). */
    public static GuestModule retryBuggyCheckout() {
        return GuestModule.load(shop().resolve("checkout/checkout_retry_buggy.wasm")).named("checkout");
    }

    /**
     * The checkout the test parameters name: {@code shop.checkout=fixed} (default) or {@code buggy}
     * (the oversell), and {@code shop.payment=fixed} (default) or {@code buggy} (the double charge).
     * Each buggy module carries one bug, so at most one of the two may be {@code buggy}.
     */
    public static GuestModule checkout(Sim sim) {
        String variant = sim.parameter("shop.checkout", "fixed");
        String payment = sim.parameter("shop.payment", "fixed");
        if (!payment.equals("fixed") && !payment.equals("buggy")) {
            throw new IllegalArgumentException("shop.payment is '" + payment + "'; use fixed or buggy");
        }
        switch (variant) {
            case "fixed":
                return payment.equals("buggy") ? retryBuggyCheckout() : fixedCheckout();
            case "buggy":
                if (payment.equals("buggy")) {
                    throw new IllegalArgumentException(
                            "shop.checkout=buggy and shop.payment=buggy: each buggy checkout has one bug; pick one");
                }
                return buggyCheckout();
            default:
                throw new IllegalArgumentException("shop.checkout is '" + variant + "'; use fixed or buggy");
        }
    }

    /**
     * A network whose latency has a long tail: 2% of messages take 1 to 250 ms, so a Charge (or
     * its reply) can miss the checkout's 100 ms deadline although the provider got it.
     */
    public static FaultProfile slowReplies() {
        return FaultProfile.builder().label("slow replies")
                .network(n -> n.latency(Latency.longTail(100_000, 1_000_000, 0.02, 250_000_000)))
                .build();
    }

    /** samples/shop, from the repository root or from samples/ (Maven's working directory). */
    static Path shop() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("samples/shop/checkout"))) {
                return p.resolve("samples/shop");
            }
        }
        throw new IllegalStateException("samples/shop not found above " + Path.of("").toAbsolutePath()
                + "; run from the repository or from samples/");
    }

    /** Adds the whole shop to the world: the three guests and a payment provider. */
    public static Payments open(Sim sim, GuestModule checkout) {
        Payments payments = new Payments();
        sim.add(catalog()).add(inventory()).add(checkout).add("payments", payments.service());
        return payments;
    }

    /**
     * The external payment provider: charges once per idempotency key (a retry with a key it
     * has seen answers the first charge again), and remembers every charge it made.
     */
    public static final class Payments {
        private final Map<String, ChargeRequest> charges = new LinkedHashMap<>();
        private final Map<String, String> chargeIds = new LinkedHashMap<>();

        JavaService service() {
            return JavaService.builder(PAYMENTS)
                    .method("Charge", ChargeRequest.parser(), (req, call) -> {
                        if (req.getIdempotencyKey().isEmpty() || req.getAmountCents() <= 0) {
                            call.fail(Status.INVALID_ARGUMENT);
                            return;
                        }
                        String id = chargeIds.computeIfAbsent(req.getIdempotencyKey(), key -> {
                            charges.put(key, req);
                            return "ch-" + charges.size();
                        });
                        call.reply(ChargeReply.newBuilder().setChargeId(id).build());
                    })
                    .build();
        }

        /** The charges made, one per idempotency key, in order. */
        public List<ChargeRequest> charges() {
            return new ArrayList<>(charges.values());
        }
    }

    /**
     * One buyer places one order for Kind of Blue (ten in stock). Whatever the network did to
     * the order, the provider must have charged the buyer at most once: the world fails with
     * "a customer is charged at most once per order" (naming the idempotency keys) if not.
     */
    public static void oneOrder(Sim sim, GuestModule checkout) {
        Payments payments = open(sim, checkout);
        ShopClient clerk = new ShopClient(sim.client("clerk"));
        sim.await(clerk.setStock(KIND_OF_BLUE, 10));
        SimFuture<OrderReply> order = new ShopClient(sim.client("buyer-1")).checkout("buyer-1", KIND_OF_BLUE, 1);
        sim.runUntil(order::isDone);
        sim.run(); // late Charges and retries still on the wire
        sim.verify("a customer is charged at most once per order", () -> {
            List<ChargeRequest> charges = payments.charges();
            if (charges.size() > 1) {
                List<String> keys = new ArrayList<>();
                charges.forEach(c -> keys.add(c.getIdempotencyKey()));
                throw new AssertionError("buyer-1 placed one order ("
                        + (order.isOk() ? order.get().getOrderId() : "failed: " + order.status()) + ") and was charged "
                        + charges.size() + " times, idempotency keys " + keys);
            }
        });
    }

    /**
     * Restocks one copy of Kind of Blue, then {@code buyers} customers check it out at the same
     * moment. The shop may sell it once, never more: the world fails with "no record is sold
     * more often than it was in stock" (naming the order ids) if it does.
     */
    public static void lastCopy(Sim sim, GuestModule checkout, int buyers) {
        Payments payments = open(sim, checkout);
        ShopClient clerk = new ShopClient(sim.client("clerk"));
        int stocked = sim.await(clerk.setStock(KIND_OF_BLUE, 1)).getStock();
        List<SimFuture<OrderReply>> orders = new ArrayList<>();
        for (int i = 0; i < buyers; i++) {
            orders.add(new ShopClient(sim.client("buyer-" + (i + 1))).checkout("buyer-" + (i + 1), KIND_OF_BLUE, 1));
        }
        sim.runUntil(() -> orders.stream().allMatch(SimFuture::isDone));
        List<String> sold = new ArrayList<>();
        for (SimFuture<OrderReply> order : orders) {
            if (order.isOk()) {
                sold.add(order.get().getOrderId());
            }
        }
        sim.verify("no record is sold more often than it was in stock", () -> {
            if (sold.size() > stocked) {
                throw new AssertionError(KIND_OF_BLUE + " was sold " + sold.size() + " times " + sold + " with "
                        + stocked + " in stock; charges: " + payments.charges().size());
            }
        });
        sim.verify("every sale was charged once, every refused order not at all", () -> {
            if (payments.charges().size() != sold.size()) {
                throw new AssertionError(payments.charges().size() + " charges for " + sold.size() + " sales " + sold);
            }
        });
        int left = sim.await(clerk.stock(KIND_OF_BLUE)).getStock();
        sim.verify("the stock left is the stock minus the sales", () -> {
            if (left != stocked - sold.size()) {
                throw new AssertionError(left + " left of " + stocked + " after " + sold.size() + " sales");
            }
        });
        sim.run();
    }
}
