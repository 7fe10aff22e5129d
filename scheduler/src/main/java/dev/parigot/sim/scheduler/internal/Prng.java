package dev.parigot.sim.scheduler.internal;

/**
 * xoshiro256** (Blackman and Vigna), seeded through SplitMix64. This project's own code so that a
 * seed means the same stream on every JDK; never replace it with {@code java.util.Random}.
 */
public final class Prng {
    private long s0;
    private long s1;
    private long s2;
    private long s3;

    public Prng(long seed) {
        long x = seed;
        x += 0x9e3779b97f4a7c15L;
        s0 = mix(x);
        x += 0x9e3779b97f4a7c15L;
        s1 = mix(x);
        x += 0x9e3779b97f4a7c15L;
        s2 = mix(x);
        x += 0x9e3779b97f4a7c15L;
        s3 = mix(x);
    }

    /** SplitMix64's finaliser: a good 64-bit mixing function on its own. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** A uniform int in {@code 0..bound-1} (Lemire's multiply-shift with rejection). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        long r = nextLong() >>> 32;
        long m = r * bound;
        long low = m & 0xffffffffL;
        if (low < bound) {
            long threshold = (0x100000000L - bound) % bound;
            while (low < threshold) {
                r = nextLong() >>> 32;
                m = r * bound;
                low = m & 0xffffffffL;
            }
        }
        return (int) (m >>> 32);
    }

    /** Fills {@code out[offset, offset+length)} with pseudo-random bytes. */
    public void nextBytes(byte[] out, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            long v = nextLong();
            for (int k = 0; k < 8 && i < end; k++, i++) {
                out[i] = (byte) v;
                v >>>= 8;
            }
        }
    }
}
