package com.mailtrail.ingest;

import com.mailtrail.parse.LogInput;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.function.LongConsumer;
import java.util.zip.GZIPInputStream;

/**
 * Standard input as a log to import ({@code zcat mail.log_*.gz | import -}). Like an upload it has no inode and no
 * name of its own: its lines are known by their text and place, as every file's are (Dedup), so the same stream
 * twice or lines a file brought already add nothing. Its start is read first, to be looked at as a file's is before
 * anything is stored, and handed back to the read.
 */
final class StandardInput {

    /** What the Sources page calls it unless {@code --name=} says otherwise. */
    static final String NAME = "standard input";
    /** Enough of the start to decompress the bytes {@link LogFileCheck} looks at, for any gzip a tool writes. */
    private static final int START = 64 * 1024;

    private final byte[] start;
    private final boolean whole;
    private final InputStream rest;

    private StandardInput(byte[] start, boolean whole, InputStream rest) {
        this.start = start;
        this.whole = whole;
        this.rest = rest;
    }

    /** Reads the start of {@code stdin} (blocking until it has that much, or ends). */
    static StandardInput start(InputStream stdin) throws IOException {
        byte[] start = stdin.readNBytes(START);
        return new StandardInput(start, start.length < START, stdin);
    }

    /** Why it cannot be read as a log, or null: the questions asked of a file. */
    String problem() {
        return LogFileCheck.problem(start, whole);
    }

    /**
     * The whole stream, decompressed when it is a gzip. A pipe has no size to hold a gzip to, so the ratio limit holds
     * what came out to {@code maxRatio} times what went in so far (DecompressionLimit#streaming).
     */
    InputStream open(LongConsumer bytesRead, int maxRatio, String raise) throws IOException {
        long[] read = new long[1];
        InputStream in = LogInput.decompressing(new CountingInputStream(
                new SequenceInputStream(new ByteArrayInputStream(start), rest), n -> {
                    read[0] = n;
                    bytesRead.accept(n);
                }));
        if (in instanceof GZIPInputStream) {
            in = DecompressionLimit.streaming(in, () -> read[0], maxRatio, raise);
        }
        return in;
    }
}
