package dev.parigot.sim.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parigot.sim.samples.bank.v1.DepositReply;
import dev.parigot.sim.samples.bank.v1.DepositRequest;
import dev.parigot.sim.samples.shop.v1.ListOrdersReply;
import dev.parigot.sim.samples.shop.v1.ListOrdersRequest;
import dev.parigot.sim.samples.shop.v1.OrderReply;
import dev.parigot.sim.samples.shop.v1.OrderRequest;
import dev.parigot.sim.samples.shop.v1.SetStockRequest;
import dev.parigot.sim.kernel.DiskStore;
import io.grpc.ManagedChannel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's side: units as child JVMs, the handshake line, merged logs, a death reported. */
class UnitProcessesTest {
    static final UnitSpec TELLER = new UnitSpec("teller", List.of(UnitNode.of(Modules.TELLER, "teller")));
    static final UnitSpec LEDGER = new UnitSpec("ledger", List.of(UnitNode.of(Modules.LEDGER, "ledger")));

    @Test
    void twoUnitsStartInDependencyOrderTalkAndWhenOneDiesTheLauncherReportsItAndStopsTheOther() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        // The teller is listed first but requires the ledger's service: the ledger starts first.
        java.nio.file.Path compiled;
        try (UnitProcesses units = UnitProcesses.start(List.of(TELLER, LEDGER), log::add)) {
            // Compiled code goes to a temporary directory of the launcher's, which close() removes.
            compiled = units.compiledDirectory();
            assertThat(compiled).isDirectory();
            assertThat(units.targets()).containsOnlyKeys("ledger", "teller");
            assertThat(List.copyOf(log)).filteredOn(l -> l.startsWith("[launcher] unit ")).hasSize(2)
                    .first().asString().startsWith("[launcher] unit ledger serves [bank.v1.Ledger] at 127.0.0.1:");
            assertThat(units.targets().values()).allMatch(t -> t.matches("127\\.0\\.0\\.1:\\d+"));

            ManagedChannel channel = Modules.channel(units.targets().get("teller"));
            try {
                byte[] reply = Modules.call(channel, "bank.v1.Teller/Deposit",
                        DepositRequest.newBuilder().setAccount("acct-9").setAmount(7).build().toByteArray());
                assertThat(DepositReply.parseFrom(reply).getBalance()).isEqualTo(7);
            } finally {
                Modules.close(channel);
            }

            ProcessHandle ledger = units.process("ledger");
            ProcessHandle teller = units.process("teller");
            ledger.destroyForcibly();
            String report = units.outcome().get(60, TimeUnit.SECONDS);

            assertThat(report).startsWith("unit ledger exited with code 137")
                    .contains("stopping the other units: teller");
            teller.onExit().get(30, TimeUnit.SECONDS);
            assertThat(teller.isAlive()).isFalse();
            assertThat(List.copyOf(log)).anyMatch(l -> l.startsWith("[launcher] unit ledger exited with code 137"));
        }
        assertThat(compiled).doesNotExist();
    }

    @Test
    void theShopRunsAsFourProcessesInDependencyOrderAndTakesAnOrder() throws Exception {
        try (UnitProcesses units = UnitProcesses.start(ShopOverTheWireTest.units(), line -> { })) {
            assertThat(units.targets().keySet()).as("the checkout, listed first, starts last")
                    .containsExactly("catalog", "inventory", "orders", "checkout");
            ManagedChannel toInventory = Modules.channel(units.targets().get("inventory"));
            ManagedChannel toCheckout = Modules.channel(units.targets().get("checkout"));
            ManagedChannel toOrders = Modules.channel(units.targets().get("orders"));
            try {
                Modules.call(toInventory, "shop.v1.Inventory/SetStock", SetStockRequest.newBuilder()
                        .setSku("columbia-8163").setStock(100).build().toByteArray());
                OrderReply order = OrderReply.parseFrom(Modules.callRetryingDeadlines(toCheckout,
                        "shop.v1.Checkout/Checkout", OrderRequest.newBuilder().setCustomer("ada").setSku("columbia-8163")
                                .setQuantity(2).build().toByteArray(), 10));
                ListOrdersReply listed = ListOrdersReply.parseFrom(Modules.call(toOrders, "shop.v1.Orders/List",
                        ListOrdersRequest.newBuilder().setCustomer("ada").build().toByteArray()));

                assertThat(order.getTotalCents()).isEqualTo(7800);
                assertThat(order.getTrackingId()).isEqualTo("trk-" + order.getOrderId());
                assertThat(listed.getOrdersList()).extracting(o -> o.getOrderId()).contains(order.getOrderId());
            } finally {
                Modules.close(toInventory);
                Modules.close(toCheckout);
                Modules.close(toOrders);
            }
        }
    }

    @Test
    void theUnitCommandsFirstLineOfStandardOutputIsItsAddress() throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Launcher.class.getName()));
        command.addAll(Launcher.unitArguments(LEDGER, java.util.Map.of()));
        Process unit = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            java.util.concurrent.CompletableFuture<String> first = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new java.io.BufferedReader(new java.io.InputStreamReader(unit.getInputStream(),
                            java.nio.charset.StandardCharsets.UTF_8)).readLine();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(first.get(90, TimeUnit.SECONDS))
                    .matches("PARIGOT_UNIT 127\\.0\\.0\\.1:\\d+ connect=http://127\\.0\\.0\\.1:\\d+");
        } finally {
            unit.destroy();
            if (!unit.waitFor(10, TimeUnit.SECONDS)) {
                unit.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void afterACrashLeftATornTailTheHandshakeIsStillTheFirstLineOfStandardOutput(@TempDir Path data)
            throws Exception {
        // The inventory keeps its stock in the node's storage, so its unit loads its disk file at boot.
        UnitSpec stock = new UnitSpec("stock", List.of(UnitNode.of(ShopOverTheWireTest.SHOP.resolve(
                "inventory/inventory.wasm"), "inventory")));
        Path file;
        try (FileDisks disks = FileDisks.open(data)) {
            file = disks.fileOf("inventory");
            disks.sync("inventory", List.of(new DiskStore.Change("a", new byte[] {5})));
        }
        Files.write(file, "garbage!!".getBytes(StandardCharsets.US_ASCII), StandardOpenOption.APPEND);
        Path stderr = data.resolveSibling(data.getFileName() + ".stderr");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Launcher.class.getName()));
        command.addAll(Launcher.unitArguments(stock, java.util.Map.of()));
        command.addAll(List.of("--data", data.toString()));
        Process unit = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        try {
            CompletableFuture<String> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return new BufferedReader(new InputStreamReader(unit.getInputStream(), StandardCharsets.UTF_8))
                            .readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            assertThat(first.get(90, TimeUnit.SECONDS))
                    .matches("PARIGOT_UNIT 127\\.0\\.0\\.1:\\d+ connect=http://127\\.0\\.0\\.1:\\d+");
            // The warning about the torn tail was written while the unit booted, before the handshake: on standard error.
            assertThat(Files.readString(stderr)).contains("WARN  FileDisks " + file + ": dropped 9 bytes after offset");
        } finally {
            unit.destroy();
            if (!unit.waitFor(10, TimeUnit.SECONDS)) {
                unit.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(stderr);
        }
    }

    @Test
    void aRestartWhosePortWasTakenIsReportedWithTheExitCodeAndLinesOfThatStart() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        try (UnitProcesses units = UnitProcesses.start(List.of(LEDGER), log::add,
                UnitProcesses.Options.DEFAULT.withRestarts(1))) {
            String target = units.targets().get("ledger");
            int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
            ProcessHandle ledger = units.process("ledger");
            ledger.destroyForcibly();
            ledger.onExit().get(30, TimeUnit.SECONDS);
            // Another process takes the port before the restarted unit (a new JVM) can bind it.
            try (java.net.ServerSocket taken = new java.net.ServerSocket(port, 1,
                    java.net.InetAddress.getByName("127.0.0.1"))) {
                String report = units.outcome().get(120, TimeUnit.SECONDS);

                assertThat(report).startsWith("unit ledger exited with code 2; its last lines:")
                        .contains("cannot listen on " + target + ": ").contains("Address already in use; free the port");
                assertThat(units.restarts("ledger")).isEqualTo(1);
                assertThat(List.copyOf(log)).anyMatch(l -> l.startsWith("[launcher] unit ledger exited with code 137;"
                        + " restarting it (1 of 1) on " + target));
            }
        }
    }

    @Test
    void unitsThatCannotBeOrderedFailBeforeAnythingStarts() {
        assertThatThrownBy(() -> UnitProcesses.start(List.of(TELLER), l -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unit teller requires bank.v1.Ledger, which no unit exports; add a unit whose module"
                        + " exports it");
        Path guests = Path.of("..", "sim-kernel", "src", "test", "resources", "guests");
        List<UnitSpec> cycle = List.of(
                new UnitSpec("a", List.of(UnitNode.of(guests.resolve("cycle_a.wasm"), "a"))),
                new UnitSpec("b", List.of(UnitNode.of(guests.resolve("cycle_b.wasm"), "b"))),
                new UnitSpec("c", List.of(UnitNode.of(guests.resolve("cycle_c.wasm"), "c"))));
        assertThatThrownBy(() -> UnitProcesses.start(cycle, l -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("the units depend on each other in a cycle, so none can start first: a needs");
        assertThatThrownBy(() -> UnitProcesses.start(List.of(LEDGER, new UnitSpec("ledger-2",
                List.of(UnitNode.of(Modules.LEDGER, "ledger")))), l -> { }))
                .hasMessage("service bank.v1.Ledger is exported by both unit ledger and unit ledger-2; put its nodes"
                        + " in one unit");
    }
}
