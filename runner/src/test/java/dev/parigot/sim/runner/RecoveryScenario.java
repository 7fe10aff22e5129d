package dev.parigot.sim.runner;

import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimFuture;
import dev.parigot.sim.kernel.TestClient;
import dev.parigot.sim.manifest.Manifest;
import dev.parigot.sim.samples.shop.v1.ListOrdersReply;
import dev.parigot.sim.samples.shop.v1.ListOrdersRequest;
import dev.parigot.sim.samples.shop.v1.Order;
import dev.parigot.sim.samples.shop.v1.OrderReply;
import dev.parigot.sim.samples.shop.v1.OrderRequest;
import dev.parigot.sim.samples.shop.v1.SetStockRequest;
import dev.parigot.sim.samples.shop.v1.StockReply;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A measurement, not a test (issue 12's "the same scenario in the simulation and over the wire"),
 * for a scenario in which time passes: the record shop from samples/shop/shop.yaml takes eight
 * orders from four customers, then its orders unit (both replicas) is killed, and the scenario
 * ends when every customer's List shows every order again, read back from storage after the
 * restart. (1) In one simulated world: {@code sim.crash} of both replicas, restarted after 1 s of
 * virtual time (what a JVM takes to come back). (2) Over the wire: the manifest's three units as
 * processes with {@code --data} and {@code --restarts}, the orders unit killed with SIGKILL and
 * started again by the launcher. Both poll List every 200 ms until it is complete. Prints wall time
 * per scenario for both: for the simulation the first world in the JVM, then per round the mean
 * of 20 worlds (20 seeds, as a sweep runs them) after a warm-up of 50; over the wire one scenario
 * per round, the units kept running. docs/runner.md gives the command and the figures.
 */
public final class RecoveryScenario {
    private static final String SKU = "verve-8526";
    private static final int ORDERS = 8;
    private static final long POLL_MILLIS = 200;

    private RecoveryScenario() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Manifest manifest = ShopFakes.shopManifest();
        Path data = Files.createTempDirectory("parigot-recovery");
        UnitProcesses.Options options = UnitProcesses.Options.DEFAULT.withData(data).withRestarts(rounds + 1);
        try (UnitProcesses units = UnitProcesses.start(ManifestRunTest.specs(), line -> { }, options)) {
            ManagedChannel stock = Modules.channel(units.targets().get("stock"));
            ManagedChannel storefront = Modules.channel(units.targets().get("storefront"));
            ManagedChannel orders = Modules.channel(units.targets().get("orders"));
            Modules.call(stock, "shop.v1.Inventory/SetStock", SetStockRequest.newBuilder().setSku(SKU)
                    .setStock(100_000).build().toByteArray());
            double[] first = simulated(manifest, 0);
            System.out.printf(Locale.ROOT, "(the first simulated world in this JVM: %.3f s, %.1f s virtual)%n",
                    first[0], first[1]);
            for (int i = 1; i <= 50; i++) { // warm-up of each
                simulated(manifest, i);
            }
            overTheWire(units, storefront, orders, 0);
            System.out.printf(Locale.ROOT, "| round | simulation: s per scenario (mean of 20 seeds) | virtual s"
                    + " | over the wire: s per scenario | wire / simulation |%n|---|---|---|---|---|%n");
            for (int round = 1; round <= rounds; round++) {
                double wall = 0;
                double virtual = 0;
                for (int seed = 0; seed < 20; seed++) {
                    double[] sim = simulated(manifest, 1000 * round + seed);
                    wall += sim[0] / 20;
                    virtual += sim[1] / 20;
                }
                double wire = overTheWire(units, storefront, orders, round);
                System.out.printf(Locale.ROOT, "| %d | %.4f | %.2f | %.3f | %.0fx |%n", round, wall, virtual, wire,
                        wire / wall);
            }
            Modules.close(stock);
            Modules.close(storefront);
            Modules.close(orders);
        }
        System.exit(0);
    }

    private static String customer(int round, int i) {
        return "r" + round + "-c" + (i % 4);
    }

    /** Wall seconds and virtual seconds of the scenario in one world from the manifest. */
    private static double[] simulated(Manifest manifest, int round) {
        long start = System.nanoTime();
        Sim sim = ShopFakes.shopWorld(manifest, round + 1);
        TestClient client = sim.client("customer");
        sim.await(client.call("shop.v1.Inventory", "SetStock", SetStockRequest.newBuilder().setSku(SKU)
                .setStock(100).build(), StockReply.parser()));
        Set<String> placed = new HashSet<>();
        for (int i = 0; i < ORDERS; i++) {
            placed.add(sim.await(client.call("shop.v1.Checkout", "Checkout", OrderRequest.newBuilder()
                    .setCustomer(customer(round, i)).setSku(SKU).setQuantity(1).build(), OrderReply.parser()))
                    .getOrderId());
        }
        sim.crash("orders-1", Duration.ofSeconds(1)).crash("orders-2", Duration.ofSeconds(1));
        long began = sim.nowNanos();
        while (!listed(sim, client, round).containsAll(placed)) {
            if (sim.nowNanos() - began > Duration.ofSeconds(60).toNanos()) {
                throw new AssertionError("the orders did not come back within 60 s of virtual time");
            }
        }
        if (sim.failure().isPresent()) {
            throw new AssertionError(sim.failure().get().reason());
        }
        return new double[] {(System.nanoTime() - start) / 1e9, sim.nowNanos() / 1e9};
    }

    /** Every order the round's customers' List shows; a List not answered within a poll counts as none. */
    private static Set<String> listed(Sim sim, TestClient client, int round) {
        Set<String> ids = new HashSet<>();
        for (int c = 0; c < 4; c++) {
            SimFuture<ListOrdersReply> f = client.call("shop.v1.Orders", "List", ListOrdersRequest.newBuilder()
                    .setCustomer(customer(round, c)).build(), ListOrdersReply.parser());
            long deadline = sim.nowNanos() + TimeUnit.MILLISECONDS.toNanos(POLL_MILLIS);
            client.schedule(Duration.ofMillis(POLL_MILLIS), () -> { });
            sim.runUntil(() -> f.isDone() || sim.nowNanos() >= deadline);
            if (f.isOk()) {
                f.get().getOrdersList().stream().map(Order::getOrderId).forEach(ids::add);
            }
        }
        return ids;
    }

    /** Wall seconds of the scenario through the running units: eight checkouts, kill -9, restart, List. */
    private static double overTheWire(UnitProcesses units, ManagedChannel storefront, ManagedChannel orders, int round)
            throws Exception {
        long start = System.nanoTime();
        Set<String> placed = new HashSet<>();
        for (int i = 0; i < ORDERS; i++) {
            byte[] request = OrderRequest.newBuilder().setCustomer(customer(round, i)).setSku(SKU).setQuantity(1)
                    .build().toByteArray();
            placed.add(OrderReply.parseFrom(Modules.callRetryingDeadlines(storefront, "shop.v1.Checkout/Checkout",
                    request, 20)).getOrderId());
        }
        ProcessHandle killed = units.process("orders");
        killed.destroyForcibly();
        killed.onExit().get(30, TimeUnit.SECONDS);
        while (true) {
            Set<String> ids = new HashSet<>();
            for (int c = 0; c < 4; c++) {
                try {
                    ListOrdersReply reply = ListOrdersReply.parseFrom(io.grpc.stub.ClientCalls.blockingUnaryCall(
                            orders, RawBytes.unary("shop.v1.Orders/List"), io.grpc.CallOptions.DEFAULT
                                    .withDeadlineAfter(2, TimeUnit.SECONDS), ListOrdersRequest.newBuilder()
                                    .setCustomer(customer(round, c)).build().toByteArray()));
                    reply.getOrdersList().stream().map(Order::getOrderId).forEach(ids::add);
                } catch (StatusRuntimeException down) {
                    // still restarting
                }
            }
            if (ids.containsAll(placed)) {
                break;
            }
            if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(120)) {
                throw new AssertionError("the orders did not come back within 120 s");
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
