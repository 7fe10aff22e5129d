package dev.parigot.sim.kernel;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Where the storage service ({@code parigot.storage.v1.Storage}) keeps what its callers synced,
 * for a world that runs against the real clock as a deployed unit (the runner's {@code --data
 * DIR}): each node's disk then outlives the process. A simulated world has none and keeps its
 * disks in memory, where crashes, torn and lost writes are the seed's to decide.
 *
 * <p>The storage service still answers reads from memory; the store sees each node's disk once,
 * when the node first uses storage ({@link #load}), and every Sync ({@link #sync}). A write that
 * was never synced is lost when the process ends, as on a real disk without fsync. Both methods
 * are called on the world's thread only. An {@link IOException} from {@code load} fails the world
 * with the store's message; one from {@code sync} answers that Sync with {@code UNAVAILABLE}, and
 * nothing of it counts as durable.
 */
public interface DiskStore {
    /**
     * What {@code node}'s disk held durably (empty for a node that never synced).
     *
     * @param node the node's name, unique in its world
     * @return its keys and values
     * @throws IOException if the disk cannot be read; the message should name the file
     */
    Map<String, byte[]> load(String node) throws IOException;

    /**
     * Makes {@code changes} durable before returning.
     *
     * @param node the node's name
     * @param changes its writes and deletes since its last sync, in the order it issued them
     * @throws IOException if they could not be made durable
     */
    void sync(String node, List<Change> changes) throws IOException;

    /**
     * A write ({@code value} non-null) or a delete ({@code value} null) of one key.
     *
     * @param key the key
     * @param value the new value, or null for a delete
     */
    record Change(String key, byte[] value) {
    }
}
