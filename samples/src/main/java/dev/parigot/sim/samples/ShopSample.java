package dev.parigot.sim.samples;

import dev.parigot.sim.faults.CrashPoints;
import dev.parigot.sim.faults.FaultProfile;
import dev.parigot.sim.faults.Latency;
import dev.parigot.sim.kernel.GuestModule;
import dev.parigot.sim.kernel.JavaService;
import dev.parigot.sim.kernel.NodeOptions;
import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimFuture;
import dev.parigot.sim.kernel.Status;
import dev.parigot.sim.kernel.TestClient;
import dev.parigot.sim.samples.shop.v1.ChargeReply;
import dev.parigot.sim.samples.shop.v1.ChargeRequest;
import dev.parigot.sim.samples.shop.v1.ListOrdersReply;
import dev.parigot.sim.samples.shop.v1.Order;
import dev.parigot.sim.samples.shop.v1.OrderReply;
import dev.parigot.sim.samples.shop.v1.ShipReply;
import dev.parigot.sim.samples.shop.v1.ShipRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The record shop, Vinny's Vintage Vinyl: one world of services in three languages, each built
 * from samples/shop/ and committed next to its sources.
 *
 * <ul>
 *   <li>{@code shop.v1.Catalog} (AssemblyScript, samples/shop/catalog): records and prices.
 *   <li>{@code shop.v1.Inventory} (Rust, samples/shop/inventory): stock per sku in the node's
 *       storage, synced before each reply.
 *   <li>{@code shop.v1.Checkout} (C on nanopb stubs, samples/shop/checkout): prices an order,
 *       takes the copies, charges the customer, records the order, ships it, answers with the
 *       order id.
 *   <li>{@code shop.v1.Orders} (Rust, samples/shop/orders), two replicas {@code orders-1} and
 *       {@code orders-2}: every order in each replica's storage, replicated between them.
 *   <li>{@code shop.v1.Payments}: the external payment provider, a Java fake ({@link Payments}).
 *   <li>{@code shop.v1.Shipping}: the external shipping provider, a Java fake ({@link Shipping}).
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
 *
 * <p>The third: the Orders replica answers Place before its write is synced
 * (orders_ack_early.wasm), so a crash right after the answer loses an order the customer was
 * told is placed. The fourth: the replicas send each order to each other once and never again
 * (orders_stale.wasm), so an order placed during a partition is missing from the other replica
 * after the partition heals.
 */
public final class ShopSample {
    public static final String CATALOG = "shop.v1.Catalog";
    public static final String INVENTORY = "shop.v1.Inventory";
    public static final String CHECKOUT = "shop.v1.Checkout";
    public static final String PAYMENTS = "shop.v1.Payments";
    public static final String ORDERS = "shop.v1.Orders";
    public static final String SHIPPING = "shop.v1.Shipping";
    /** The Orders replicas' node names. */
    public static final List<String> ORDER_REPLICAS = List.of("orders-1", "orders-2");

    /** Kind of Blue, 39.00 in the catalog (samples/shop/catalog/catalog.ts). */
    public static final String KIND_OF_BLUE = "columbia-8163";
    public static final long KIND_OF_BLUE_CENTS = 3900;

    private ShopSample() {
    }

    /** Modules by file under samples/shop, loaded once per JVM (a sweep opens the shop once per seed). */
    private static final Map<String, GuestModule> MODULES = new java.util.concurrent.ConcurrentHashMap<>();

    private static GuestModule module(String file, String name) {
        return MODULES.computeIfAbsent(file, f -> GuestModule.load(shop().resolve(f)).named(name));
    }

    public static GuestModule catalog() {
        return module("catalog/catalog.wasm", "catalog");
    }

    public static GuestModule inventory() {
        return module("inventory/inventory.wasm", "inventory");
    }

    /**
     * The Orders module the test parameters name: {@code shop.orders=fixed} (default),
     * {@code ack-early} (the third bug: Place answers before its write is synced) or
     * {@code stale} (the fourth: each order is sent to the other replica once, never again).
     */
    public static GuestModule orders(Sim sim) {
        String variant = sim.parameter("shop.orders", "fixed");
        if (!ORDERS_FILES.containsKey(variant)) {
            throw new IllegalArgumentException("shop.orders is '" + variant + "'; use fixed, ack-early or stale");
        }
        return orders(variant);
    }

    /** The Orders modules by variant. */
    private static final Map<String, String> ORDERS_FILES = Map.of("fixed", "orders/orders.wasm",
            "ack-early", "orders/orders_ack_early.wasm", "stale", "orders/orders_stale.wasm");

    /** The Orders module of one variant: {@code fixed}, {@code ack-early} or {@code stale}. */
    public static GuestModule orders(String variant) {
        String file = ORDERS_FILES.get(variant);
        if (file == null) {
            throw new IllegalArgumentException("no Orders variant '" + variant + "'; use fixed, ack-early or stale");
        }
        return module(file, "orders");
    }

    /** The checkout that reserves atomically. */
    public static GuestModule fixedCheckout() {
        return module("checkout/checkout.wasm", "checkout");
    }

