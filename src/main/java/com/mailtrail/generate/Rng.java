package com.mailtrail.generate;

/**
 * SplitMix64. Written out here rather than using java.util's generators so that the same seed gives the same
 * log on every JDK, which the round-trip tests and published benchmark figures depend on.
 */
final class Rng {

    private long state;

    Rng(long seed) {
        this.state = seed;
    }

    long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** Uniform in [0, bound). */
    int nextInt(int bound) {
        return (int) ((nextLong() >>> 33) % bound);
    }

    /** Uniform in [from, to] inclusive. */
    int between(int from, int to) {
        return from + nextInt(to - from + 1);
    }

    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    boolean chance(double p) {
        return nextDouble() < p;
    }

    <T> T pick(T[] values) {
        return values[nextInt(values.length)];
    }

    /** A bijective scramble of 64 bits (the MurmurHash3 finaliser): distinct inputs give distinct outputs. */
    static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
        z = (z ^ (z >>> 33)) * 0xC4CEB9FE1A85EC53L;
        return z ^ (z >>> 33);
    }
}
