package com.mailtrail.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/**
 * Reports how many bytes have been read through it: below the decompression, the bytes of the file as stored or
 * uploaded, so that progress compares with its size.
 */
public final class CountingInputStream extends FilterInputStream {

    private final LongConsumer onCount;
    private long count;

    public CountingInputStream(InputStream in, LongConsumer onCount) {
        super(in);
        this.onCount = onCount;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            counted(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            counted(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        if (skipped > 0) {
            counted(skipped);
        }
        return skipped;
    }

    // Marking would let bytes be counted twice; GZIPInputStream and the log reader do not need it.
    @Override
    public boolean markSupported() {
        return false;
    }

    private void counted(long n) {
        count += n;
        onCount.accept(count);
    }
}
