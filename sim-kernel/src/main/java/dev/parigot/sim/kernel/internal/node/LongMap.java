package dev.parigot.sim.kernel.internal.node;

import java.util.Arrays;

/**
 * An open-addressing map from positive {@code long} keys (call and timer ids) to values, without
 * boxing on the hot path. Not thread-safe; iteration is never needed by the kernel.
 */
public final class LongMap<V> {
    /**
     * The arrays of every map that never held a key: one empty slot, never written (the first
     * put grows first). A world has a few maps per node, most of them never used by a short seed.
     */
    private static final long[] NO_KEYS = new long[1];
    private static final Object[] NO_VALUES = new Object[1];
    private static final int CAPACITY_FIRST = 8;

    private long[] keys = NO_KEYS;
    private Object[] values = NO_VALUES;
    private int size;

    @SuppressWarnings("unchecked")
    public V get(long key) {
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                return (V) values[i];
            }
            if (k == 0) {
                return null;
            }
        }
    }

    public void put(long key, V value) {
        if (key <= 0) {
            throw new IllegalArgumentException("keys must be positive: " + key);
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        int mask = keys.length - 1;
        for (int i = slot(key, mask); ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) {
                values[i] = value;
                return;
            }
            if (k == 0) {
                keys[i] = key;
                values[i] = value;
                size++;
                return;
            }
        }
    }

    @SuppressWarnings("unchecked")
    public V remove(long key) {
        int mask = keys.length - 1;
        int i = slot(key, mask);
        while (true) {
            long k = keys[i];
            if (k == 0) {
                return null;
            }
            if (k == key) {
                break;
            }
            i = (i + 1) & mask;
        }
        V old = (V) values[i];
        // Backward-shift deletion keeps probe chains intact without tombstones.
        int hole = i;
        for (int j = (i + 1) & mask; keys[j] != 0; j = (j + 1) & mask) {
            int home = slot(keys[j], mask);
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                keys[hole] = keys[j];
                values[hole] = values[j];
                hole = j;
            }
        }
        keys[hole] = 0;
        values[hole] = null;
        size--;
        return old;
    }

    int size() {
        return size;
    }

    /** The keys in ascending order: the only deterministic way to walk the map. */
    public long[] keysSorted() {
        long[] out = new long[size];
        int n = 0;
        for (long k : keys) {
            if (k != 0) {
                out[n++] = k;
            }
        }
        Arrays.sort(out);
        return out;
    }

    public void clear() {
        if (keys != NO_KEYS) {
            Arrays.fill(keys, 0);
            Arrays.fill(values, null);
        }
        size = 0;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        int capacity = Math.max(CAPACITY_FIRST, oldKeys.length * 2);
        keys = new long[capacity];
        values = new Object[capacity];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != 0) {
                @SuppressWarnings("unchecked")
                V v = (V) oldValues[i];
                put(oldKeys[i], v);
            }
        }
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9e3779b97f4a7c15L;
        return (int) (h >>> 40) & mask;
    }
}
