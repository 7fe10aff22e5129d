package dev.parigot.sim.kernel;

import static dev.parigot.sim.kernel.StorageFaultsTest.delete;
import static dev.parigot.sim.kernel.StorageFaultsTest.op;
import static dev.parigot.sim.kernel.StorageFaultsTest.proxy;
import static dev.parigot.sim.kernel.StorageFaultsTest.readVia;
import static dev.parigot.sim.kernel.StorageFaultsTest.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parigot.sim.kernel.storage.v1.SyncRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A world given a {@link DiskStore} (what the runner does for a deployed unit with {@code --data})
 * loads each node's disk from it at boot and hands it every Sync: what was synced is there for the
 * next world, what was not is gone. A store that cannot read fails the boot naming the node; one
 * that cannot sync answers that Sync UNAVAILABLE.
 */
class DiskStoreTest {
    private static final String PROXY = "test.v1.Proxy";

    /** A store in memory that keeps each node's map, and what each sync handed it. */
    static final class MapDisks implements DiskStore {
        final Map<String, Map<String, byte[]>> nodes = new LinkedHashMap<>();
        final List<String> synced = new ArrayList<>();
        IOException failLoad;
        IOException failSync;

        @Override
        public Map<String, byte[]> load(String node) throws IOException {
            if (failLoad != null) {
                throw failLoad;
            }
            return new LinkedHashMap<>(nodes.getOrDefault(node, Map.of()));
        }

        @Override
        public void sync(String node, List<Change> changes) throws IOException {
            if (failSync != null) {
                throw failSync;
            }
            Map<String, byte[]> disk = nodes.computeIfAbsent(node, n -> new LinkedHashMap<>());
            for (Change c : changes) {
                synced.add(node + ":" + c.key() + "=" + (c.value() == null ? "(deleted)"
                        : new String(c.value(), StandardCharsets.UTF_8)));
                if (c.value() == null) {
                    disk.remove(c.key());
                } else {
                    disk.put(c.key(), c.value());
                }
            }
        }
    }

    private static Sim world(MapDisks disks) {
        Sim sim = Sim.create(SimConfig.builder().seed(1).echoLog(false).disks(disks).build());
        sim.add("proxy", proxy());
        return sim;
    }

    @Test
    void whatWasSyncedIsThereForTheNextWorldAndWhatWasNotIsGone() {
        MapDisks disks = new MapDisks();
        Sim first = world(disks);
        TestClient client = first.client("client");
        op(first, client, PROXY, "Write", write("kept", "one"));
        op(first, client, PROXY, "Write", write("gone", "two"));
        op(first, client, PROXY, "Delete", delete("gone"));
        op(first, client, PROXY, "Sync", SyncRequest.getDefaultInstance());
        op(first, client, PROXY, "Write", write("unsynced", "three"));
        assertThat(readVia(first, client, PROXY, "unsynced")).isEqualTo("three");
        assertThat(disks.synced).containsExactly("proxy:kept=one", "proxy:gone=two", "proxy:gone=(deleted)");
        op(first, client, PROXY, "Sync", SyncRequest.getDefaultInstance()); // nothing new but "unsynced"
        assertThat(disks.synced).hasSize(4).last().isEqualTo("proxy:unsynced=three");
        op(first, client, PROXY, "Write", write("lost", "four")); // never synced

        Sim second = world(disks);
        TestClient again = second.client("client");
        assertThat(readVia(second, again, PROXY, "kept")).isEqualTo("one");
        assertThat(readVia(second, again, PROXY, "unsynced")).isEqualTo("three");
        assertThat(readVia(second, again, PROXY, "gone")).isNull();
        assertThat(readVia(second, again, PROXY, "lost")).isNull();
        assertThat(second.failure()).isEmpty();
    }

    @Test
    void aDiskTheStoreCannotReadFailsTheBootNamingTheNodeAndTheReason() {
        MapDisks disks = new MapDisks();
        disks.failLoad = new IOException("/data/proxy.disk is not a parigot disk file (bad header)");
        Sim sim = world(disks);
        assertThatThrownBy(sim::run).hasMessageContaining("storage of node 'proxy' cannot be read");
        assertThat(sim.failure()).isPresent();
        assertThat(sim.failure().get().kind()).isEqualTo(FailureKind.BOOT);
        assertThat(sim.failure().get().reason()).contains("storage of node 'proxy' cannot be read")
                .contains("/data/proxy.disk is not a parigot disk file");
    }

    @Test
    void aSyncTheStoreRefusesIsUnavailableAndLogged() {
        MapDisks disks = new MapDisks();
        Sim sim = world(disks);
        TestClient client = sim.client("client");
        op(sim, client, PROXY, "Write", write("k", "v"));
        disks.failSync = new IOException("No space left on device");
        SimFuture<byte[]> sync = client.call(PROXY, "Sync", SyncRequest.getDefaultInstance().toByteArray());
        sim.run();
        assertThat(sync.isDone()).isTrue();
        assertThat(sync.status()).isEqualTo(Status.UNAVAILABLE);
        assertThat(sim.log()).anySatisfy(line -> assertThat(line.text()).contains("a Sync of 1 changes failed")
                .contains("No space left on device"));
        assertThat(disks.nodes).doesNotContainKey("proxy");
        disks.failSync = null;
        op(sim, client, PROXY, "Sync", SyncRequest.getDefaultInstance()); // the write is still waiting for a sync
        assertThat(disks.synced).containsExactly("proxy:k=v");
    }
}
