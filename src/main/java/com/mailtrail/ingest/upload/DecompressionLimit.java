package com.mailtrail.ingest.upload;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Stops reading decompressed data past a limit: the gzip trailer only tells the size of the last member (modulo
 * 4 GiB), so a bomb is only caught for sure while it is being inflated.
 */
final class DecompressionLimit extends FilterInputStream {

    /** The decompressed data went past the limit; the message says so in the user's terms. */
    static final class Exceeded extends IOException {
        Exceeded(String message) {
            super(message);
        }
    }

    private final long limit;
    private final String what;
    private long count;

    DecompressionLimit(InputStream in, long limit, String what) {
        super(in);
        this.limit = limit;
        this.what = what;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            add(1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            add(n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        add(skipped);
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private void add(long n) throws Exceeded {
        count += n;
        if (count > limit) {
            throw new Exceeded(what);
        }
    }
}
