package dev.parigot.sim.scheduler;

import java.util.Arrays;
import java.util.Base64;
import java.nio.ByteBuffer;

/**
 * An immutable recording of a choice stream: the bound and the value of every choice drawn, in
 * order. Replaying it ({@link ChoiceSource#replay}) reproduces the run without the seed; a shortened
 * or zeroed copy is a simpler run (shrinking). Its text form is compact base64.
 */
public final class ChoiceRecording {
    private final int[] bounds;
    private final int[] values;

    ChoiceRecording(int[] bounds, int[] values) {
        if (bounds.length != values.length) {
            throw new IllegalArgumentException("bounds and values differ in length");
        }
        this.bounds = bounds;
        this.values = values;
    }

    /**
     * A recording of these choices: {@code values[i]} drawn among {@code bounds[i]} options. The
     * arrays, of equal length, are copied.
     *
     * @throws IllegalArgumentException if a bound is below 1 or a value lies outside 0 to its
     *     bound minus 1
     */
    public static ChoiceRecording of(int[] bounds, int[] values) {
        for (int i = 0; i < bounds.length; i++) {
            if (bounds[i] < 1 || values[i] < 0 || values[i] >= bounds[i]) {
                throw new IllegalArgumentException("choice " + i + " is " + values[i]
                        + " of bound " + bounds[i] + "; a choice must lie in 0..bound-1");
            }
        }
        return new ChoiceRecording(bounds.clone(), values.clone());
    }

    /** No choices: replayed, every choice is 0, the default. */
    public static final ChoiceRecording EMPTY = new ChoiceRecording(new int[0], new int[0]);

    /** How many choices were recorded. */
    public int size() {
        return values.length;
    }

    /** The value of choice {@code i} (0-based), from 0 to {@code bound(i) - 1}. */
    public int value(int i) {
        return values[i];
    }

    /** How many options choice {@code i} (0-based) was drawn among. */
    public int bound(int i) {
        return bounds[i];
    }

    /** The first {@code n} choices (a shrink step). */
    public ChoiceRecording prefix(int n) {
        return new ChoiceRecording(Arrays.copyOf(bounds, n), Arrays.copyOf(values, n));
    }

    /**
     * This recording without its trailing zero choices: the same run when replayed, since past a
     * recording's end every choice is 0. Itself if it ends in a nonzero choice (or is empty).
     */
    public ChoiceRecording trimmed() {
        int n = values.length;
        while (n > 0 && values[n - 1] == 0) {
            n--;
        }
        return n == values.length ? this : prefix(n);
    }

    /**
     * Orders recordings by shortlex, the order shrinking minimises: fewer choices first, then the
     * smaller value at the first choice where they differ. Bounds do not count.
     */
    static int compareShortlex(ChoiceRecording a, ChoiceRecording b) {
        if (a.values.length != b.values.length) {
            return Integer.compare(a.values.length, b.values.length);
        }
        return Arrays.compare(a.values, b.values);
    }

    /** A copy of every bound, in order. */
    int[] bounds() {
        return bounds.clone();
    }

    /** A copy of every value, in order. */
    int[] values() {
        return values.clone();
    }

    /** Text form: base64 of (count, then bound and value of each choice as varints). */
    public String encode() {
        ByteBuffer buf = ByteBuffer.allocate(5 + values.length * 10);
        putVarint(buf, values.length);
        for (int i = 0; i < values.length; i++) {
            putVarint(buf, bounds[i]);
            putVarint(buf, values[i]);
        }
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Arrays.copyOf(buf.array(), buf.position()));
    }

    /** Parses {@link #encode()}'s text, with a clear error for anything else. */
    public static ChoiceRecording decode(String text) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(Base64.getUrlDecoder().decode(text.trim()));
            int n = getVarint(buf);
            if (n < 0 || n > buf.remaining()) {
                throw new IllegalArgumentException("count " + n + " does not fit the text");
            }
            int[] bounds = new int[n];
            int[] values = new int[n];
            for (int i = 0; i < n; i++) {
                bounds[i] = getVarint(buf);
                values[i] = getVarint(buf);
            }
            if (buf.hasRemaining()) {
                throw new IllegalArgumentException(buf.remaining() + " bytes left over");
            }
            return of(bounds, values);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("'" + abbreviate(text) + "' is not a choice recording ("
                    + e.getMessage() + "); pass the text that ChoiceRecording.encode() printed", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private static void putVarint(ByteBuffer buf, int v) {
        while ((v & ~0x7f) != 0) {
            buf.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        buf.put((byte) v);
    }

    private static int getVarint(ByteBuffer buf) {
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (!buf.hasRemaining()) {
                throw new IllegalArgumentException("text ends inside a number");
            }
            byte b = buf.get();
            result |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new IllegalArgumentException("a number is longer than 5 bytes");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ChoiceRecording r
                && Arrays.equals(bounds, r.bounds) && Arrays.equals(values, r.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(bounds) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "ChoiceRecording[" + values.length + " choices]";
    }
}
