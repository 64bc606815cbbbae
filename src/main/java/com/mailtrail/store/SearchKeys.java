package com.mailtrail.store;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Narrow BIGINT index keys for the wide string columns that are searched, shared by the write path and the readers.
 * B-tree pages of BIGINT keys are a fraction of the size of pages of strings and compare without decoding strings,
 * which is what H2 spends its insert and commit time on for keys that arrive at random places.
 * <ul>
 * <li>{@link #hash(String)}: a 64-bit hash, for exact look-ups ({@code domain_hash = ? AND domain = ?}).</li>
 * <li>{@link #idHash(String)}: the hash of a Message-ID in lower case, for look-ups that are exact
 * ({@code key_hash = ? AND message_key = ?}: the writer's) or in any case (a search: an administrator pastes an id from
 * a ticket or a tool that folded its case), both from the one index.</li>
 * <li>{@link #code(String)}: an order-preserving code of the first {@value #PREFIX} UTF-8 bytes followed by 16 bits
 * of hash, so one index serves both exact matches ({@code code = ? AND column = ?}) and prefixes
 * ({@code code BETWEEN low AND high AND column LIKE ?}).</li>
 * </ul>
 * The values are stored: changing either function needs the columns recomputed.
 */
public final class SearchKeys {

    /** How many leading bytes a {@link #code(String)} keeps in order. */
    static final int PREFIX = 6;

    private SearchKeys() {
    }

    /** 64-bit hash of the UTF-8 bytes of {@code s}. */
    public static long hash(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        long h = 0x9E3779B97F4A7C15L ^ b.length;
        for (byte x : b) {
            h = (h ^ (x & 0xff)) * 0x100000001B3L;
            h ^= h >>> 29;
        }
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
    }

    /** {@link #hash(String)}, NULL for NULL. */
    public static Long hashOrNull(String s) {
        return s == null ? null : hash(s);
    }

    /**
     * The key of a Message-ID (message.key_hash, message.original_hash): the hash of its lower case, so that ids that
     * differ only in case share it. Which of them is meant, exactly or in any case, the string decides.
     */
    public static long idHash(String id) {
        return hash(fold(id));
    }

    /** {@link #idHash(String)}, NULL for NULL. */
    public static Long idHashOrNull(String id) {
        return id == null ? null : idHash(id);
    }

    /** The form of a Message-ID that {@link #idHash(String)} hashes. */
    public static String fold(String id) {
        return id.toLowerCase(Locale.ROOT);
    }

    /** The code of {@code s}: its first bytes in order, then 16 bits of its hash; NULL for NULL. */
    public static Long code(String s) {
        if (s == null) {
            return null;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return pack(b, 0) | (hash(s) & 0xFFFF);
    }

    /** The lowest code of any string starting with {@code prefix}. */
    public static long low(String prefix) {
        return pack(prefix.getBytes(StandardCharsets.UTF_8), 0);
    }

    /** The highest code of any string starting with {@code prefix}. */
    public static long high(String prefix) {
        return pack(prefix.getBytes(StandardCharsets.UTF_8), 0xFF) | 0xFFFF;
    }

    /** The first PREFIX bytes of b (padded with pad) in bits 63..16, made signed-comparable. */
    private static long pack(byte[] b, int pad) {
        long v = 0;
        for (int i = 0; i < PREFIX; i++) {
            v = (v << 8) | (i < b.length ? b[i] & 0xff : pad);
        }
        return (v << 16) ^ Long.MIN_VALUE;
    }
}
