package com.mailtrail.parse;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** A log's bytes as read from a file or a pipe: gzip is recognised by its magic bytes, whatever the name says. */
public final class LogInput {

    private LogInput() {
    }

    public static InputStream decompressing(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        // GZIPInputStream reads concatenated members too, as produced by appending gzip files.
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
    }
}
