package dev.parigot.sim.scheduler;


/**
 * A world's seed: 64 bits whose text form is {@code 0x} followed by exactly 16 lowercase hex
 * digits ({@code 0x5eed00000000002a}), so a printed seed can be pasted back unchanged.
 *
 * <p>{@link #parse(String)} also accepts shorter hex ({@code 0x2a}) and unsigned decimal
 * ({@code 42}), and rejects anything else with a sentence that shows the accepted forms.
 */
public record Seed(long value) implements Comparable<Seed> {

    /** The seeds a sweep starts from unless told otherwise. */
    public static final Seed FIRST = new Seed(0x5eed000000000000L);

    /** The seed with these 64 bits. */
    public static Seed of(long value) {
        return new Seed(value);
    }

    /** The seed {@code n} places after this one, wrapping at 2^64. */
    public Seed plus(long n) {
        return new Seed(value + n);
    }

    /**
     * Parses a seed's text form.
     *
     * @throws IllegalArgumentException naming the bad text and the accepted forms
     */
    public static Seed parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException(bad("null"));
        }
        String trimmed = text.trim().replace("_", "");
        try {
            if (trimmed.startsWith("0x") || trimmed.startsWith("0X")) {
                String hex = trimmed.substring(2);
                if (hex.isEmpty() || hex.length() > 16) {
                    throw new IllegalArgumentException(bad(text));
                }
                return new Seed(Long.parseUnsignedLong(hex, 16));
            }
            if (trimmed.isEmpty() || trimmed.charAt(0) == '-' || trimmed.charAt(0) == '+') {
                throw new IllegalArgumentException(bad(text));
            }
            return new Seed(Long.parseUnsignedLong(trimmed, 10));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(bad(text), e);
        }
    }

    private static String bad(String text) {
        return "'" + text + "' is not a seed: write it as 0x followed by 1 to 16 hex digits "
                + "(as printed, e.g. 0x5eed00000000002a) or as an unsigned decimal number (e.g. 42)";
    }

    @Override
    public String toString() {
        String hex = Long.toHexString(value); // what "0x%016x" gives, without a formatter per call
        return "0x" + "0000000000000000".substring(hex.length()) + hex;
    }

    @Override
    public int compareTo(Seed other) {
        return Long.compareUnsigned(value, other.value);
    }
}
