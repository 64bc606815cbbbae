package com.mailtrail.ingest.tail;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
import com.mailtrail.parse.LogReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reading one file: from its committed position up to the size seen when the directory was looked at. The engine
 * reads complete lines only and commits the new position with the rows, so a line still being written is left for
 * the next round.
 */
final class FileReading {

    private final IngestEngine engine;

    FileReading(IngestEngine engine) {
        this.engine = engine;
    }

    IngestEngine.FileResult read(FileChannel ch, IngestEngine.FileState state, String name, long size,
                                 String newState) throws IOException {
        InputStream in = new ChannelRange(ch, state.position(), size);
        return engine.resume(state, name, in, LogOptions.auto(), head(ch, state, size), size, newState,
                new Progress());
    }

    /**
     * The file's first bytes, which auto-detection of its optional fields learns from as an import of the file
     * would; null once an earlier round has learned from a full head (its findings are kept in log_file.options).
     */
    private static byte[] head(FileChannel ch, IngestEngine.FileState state, long size) throws IOException {
        if (state.lines() >= LogReader.LEARN_LINES || state.position() >= LogReader.LEARN_BYTES) {
            return null;
        }
        try (InputStream in = new ChannelRange(ch, 0, Math.min(size, LogReader.LEARN_BYTES))) {
            return in.readAllBytes();
        }
    }

    /**
     * Bytes [from, to) of the channel, read with positional reads: the end is fixed so the size recorded (and the
     * lag shown) matches what was looked at, even while the MTA goes on writing.
     */
    private static final class ChannelRange extends InputStream {
        private final FileChannel ch;
        private long pos;
        private final long end;

        ChannelRange(FileChannel ch, long from, long to) {
            this.ch = ch;
            this.pos = from;
            this.end = to;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos >= end) {
                return -1;
            }
            int n = ch.read(ByteBuffer.wrap(b, off, (int) Math.min(len, end - pos)), pos);
            if (n < 0) {
                return -1; // shorter than it was a moment ago: truncated, found out on the next round
            }
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return (int) Math.min(Integer.MAX_VALUE, end - pos);
        }
    }
}