    /** The checkout that reads the stock and writes it back two calls later. */
    public static GuestModule buggyCheckout() {
        return module("checkout/checkout_buggy.wasm", "checkout");
    }

    /** The checkout that retries a late Charge with a new idempotency key (the double charge). */
    public static GuestModule retryBuggyCheckout() {
        return module("checkout/checkout_retry_buggy.wasm", "checkout");
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

    /**
     * Crashes where durability bugs hide (the built-in crash points: after a handler issued an
     * unsynced write, after a reply, after any step), at most 3 per run, each node back 10 to
     * 100 ms later; unsynced writes are lost at a crash with probability 1/2 (the default).
     */
    public static FaultProfile crashes() {
        return FaultProfile.builder().label("crashes")
                .process(p -> p.crashPoints(CrashPoints.defaults())
                        .restartDelay(Duration.ofMillis(10), Duration.ofMillis(100)))
                .build();
    }

    /**
     * Random partitions: at each 10 ms tick, with probability 0.2, the nodes split into two
     * random sides for 20 to 200 ms.
     */
    public static FaultProfile partitions() {
        return FaultProfile.builder().label("partitions")
                .network(n -> n.partitions(0.2).partitionDuration(Duration.ofMillis(20), Duration.ofMillis(200)))
                .build();
    }

    /** samples/shop, from the repository root or from samples/ (Maven's working directory). */
    public static Path shop() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("samples/shop/checkout"))) {
                return p.resolve("samples/shop");
            }
        }
        throw new IllegalStateException("samples/shop not found above " + Path.of("").toAbsolutePath()
                + "; run from the repository or from samples/");
    }

    /** The external providers of a world's shop, for the test to inspect. */
    public record Providers(Payments payments, Shipping shipping) {
    }

    /**
     * Adds the whole shop to the world: the catalog, the inventory, {@code checkout}, the two
     * Orders replicas (the module the parameter {@code shop.orders} names) and the payment and
     * shipping providers.
     */
    public static Providers open(Sim sim, GuestModule checkout) {
        return open(sim, checkout, orders(sim));
    }

    /** {@link #open(Sim, GuestModule)} with the Orders module given. */
    public static Providers open(Sim sim, GuestModule checkout, GuestModule orders) {
        sim.add(catalog()).add(inventory()).add(checkout);
        for (String replica : ORDER_REPLICAS) {
            // Every replica gets the whole list and leaves itself out (as in samples/shop/shop.yaml).
            sim.add(orders, NodeOptions.named(replica).env("PEERS", String.join(",", ORDER_REPLICAS)));
        }
        return addProviders(sim);
    }

    /**
     * Adds the Java fakes of the payment and shipping providers (what a world from
     * samples/shop/shop.yaml needs besides the manifest's nodes).
     */
    public static Providers addProviders(Sim sim) {
        Payments payments = new Payments();
        Shipping shipping = new Shipping();
        sim.add("payments", payments.service()).add("shipping", shipping.service());
        return new Providers(payments, shipping);
    }

    /**
     * The external payment provider: charges once per idempotency key (a retry with a key it
     * has seen answers the first charge again), and remembers every charge it made. As a
     * {@code Supplier<JavaService>} it is also what the runner places in a unit of the shop's
     * processes: {@code --java-in storefront:payments=dev.parigot.sim.samples.ShopSample.Payments}.
     */
    public static final class Payments implements java.util.function.Supplier<JavaService> {
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

        /** The service, for a unit the runner starts (docs/runner.md). */
        @Override
        public JavaService get() {
            return service();
        }

        /** The charges made, one per idempotency key, in order. */
        public List<ChargeRequest> charges() {
            return new ArrayList<>(charges.values());
        }
    }

    /**
     * The external shipping provider: one parcel per order id, asked again answers the same
     * tracking id. Also the runner's {@code --java-in storefront:shipping=dev.parigot.sim.samples.ShopSample.Shipping}.
     */
    public static final class Shipping implements java.util.function.Supplier<JavaService> {
        private final Map<String, String> parcels = new LinkedHashMap<>();

        JavaService service() {
            return JavaService.builder(SHIPPING)
                    .method("Ship", ShipRequest.parser(), (req, call) -> {
                        if (req.getOrderId().isEmpty() || req.getQuantity() <= 0) {
                            call.fail(Status.INVALID_ARGUMENT);
                            return;
                        }
                        String tracking = parcels.computeIfAbsent(req.getOrderId(), id -> "trk-" + (parcels.size() + 1));
                        call.reply(ShipReply.newBuilder().setTrackingId(tracking).build());
                    })
                    .build();
        }

        /** The service, for a unit the runner starts (docs/runner.md). */
        @Override
        public JavaService get() {
            return service();
        }

        /** Order ids shipped, each once, in order. */
        public List<String> shipped() {
            return new ArrayList<>(parcels.keySet());
        }
    }

    /**
     * One buyer places one order for Kind of Blue (ten in stock). Whatever the network did to
     * the order, the provider must have charged the buyer at most once: the world fails with
     * "a customer is charged at most once per order" (naming the idempotency keys) if not.
     */
    public static void oneOrder(Sim sim, GuestModule checkout) {
        Payments payments = open(sim, checkout).payments();
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
        Payments payments = open(sim, checkout).payments();
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

    /** Customers of {@link #ordersAreKept}, and the records they buy in turn. */
    static final List<String> CUSTOMERS = List.of("buyer-1", "buyer-2", "buyer-3", "buyer-4");
    static final List<String> SKUS = List.of("blue-note-1577", "columbia-8163", "harvest-11163", "parlophone-7027");

    /**
     * Orders are kept: eight orders from four customers, one every 25 ms, under the test's fault
     * profile. Then the faults stop ({@link Sim#calm()}) and the world gets 2 s to recover (crashed
     * nodes restart, replicas catch up). Every order a customer was told is placed must then be
     * listed by both Orders replicas; the world fails with "every acknowledged order is kept by
     * every replica once the faults stop" naming each missing order and the replica missing it.
     */
    public static void ordersAreKept(Sim sim, GuestModule checkout) {
        ordersAreKept(sim, checkout, orders(sim));
    }

    /** {@link #ordersAreKept(Sim, GuestModule)} with the Orders module given. */
    public static void ordersAreKept(Sim sim, GuestModule checkout, GuestModule ordersModule) {
        open(sim, checkout, ordersModule);
        TestClient clerkClient = sim.client("clerk");
        ShopClient clerk = new ShopClient(clerkClient);
        for (String sku : SKUS) {
            retrying(sim, clerkClient, "SetStock " + sku, () -> clerk.setStock(sku, 10));
        }
        Map<String, ShopClient> buyers = new TreeMap<>();
        CUSTOMERS.forEach(c -> buyers.put(c, new ShopClient(sim.client(c))));
        List<SimFuture<OrderReply>> orders = new ArrayList<>();
        List<String> what = new ArrayList<>();
        TestClient timer = sim.client("timer");
        for (int i = 0; i < 8; i++) {
            String customer = CUSTOMERS.get(i % CUSTOMERS.size());
            String sku = SKUS.get(i / CUSTOMERS.size() + i % 2);
            what.add(customer + " bought 1 x " + sku);
            timer.schedule(Duration.ofMillis(25L * i), () -> orders.add(buyers.get(customer).checkout(customer, sku, 1)));
        }
        sim.runFor(Duration.ofMillis(600));
        sim.calm();
        sim.runFor(Duration.ofSeconds(2));

        Map<String, String> acknowledged = new TreeMap<>(); // order id -> what
        for (int i = 0; i < orders.size(); i++) {
            if (orders.get(i).isOk()) {
                acknowledged.put(orders.get(i).get().getOrderId(), what.get(i));
            }
        }
        Map<String, Set<String>> kept = new TreeMap<>(); // replica -> order ids it lists
        for (String replica : ORDER_REPLICAS) {
            TestClient readerClient = sim.client("reader-" + replica);
            ShopClient reader = new ShopClient(readerClient);
            Set<String> ids = new TreeSet<>();
            for (String customer : CUSTOMERS) {
                ListOrdersReply listed = retrying(sim, readerClient, "List " + customer + " on " + replica,
                        () -> reader.orders(ORDERS + "@" + replica, customer));
                listed.getOrdersList().stream().map(Order::getOrderId).forEach(ids::add);
            }
            kept.put(replica, ids);
        }
        sim.verify("every acknowledged order is kept by every replica once the faults stop", () -> {
            List<String> missing = new ArrayList<>();
            acknowledged.forEach((id, order) -> kept.forEach((replica, ids) -> {
                if (!ids.contains(id)) {
                    missing.add(replica + " does not have " + id + " (" + order + ")");
                }
            }));
            if (!missing.isEmpty()) {
                throw new AssertionError(acknowledged.size() + " orders acknowledged; 2 s after the faults stopped "
                        + String.join("; ", missing));
            }
        });
        sim.assertSometimes("some orders are acknowledged", !acknowledged.isEmpty());
        sim.run();
    }

    /**
     * An idempotent call a test client makes until it is answered OK: a call to a node that
     * crashes is never answered (as on a real network), so each attempt gets 200 ms before the
     * next one is sent; after 20 attempts the world fails with the last status.
     */
    static <T> T retrying(Sim sim, TestClient client, String what, java.util.function.Supplier<SimFuture<T>> call) {
        long wait = Duration.ofMillis(200).toNanos();
        SimFuture<T> last = null;
        for (int attempt = 1; attempt <= 20; attempt++) {
            SimFuture<T> f = call.get();
            last = f;
            long deadline = sim.nowNanos() + wait;
            client.schedule(Duration.ofNanos(wait), () -> { }); // keeps the world going until the deadline
            sim.runUntil(() -> f.isDone() || sim.nowNanos() >= deadline);
            if (f.isOk()) {
                return f.get();
            }
        }
        throw new AssertionError(what + ": no OK answer in 20 attempts of 200 ms; last: "
                + (last.isDone() ? last.status() : "no answer"));
    }
}
