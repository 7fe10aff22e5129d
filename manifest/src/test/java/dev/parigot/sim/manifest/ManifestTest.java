package dev.parigot.sim.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parigot.sim.kernel.Sim;
import dev.parigot.sim.kernel.SimConfig;
import dev.parigot.sim.kernel.TestClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a manifest: nodes, replicas, units, modules, and a world built from it. */
class ManifestTest {
    static final String BANK = Guests.text("""
            # The bank sample: a Teller in front of a Ledger.
            version: 1
            nodes:
              ledger:
                module: $SAMPLES/ledger.wasm
                env:
                  LOG_LEVEL: debug
                  SHARDS: 4
              teller:
                module: $SAMPLES/teller.wasm
                args: [--account, acct-17]
            units:
              store:
                nodes: [ledger]
              front:
                nodes: [teller]
            """);

    @Test
    void readsNodesInFileOrderWithTheirEnvironmentArgumentsAndUnits() {
        Manifest manifest = Manifest.parse(BANK, Path.of("."));

        assertThat(manifest.nodes()).extracting(Manifest.Node::name).containsExactly("ledger", "teller");
        Manifest.Node ledger = manifest.node("ledger");
        assertThat(ledger.environment()).containsExactly(Map.entry("LOG_LEVEL", "debug"), Map.entry("SHARDS", "4"));
        assertThat(ledger.arguments()).isEmpty();
        assertThat(ledger.unit()).isEqualTo("store");
        assertThat(ledger.line()).isEqualTo(4);
        assertThat(ledger.moduleFile()).isEqualTo(Guests.SAMPLES.resolve("ledger.wasm"));
        assertThat(ledger.module().name()).isEqualTo("ledger");
        Manifest.Node teller = manifest.node("teller");
        assertThat(teller.arguments()).containsExactly("--account", "acct-17");
        assertThat(teller.environment()).isEmpty();
        assertThat(teller.unit()).isEqualTo("front");
        assertThat(manifest.units()).extracting(Manifest.Unit::name, Manifest.Unit::nodes)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("store", List.of("ledger")),
                        org.assertj.core.groups.Tuple.tuple("front", List.of("teller")));
    }

    @Test
    void aNodesOptionsCarryItsNameEnvironmentAfterParigotNodeAndArguments() {
        Manifest.Node ledger = Manifest.parse(BANK, Path.of(".")).node("ledger");

        assertThat(ledger.options().name()).isEqualTo("ledger");
        assertThat(ledger.options().environment()).containsExactly(Map.entry("PARIGOT_NODE", "ledger"),
                Map.entry("LOG_LEVEL", "debug"), Map.entry("SHARDS", "4"));
    }

    @Test
    void replicasExpandToNumberedNodesThatAUnitNamesTogetherOrOneByOne() {
        Manifest manifest = Manifest.parse(Guests.text("""
                version: 1
                nodes:
                  kv:
                    module: $SAMPLES/rkv_fixed.wasm
                    replicas: 3
                    env: {PEERS: "kv-1,kv-2,kv-3"}
                units:
                  first:
                    nodes: [kv-1]
                  rest:
                    nodes: [kv-2, kv-3]
                """), Path.of("."));

        assertThat(manifest.nodes()).extracting(Manifest.Node::name).containsExactly("kv-1", "kv-2", "kv-3");
        assertThat(manifest.nodes()).extracting(Manifest.Node::declaredAs).containsOnly("kv");
        assertThat(manifest.nodes()).extracting(Manifest.Node::unit).containsExactly("first", "rest", "rest");
        assertThat(manifest.node("kv-2").environment()).containsEntry("PEERS", "kv-1,kv-2,kv-3");

        Manifest together = Manifest.parse(Guests.text("""
                version: 1
                nodes:
                  kv: {module: $SAMPLES/rkv_fixed.wasm, replicas: 2}
                units:
                  all: {nodes: [kv]}
                """), Path.of("."));
        assertThat(together.units().get(0).nodes()).containsExactly("kv-1", "kv-2");
    }

    @Test
    void replicasThatRequireTheServiceTheyExportArePeersNotACycle() {
        // rkv_fixed exports rkv.v1.Replica and requires it (its peers'), and requires the kernel's storage.
        Manifest manifest = Manifest.parse(Guests.text("""
                version: 1
                nodes:
                  kv: {module: $SAMPLES/rkv_fixed.wasm, replicas: 3}
                units:
                  kv: {nodes: [kv]}
                """), Path.of("."));

        assertThat(manifest.nodes()).hasSize(3);
    }

    @Test
    void oneModuleFileIsLoadedOnceForAllTheNodesThatRunIt() {
        Manifest manifest = Manifest.parse(Guests.text("""
                version: 1
                nodes:
                  kv: {module: $SAMPLES/rkv_fixed.wasm, replicas: 2}
                  spare: {module: $SAMPLES/../guests/rkv_fixed.wasm}
                units:
                  kv: {nodes: [kv, spare]}
                """), Path.of("."));

        assertThat(manifest.node("kv-1").module()).isSameAs(manifest.node("kv-2").module())
                .isSameAs(manifest.node("spare").module());
    }

    @Test
    void loadResolvesModulePathsAgainstTheManifestsDirectory(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("app/guests"));
        Files.copy(Guests.SAMPLES.resolve("ledger.wasm"), dir.resolve("app/guests/ledger.wasm"));
        Path file = dir.resolve("app/bank.yaml");
        Files.writeString(file, """
                version: 1
                nodes:
                  ledger: {module: guests/ledger.wasm}
                units:
                  store: {nodes: [ledger]}
                """);

        Manifest manifest = Manifest.load(file);

        assertThat(manifest.node("ledger").moduleFile()).isEqualTo(dir.resolve("app/guests/ledger.wasm")
                .toAbsolutePath().normalize());
        assertThat(manifest.source()).isEqualTo(file.toString());
    }

    @Test
    void servicesTheCallerProvidesInJavaCountAsExported() {
        String checkoutAlone = Guests.text("""
                version: 1
                nodes:
                  checkout: {module: $SAMPLES/checkout.wasm}
                units:
                  shop: {nodes: [checkout]}
                """);

        assertThatThrownBy(() -> Manifest.parse(checkoutAlone, Path.of("."))).isInstanceOf(ManifestException.class)
                .hasMessageContaining("unit 'shop' requires payments.v1.Gateway");
        assertThat(Manifest.parse(checkoutAlone, Path.of("."), Set.of("payments.v1.Gateway")).nodes()).hasSize(1);
    }

    @Test
    void addToGivesTheWorldEveryNodeWithItsOptionsInManifestOrder() {
        Manifest manifest = Manifest.parse(BANK, Path.of("."));
        Sim sim = Sim.create(SimConfig.builder().seed(7).echoLog(false).build());

        manifest.addTo(sim).boot();

        assertThat(sim.nodes()).containsExactly("ledger", "teller");
        assertThat(sim.exportsOf("ledger")).containsExactly("bank.v1.Ledger");
        assertThat(sim.exportsOf("teller")).containsExactly("bank.v1.Teller");
        assertThat(sim.moduleDigests()).containsEntry("ledger", manifest.node("ledger").module().digest());
    }

    @Test
    void addToGivesEachReplicaItsOwnNameAndTheFilesEnvironmentAndArguments() {
        // wasi_probe answers Env with "PARIGOT_NODE|PEERS" and Args with its argv, as WASI shows them.
        Manifest manifest = Manifest.parse(Guests.text("""
                version: 1
                nodes:
                  probe:
                    module: $KERNEL/wasi_probe.wasm
                    replicas: 2
                    env: {PEERS: "probe-1,probe-2"}
                    args: [--fast]
                units:
                  probes: {nodes: [probe]}
                """), Path.of("."));
        Sim sim = Sim.create(SimConfig.builder().seed(7).echoLog(false).build());
        manifest.addTo(sim);
        TestClient client = sim.client("client");

        assertThat(sim.nodes()).containsExactly("probe-1", "probe-2", "client");
        assertThat(text(sim.await(client.call("test.v1.Probe@probe-2", "Env", new byte[0]))))
                .isEqualTo("probe-2|probe-1,probe-2");
        assertThat(text(sim.await(client.call("test.v1.Probe@probe-1", "Args", new byte[0]))))
                .isEqualTo("probe-1 --fast");
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
