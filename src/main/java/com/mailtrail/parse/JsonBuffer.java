package com.mailtrail.parse;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A growable UTF-8 byte buffer for writing JSON: strings are escaped and encoded straight into bytes, so that
 * {@code convert} does not build a String per entry and encode it again.
 */
public final class JsonBuffer {

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private byte[] buf = new byte[1 << 16];
    private int len;

    public int length() {
        return len;
    }

    public void clear() {
        len = 0;
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(buf, 0, len);
        len = 0;
    }

    @Override
    public String toString() {
        return new String(buf, 0, len, java.nio.charset.StandardCharsets.UTF_8);
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    /** Appends text known to need no escaping: keys and punctuation. */
    public JsonBuffer raw(String ascii) {
        int n = ascii.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) ascii.charAt(i);
        }
        return this;
    }

    public JsonBuffer raw(char c) {
        ensure(1);
        buf[len++] = (byte) c;
        return this;
    }

    public JsonBuffer number(long v) {
        ensure(20);
        if (v < 0) {
            buf[len++] = '-';
            v = -v;
        }
        if (v == 0) {
            buf[len++] = '0';
            return this;
        }
        int start = len;
        while (v > 0) {
            buf[len++] = (byte) ('0' + (v % 10));
            v /= 10;
        }
        for (int i = start, j = len - 1; i < j; i++, j--) {
            byte t = buf[i];
            buf[i] = buf[j];
            buf[j] = t;
        }
        return this;
    }

    /** Zero-padded to {@code width} digits. */
    public JsonBuffer padded(int v, int width) {
        ensure(width + 10);
        int digits = v == 0 ? 1 : (int) Math.log10(v) + 1;
        for (int i = digits; i < width; i++) {
            buf[len++] = '0';
        }
        return number(v);
    }

    /** A JSON string: quotes, escapes, UTF-8. */
    public JsonBuffer string(String s) {
        int n = s.length();
        ensure(n * 3 + 2);
        buf[len++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                if (c == '"' || c == '\\') {
                    ensure(n * 3 + 8);
                    buf[len++] = '\\';
                }
                buf[len++] = (byte) c;
            } else {
                ensure((n - i) * 6 + 8);
                other(c, s, i);
                if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                }
            }
        }
        buf[len++] = '"';
        return this;
    }

    private void other(char c, String s, int i) {
        switch (c) {
            case '\n' -> escape('n');
            case '\r' -> escape('r');
            case '\t' -> escape('t');
            default -> {
                if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
                    unicode(c);
                } else if (c < 0x800) {
                    buf[len++] = (byte) (0xc0 | (c >> 6));
                    buf[len++] = (byte) (0x80 | (c & 0x3f));
                } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                        && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(i + 1));
                    buf[len++] = (byte) (0xf0 | (cp >> 18));
                    buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                    buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                    buf[len++] = (byte) (0x80 | (cp & 0x3f));
                } else if (Character.isSurrogate(c)) {
                    unicode(c); // a lone surrogate cannot be UTF-8 encoded
                } else {
                    buf[len++] = (byte) (0xe0 | (c >> 12));
                    buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3f));
                    buf[len++] = (byte) (0x80 | (c & 0x3f));
                }
            }
        }
    }

    private void escape(char c) {
        buf[len++] = '\\';
        buf[len++] = (byte) c;
    }

    private void unicode(char c) {
        buf[len++] = '\\';
        buf[len++] = 'u';
        buf[len++] = HEX[(c >> 12) & 15];
        buf[len++] = HEX[(c >> 8) & 15];
        buf[len++] = HEX[(c >> 4) & 15];
        buf[len++] = HEX[c & 15];
    }
}
