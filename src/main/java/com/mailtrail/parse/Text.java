package com.mailtrail.parse;

import java.nio.ByteBuffer;
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

    private Text() {
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
        int i = s;
        while (i < e && b[i] != ' ') {
            i++;
        }
        return i;
    }

    static int skipBlanks(byte[] b, int s, int e) {
        int i = s;
        while (i < e && (b[i] == ' ' || b[i] == '\t')) {
            i++;
        }
        return i;
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
        for (int i = s; i < e; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }
}
