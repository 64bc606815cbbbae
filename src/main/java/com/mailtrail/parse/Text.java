package com.mailtrail.parse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Byte-range helpers for the parser: the log is ASCII by contract, but network text can carry any byte. */
final class Text {

    // One decoder per thread: CharsetDecoder is stateful and the parser may run on several threads.
    private static final ThreadLocal<CharsetDecoder> UTF8 = ThreadLocal.withInitial(() ->
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT));

    // Eight bytes at a time: the per-byte loops over a line are the parser's hottest code.
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LOWS = 0x7f7f7f7f7f7f7f7fL;
    private static final long SPACES = ONES * ' ';
    private static final long TABS = ONES * '\t';
    private static final long NEWLINES = ONES * '\n';

    private Text() {
    }

    /** The eight bytes at {@code i}, little-endian (the caller checks that they are in the array). */
    static long word(byte[] b, int i) {
        return (long) LONGS.get(b, i);
    }

    /** True when no byte in the range has its high bit set. */
    static boolean isAscii(byte[] b, int s, int e) {
        int i = s;
        for (; i + 8 <= e; i += 8) {
            if (((long) LONGS.get(b, i) & HIGHS) != 0) {
                return false;
            }
        }
        for (; i < e; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** Decodes a range already known to be ASCII. */
    static String ascii(byte[] b, int s, int e) {
        return new String(b, s, e - s, StandardCharsets.ISO_8859_1);
    }

    /** Decodes bytes as UTF-8 when they are valid UTF-8, else as Latin-1 (never fails, never loses a byte). */
    static String decode(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            if (b[i] < 0) {
                return decodeNonAscii(b, s, e);
            }
        }
        return new String(b, s, e - s, StandardCharsets.ISO_8859_1);
    }

    private static String decodeNonAscii(byte[] b, int s, int e) {
        try {
            CharBuffer chars = UTF8.get().reset().decode(ByteBuffer.wrap(b, s, e - s));
            return chars.toString();
        } catch (CharacterCodingException notUtf8) {
            return new String(b, s, e - s, StandardCharsets.ISO_8859_1);
        }
    }

    static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    static boolean allDigits(byte[] b, int s, int e) {
        if (s >= e) {
            return false;
        }
        for (int i = s; i < e; i++) {
            if (!isDigit(b[i])) {
                return false;
            }
        }
        return true;
    }

    /** Index of the next space at or after {@code s}, or {@code e}. */
    static int nextSpace(byte[] b, int s, int e) {
        int i = find(b, s, e, SPACES);
        return i < 0 ? e : i;
    }

    /** SWAR search for the byte repeated in {@code pattern}: the lowest matching byte of a word is exact. */
    private static int find(byte[] b, int s, int e, long pattern) {
        int i = s;
        for (; i + 8 <= e; i += 8) {
            long w = (long) LONGS.get(b, i) ^ pattern;
            long t = (w - ONES) & ~w & HIGHS;
            if (t != 0) {
                return i + (Long.numberOfTrailingZeros(t) >>> 3);
            }
        }
        byte c = (byte) pattern;
        for (; i < e; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Index of the last space in {@code [s, e)}, or -1. */
    static int lastSpace(byte[] b, int s, int e) {
        return lastIndexOf(b, s, e, (byte) ' ');
    }

    /** Index of the last {@code c} in {@code [s, e)}, or -1: eight bytes at a time from the right. */
    static int lastIndexOf(byte[] b, int s, int e, byte c) {
        long pattern = ONES * (c & 0xff);
        int i = e;
        for (; i - 8 >= s; i -= 8) {
            // The exact test: the quick one can flag a byte above a real match, which matters from the right.
            long hits = ~nonZeroBytes((long) LONGS.get(b, i - 8) ^ pattern) & HIGHS;
            if (hits != 0) {
                return i - 8 + ((63 - Long.numberOfLeadingZeros(hits)) >>> 3);
            }
        }
        for (i--; i >= s; i--) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** How many times {@code c} occurs in {@code [s, e)}, or -1 when {@code not1} or {@code not2} occurs there. */
    static int countUnless(byte[] b, int s, int e, byte c, byte not1, byte not2) {
        long pattern = ONES * (c & 0xff);
        long p1 = ONES * (not1 & 0xff);
        long p2 = ONES * (not2 & 0xff);
        int n = 0;
        int i = s;
        for (; i + 8 <= e; i += 8) {
            long w = (long) LONGS.get(b, i);
            long x1 = w ^ p1;
            long x2 = w ^ p2;
            if (((((x1 - ONES) & ~x1) | ((x2 - ONES) & ~x2)) & HIGHS) != 0) {
                return -1;
            }
            n += Long.bitCount(~nonZeroBytes(w ^ pattern) & HIGHS);
        }
        for (; i < e; i++) {
            byte x = b[i];
            if (x == not1 || x == not2) {
                return -1;
            }
            if (x == c) {
                n++;
            }
        }
        return n;
    }

    /** True when any of the three bytes occurs in {@code [s, e)}. */
    static boolean containsAny(byte[] b, int s, int e, byte c1, byte c2, byte c3) {
        long p1 = ONES * (c1 & 0xff);
        long p2 = ONES * (c2 & 0xff);
        long p3 = ONES * (c3 & 0xff);
        int i = s;
        for (; i + 8 <= e; i += 8) {
            long w = (long) LONGS.get(b, i);
            long x1 = w ^ p1;
            long x2 = w ^ p2;
            long x3 = w ^ p3;
            // Only whether there is a zero byte matters here, so the quick test will do.
            if (((((x1 - ONES) & ~x1) | ((x2 - ONES) & ~x2) | ((x3 - ONES) & ~x3)) & HIGHS) != 0) {
                return true;
            }
        }
        for (; i < e; i++) {
            byte c = b[i];
            if (c == c1 || c == c2 || c == c3) {
                return true;
            }
        }
        return false;
    }

    static int skipBlanks(byte[] b, int s, int e) {
        if (s >= e || (b[s] != ' ' && b[s] != '\t')) {
            return s; // most calls: one separator or none
        }
        int i = s + 1;
        // Channel padding runs to a dozen blanks: look at eight bytes at a time.
        for (; i + 8 <= e; i += 8) {
            long w = (long) LONGS.get(b, i);
            long other = nonZeroBytes(w ^ SPACES) & nonZeroBytes(w ^ TABS);
            if (other != 0) {
                return i + (Long.numberOfTrailingZeros(other) >>> 3);
            }
        }
        while (i < e && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    /** The high bit of each byte of {@code x} that is not zero (exact: no borrow crosses bytes). */
    private static long nonZeroBytes(long x) {
        return (((x & LOWS) + LOWS) | x) & HIGHS;
    }

    /**
     * Finds the next newline in {@code [s, e)} and whether the bytes before it are all ASCII, in one pass: returns
     * {@code index << 1 | ascii}, with index -1 (and ascii covering the whole range) when there is none.
     */
    static long findNewline(byte[] b, int s, int e) {
        long high = 0;
        int i = s;
        for (; i + 8 <= e; i += 8) {
            long raw = (long) LONGS.get(b, i);
            long w = raw ^ NEWLINES;
            long t = (w - ONES) & ~w & HIGHS;
            if (t != 0) {
                int k = Long.numberOfTrailingZeros(t) >>> 3;
                // Only the bytes before the newline count.
                high |= raw & HIGHS & ((1L << (k << 3)) - 1);
                return (long) (i + k) << 1 | (high == 0 ? 1 : 0);
            }
            high |= raw & HIGHS;
        }
        for (; i < e; i++) {
            if (b[i] == '\n') {
                return (long) i << 1 | (high == 0 ? 1 : 0);
            }
            high |= b[i] & 0x80;
        }
        return -1L << 1 | (high == 0 ? 1 : 0);
    }

    static int trimEnd(byte[] b, int s, int e) {
        int i = e;
        while (i > s && (b[i - 1] == ' ' || b[i - 1] == '\t')) {
            i--;
        }
        return i;
    }

    static long parseLong(byte[] b, int s, int e) {
        long v = 0;
        for (int i = s; i < e; i++) {
            v = v * 10 + (b[i] - '0');
        }
        return v;
    }

    static boolean startsWith(byte[] b, int s, int e, String prefix) {
        if (e - s < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b[s + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] b, int s, int e, byte c) {
        return find(b, s, e, ONES * (c & 0xff));
    }
}
