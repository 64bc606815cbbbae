package com.mailtrail.ingest;

import java.nio.charset.StandardCharsets;

/**
 * A Bloom filter of the message keys in the database: "no" is certain, so a message seen for the first time costs
 * no look-up. About 1 % false positives at its capacity; it grows by rebuilding from the database when full.
 */
final class KeyFilter {

    private final long[] bits;
    private final int mask;
    private long count;
    private final long capacity;

    KeyFilter(long capacity) {
        this.capacity = Math.max(capacity, 1 << 16);
        long size = Long.highestOneBit(this.capacity * 10 - 1) << 1; // ~10 bits per key
        size = Math.min(size, 1L << 31);
        this.bits = new long[(int) (size >>> 6)];
        this.mask = (int) (size - 1);
    }

    void add(String key) {
        long h = hash(key);
        int h1 = (int) h;
        int h2 = (int) (h >>> 32);
        for (int i = 0; i < 7; i++) {
            int bit = (h1 + i * h2) & mask;
            bits[bit >>> 6] |= 1L << bit;
        }
        count++;
    }

    boolean mightContain(String key) {
        long h = hash(key);
        int h1 = (int) h;
        int h2 = (int) (h >>> 32);
        for (int i = 0; i < 7; i++) {
            int bit = (h1 + i * h2) & mask;
            if ((bits[bit >>> 6] & (1L << bit)) == 0) {
                return false;
            }
        }
        return true;
    }

    boolean full() {
        return count > capacity;
    }

    private static long hash(String key) {
        byte[] b = key.getBytes(StandardCharsets.UTF_8);
        return LineKeys.hash(b, 0, b.length);
    }
}
