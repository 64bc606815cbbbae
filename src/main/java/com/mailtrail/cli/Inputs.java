package com.mailtrail.cli;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opens a log file for the command-line tools: a path, {@code -} for standard input, gzip recognised by content. */
final class Inputs {

    private Inputs() {
    }

    static InputStream open(String name, InputStream stdin) throws IOException {
        InputStream raw = name.equals("-") ? stdin : Files.newInputStream(Path.of(name));
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        if (b1 == 0x1f && b2 == 0x8b) {
            // GZIPInputStream reads concatenated members too, as produced by appending gzip files.
            return new GZIPInputStream(in, 1 << 16);
        }
        return in;
    }
}
