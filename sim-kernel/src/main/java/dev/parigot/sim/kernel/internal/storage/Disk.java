package dev.parigot.sim.kernel.internal.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One node's disk: what is durable, and the writes and deletes since the last sync, in order.
 * Reads see everything; a crash keeps only what was synced plus whatever the seed lets survive
 * (decided by {@link StorageNode}).
 */
final class Disk {
    /** A write (value non-null) or a delete (value null) not yet synced. */
    record Op(String key, byte[] value) {
    }

    final Map<String, byte[]> durable = new LinkedHashMap<>();
    final List<Op> unsynced = new ArrayList<>();

    byte[] read(String key) {
        for (int i = unsynced.size() - 1; i >= 0; i--) {
            Op op = unsynced.get(i);
            if (op.key().equals(key)) {
                return op.value();
            }
        }
        return durable.get(key);
    }

    void sync() {
        for (Op op : unsynced) {
            apply(op);
        }
        unsynced.clear();
    }

    void apply(Op op) {
        if (op.value() == null) {
            durable.remove(op.key());
        } else {
            durable.put(op.key(), op.value());
        }
    }

    static byte[] prefix(byte[] value, int length) {
        return Arrays.copyOf(value, length);
    }
}
