package com.mailtrail.ingest;

import java.nio.charset.StandardCharsets;

/** What the gzip-bomb tests of uploads and of import are made of. */
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
}
