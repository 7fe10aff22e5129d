package dev.parigot.sim.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parigot.sim.samples.shop.v1.ListOrdersReply;
import dev.parigot.sim.samples.shop.v1.ListOrdersRequest;
import dev.parigot.sim.samples.shop.v1.OrderReply;
import dev.parigot.sim.samples.shop.v1.OrderRequest;
import dev.parigot.sim.samples.shop.v1.SetStockRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status.Code;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage that outlives the process and units that come back: the shop from its manifest with
 * {@code run --data DIR --restarts 1}; the orders unit is killed with SIGKILL after taking an
 * order, the launcher starts it again on its ports, and the order is still there, read from the
 * files its replicas synced.
 */
class RestartTest {
    private static final Set<Code> WHILE_COMING_BACK = Set.of(Code.UNAVAILABLE, Code.DEADLINE_EXCEEDED);

    /** {@code fullMethod} again while the unit is coming back, a fifth of a second apart, at most {@code attempts} times. */
    private static byte[] retrying(ManagedChannel channel, String fullMethod, byte[] request, int attempts) {
        return Modules.callRetrying(channel, fullMethod, request, attempts, WHILE_COMING_BACK, 200);
    }

    @Test
    void aKilledUnitComesBackOnItsPortsWithWhatItsNodesSynced(@TempDir Path data, @TempDir Path compiled)
            throws Exception {
        UnitProcesses.Options options = UnitProcesses.Options.DEFAULT.withData(data).withRestarts(1)
                .withCompiled(compiled);
        try (UnitProcesses units = UnitProcesses.start(ManifestRunTest.specs(), line -> { }, options)) {
            // Each unit compiled its modules into the directory: the restart below loads them from there.
            String ordersModule = dev.parigot.sim.kernel.GuestModule.load(ManifestRunTest.specs().stream()
                    .filter(u -> u.name().equals("orders")).findFirst().orElseThrow().nodes().get(0).module()).digest();
            try (java.util.stream.Stream<Path> files = Files.walk(compiled)) {
                assertThat(files.map(p -> p.getFileName().toString())).contains(ordersModule + ".classes");
            }
            String ordersAt = units.targets().get("orders");
            ManagedChannel toStock = Modules.channel(units.targets().get("stock"));
            ManagedChannel toStorefront = Modules.channel(units.targets().get("storefront"));
            ManagedChannel toOrders = Modules.channel(ordersAt);
            try {
                Modules.call(toStock, "shop.v1.Inventory/SetStock", SetStockRequest.newBuilder()
                        .setSku("verve-8526").setStock(100).build().toByteArray());
                byte[] request = OrderRequest.newBuilder().setCustomer("ines").setSku("verve-8526").setQuantity(1)
                        .build().toByteArray();
                OrderReply first = OrderReply.parseFrom(retrying(toStorefront, "shop.v1.Checkout/Checkout", request, 10));
                assertThat(Files.list(data.resolve("orders")).map(p -> p.getFileName().toString()))
                        .contains("orders-1.disk", "orders-2.disk");

                ProcessHandle killed = units.process("orders");
                killed.destroyForcibly(); // SIGKILL: no shutdown hook, nothing flushed but what was synced
                assertThat(killed.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
                for (int i = 0; i < 600 && (units.restarts("orders") == 0 || units.process("orders").pid() == killed.pid()
                        || units.targets().get("orders") == null); i++) { // its address is known once it printed it
                    TimeUnit.MILLISECONDS.sleep(100);
                }
                assertThat(units.restarts("orders")).isEqualTo(1);
                assertThat(units.targets().get("orders")).isEqualTo(ordersAt);
                // Serving again once it printed its address; the health service says so on the same port.
                for (int i = 0; i < 100 && !serving(toOrders); i++) {
                    TimeUnit.MILLISECONDS.sleep(200);
                }
                assertThat(serving(toOrders)).isTrue();

                ListOrdersReply listed = ListOrdersReply.parseFrom(retrying(toOrders, "shop.v1.Orders/List",
                        ListOrdersRequest.newBuilder().setCustomer("ines").build().toByteArray(), 50));
                assertThat(listed.getOrdersList()).extracting(o -> o.getOrderId()).contains(first.getOrderId());

                // The storefront's checkout reaches the restarted orders on the address it always had.
                OrderReply second = OrderReply.parseFrom(retrying(toStorefront, "shop.v1.Checkout/Checkout",
                        OrderRequest.newBuilder().setCustomer("ines").setSku("verve-8526").setQuantity(1).build()
                                .toByteArray(), 50));
                assertThat(second.getOrderId()).isNotEqualTo(first.getOrderId());
                assertThat(units.outcome()).isNotDone();
            } finally {
                Modules.close(toStock);
                Modules.close(toStorefront);
                Modules.close(toOrders);
            }
        }
    }

    private static boolean serving(ManagedChannel channel) {
        try {
            return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().setService("shop.v1.Orders").build())
                    .getStatus() == ServingStatus.SERVING;
        } catch (StatusRuntimeException e) {
            return false;
        }
    }

    @Test
    void aDataDirectoryThatIsAFileOrInUseIsRefusedNamingIt(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> UnitHost.builder("catalog").node(UnitNode.of(Modules.CATALOG, "catalog"))
                .data(file).log(line -> { }).start())
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("unit catalog cannot use the data directory").hasMessageContaining("not-a-dir");
        Path shared = dir.resolve("shared");
        try (UnitHost first = UnitHost.builder("one").node(UnitNode.of(Modules.CATALOG, "catalog")).data(shared)
                .log(line -> { }).start()) {
            assertThat(first.exports()).containsExactly("shop.v1.Catalog");
            assertThatThrownBy(() -> UnitHost.builder("two").node(UnitNode.of(Modules.CATALOG, "catalog"))
                    .data(shared).log(line -> { }).start())
                    .hasMessageContaining("unit two cannot use the data directory")
                    .hasMessageContaining("in use by another unit");
        }
    }
}
