package dev.parigot.sim.runner;

import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimFuture;
import dev.parigot.sim.kernel.TestClient;
import dev.parigot.sim.manifest.Manifest;
import dev.parigot.sim.samples.shop.v1.OrderReply;
import dev.parigot.sim.samples.shop.v1.OrderRequest;
import dev.parigot.sim.samples.shop.v1.SetStockRequest;
import dev.parigot.sim.samples.shop.v1.StockReply;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Locale;

/**
 * A measurement, not a test (issue 12's "the same scenario in the simulation and over the wire"):
 * the record shop from samples/shop/shop.yaml takes 1,000 checkouts (or the second argument), one after another, (1) in one
 * simulated world built from the manifest, (2) as the manifest's three units, each its own JVM,
 * over loopback gRPC. Each checkout is six calls across services (price, reserve, charge, place,
 * replicate, ship). Prints wall time per scenario and checkouts per second for both, alternating,
 * after a warm-up round of each; docs/runner.md gives the command and the figures.
 */
public final class CheckoutScenario {
    private static int CHECKOUTS = 1_000;
    private static final String SKU = "verve-8526";

    private CheckoutScenario() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        CHECKOUTS = args.length > 1 ? Integer.parseInt(args[1]) : CHECKOUTS;
        List<UnitSpec> specs = ManifestRunTest.specs();
        Manifest manifest = ShopFakes.shopManifest();
        try (UnitProcesses units = UnitProcesses.start(specs, line -> { })) {
            ManagedChannel stock = Modules.channel(units.targets().get("stock"));
            ManagedChannel storefront = Modules.channel(units.targets().get("storefront"));
            simulated(manifest); // warm-up of each
            overTheWire(stock, storefront);
            System.out.printf(Locale.ROOT, "| round | simulation: s per scenario | checkouts/s | over the wire: s per scenario"
                    + " | checkouts/s | simulation / wire |%n|---|---|---|---|---|---|%n");
            for (int round = 1; round <= rounds; round++) {
                double sim = simulated(manifest);
                double wire = overTheWire(stock, storefront);
                System.out.printf(Locale.ROOT, "| %d | %.3f | %,.0f | %.3f | %,.0f | %.0fx |%n", round, sim,
                        CHECKOUTS / sim, wire, CHECKOUTS / wire, wire / sim);
            }
            Modules.close(stock);
            Modules.close(storefront);
        }
        System.exit(0);
    }

    /** Seconds for 1,000 checkouts in one world from the manifest (and the Java fakes). */
    private static double simulated(Manifest manifest) {
        long start = System.nanoTime();
        Sim sim = ShopFakes.shopWorld(manifest, 1);
        TestClient client = sim.client("customer");
        sim.await(client.call("shop.v1.Inventory", "SetStock", SetStockRequest.newBuilder().setSku(SKU)
                .setStock(CHECKOUTS).build(), StockReply.parser()));
        for (int i = 0; i < CHECKOUTS; i++) {
            SimFuture<OrderReply> order = client.call("shop.v1.Checkout", "Checkout", OrderRequest.newBuilder()
                    .setCustomer("c" + i).setSku(SKU).setQuantity(1).build(), OrderReply.parser());
            sim.await(order);
        }
        sim.run();
        if (sim.failure().isPresent()) {
            throw new AssertionError(sim.failure().get().reason());
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Seconds for 1,000 checkouts through the running units (retrying the rare DEADLINE_EXCEEDED). */
    private static double overTheWire(ManagedChannel stock, ManagedChannel storefront) throws Exception {
        long start = System.nanoTime();
        Modules.call(stock, "shop.v1.Inventory/SetStock", SetStockRequest.newBuilder().setSku(SKU)
                .setStock(2 * CHECKOUTS).build().toByteArray()); // retried checkouts may take copies too
        int retries = 0;
        for (int i = 0; i < CHECKOUTS; i++) {
            byte[] request = OrderRequest.newBuilder().setCustomer("c" + i).setSku(SKU).setQuantity(1).build()
                    .toByteArray();
            while (true) {
                try {
                    OrderReply.parseFrom(Modules.call(storefront, "shop.v1.Checkout/Checkout", request));
                    break;
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED || ++retries > 100) {
                        throw e;
                    }
                }
            }
        }
        if (retries > 0) {
            System.out.printf("(over the wire: %d checkouts retried after DEADLINE_EXCEEDED)%n", retries);
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
