package com.mailtrail.ingest;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/** What the gzip-bomb (and cut-off gzip) tests of uploads and of import are made of. */
public final class Bombs {

    private Bombs() {
    }

    /** Text that compresses about a thousand times: one real log line (stored if read) repeated to the size. */
    public static byte[] repeatedLine(int size) {
        byte[] line = "02-Mar-2026 00:00:00.00 tcp_local  tcp_local  E 1 bomb@example.com rfc822;x@example.com\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[size];
        for (int i = 0; i < size; i++) {
            out[i] = line[i % line.length];
        }
        return out;
    }

    /** {@code gz} cut at {@code from} or a little after, where its last four bytes claim more than the ratio. */
    public static byte[] cutWhereTheTrailerClaimsTooMuch(byte[] gz, int from, int maxRatio) {
        for (int n = from; n < gz.length; n++) {
            long isize = (gz[n - 4] & 0xffL) | (gz[n - 3] & 0xffL) << 8 | (gz[n - 2] & 0xffL) << 16
                    | (gz[n - 1] & 0xffL) << 24;
            if (isize > Math.max((long) n * maxRatio, 1 << 20)) {
                return Arrays.copyOf(gz, n);
            }
        }
        throw new AssertionError("no such cut");
    }

    /** What a cut-off gzip decompresses to before its break. */
    public static byte[] readUpToTheBreak(byte[] cut) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(cut))) {
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
            throw new AssertionError("not cut off");
        } catch (EOFException expected) {
            return out.toByteArray();
        }
    }

    public static int lastLineEnd(byte[] text) {
        int i = text.length;
        while (i > 0 && text[i - 1] != '\n') {
            i--;
        }
        return i;
    }
}
