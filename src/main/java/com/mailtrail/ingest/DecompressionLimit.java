package com.mailtrail.ingest;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.LongSupplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The gzip bomb guard of uploads and of the command-line import ({@code mailtrail.ingest.max-ratio}): a gzip may
 * decompress to at most that many times its size. The trailer, checked by inflating when it claims too much, turns
 * the plain bomb away before anything is read; this stream stops the rest while it is inflated, since the trailer only
 * tells the size of the last member (modulo 4 GiB) and the check stops at a budget.
 */
public final class DecompressionLimit extends FilterInputStream {

    /** A small file may compress far beyond any ratio; below this many decompressed bytes the ratio is not held. */
    public static final long RATIO_FLOOR = 1L << 20;
    public static final String PROPERTY = "mailtrail.ingest.max-ratio";

    /** The decompressed data went past the limit; the message says so in the user's terms. */
    public static final class Exceeded extends IOException {
        private final String raise;

        Exceeded(String message, String raise) {
            super(message + " " + raise);
            this.raise = raise;
        }

        /** The whole story once reading stopped: where, what became of the lines before, how to read it all. */
        public String after(long lines) {
            String message = getMessage();
            return message.substring(0, message.length() - raise.length()) + "Reading stopped after line " + lines
                    + "; the lines before it were stored. " + raise;
        }
    }

    private final long limit;
    private final String what;
    private final String raise;
    /** For a stream of no known size: the compressed bytes read so far, which the limit follows; else null. */
    private final LongSupplier compressedSoFar;
    private final int maxRatio;
    private long count;

    private DecompressionLimit(InputStream in, long limit, String what, String raise) {
        this(in, limit, what, raise, null, 0);
    }

    private DecompressionLimit(InputStream in, long limit, String what, String raise, LongSupplier compressedSoFar,
                               int maxRatio) {
        super(in);
        this.limit = limit;
        this.what = what;
        this.raise = raise;
        this.compressedSoFar = compressedSoFar;
        this.maxRatio = maxRatio;
    }

    /**
     * A gzip read from a pipe, whose size is not known until it ends: what came out is held to {@code maxRatio} times
     * the compressed bytes read so far ({@code compressedSoFar}, counted below the decompression, so a little ahead
     * of it). A real log stays about ten times over its whole length; a bomb goes past at its start.
     */
    public static InputStream streaming(InputStream decompressed, LongSupplier compressedSoFar, int maxRatio,
                                        String raise) {
        return new DecompressionLimit(decompressed, Long.MAX_VALUE, null, raise, compressedSoFar, maxRatio);
    }

    /**
     * {@code decompressed}, the data of a gzip of {@code compressedSize} bytes, stopped with {@link Exceeded} once it
     * goes past the limit. {@code raise} says how this user raises the limit (a property, an option).
     */
    public static InputStream wrap(InputStream decompressed, long compressedSize, int maxRatio, String raise) {
        return wrap(decompressed, limit(compressedSize, maxRatio), compressedSize, maxRatio, raise);
    }

    /** With the limit worked out before (an upload keeps it with its file across a restart). */
    public static InputStream wrap(InputStream decompressed, long limit, long compressedSize, int maxRatio,
                                   String raise) {
        return new DecompressionLimit(decompressed, limit, overLimit(limit, compressedSize, maxRatio), raise);
    }

    /** Said alike whether the check before the read or the read itself finds the file past the limit. */
    private static String overLimit(long limit, long compressedSize, int maxRatio) {
        return "decompresses to more than " + limit + " bytes, over " + maxRatio + " times its " + compressedSize
                + " bytes (the limit set by " + PROPERTY + "): a gzip bomb?";
    }

    /** The most bytes a gzip of {@code compressedSize} bytes may decompress to. */
    public static long limit(long compressedSize, int maxRatio) {
        long byRatio = compressedSize > Long.MAX_VALUE / maxRatio ? Long.MAX_VALUE : compressedSize * maxRatio;
        return Math.max(byRatio, RATIO_FLOOR);
    }

    /**
     * Decompressed bytes that may be inflated (and thrown away) to tell a cut-off gzip from a bomb when the trailer
     * claims too much: for an upload, over all the files of one request, which waits for it. About a second on two
     * cores; see {@link #overByTrailer}.
     */
    public static final long DECIDE_BUDGET = 256L << 20;

    /** What is left of {@link #DECIDE_BUDGET}: one for an upload request, one per file for an import. */
    public static final class Budget {
        private long left;

        public Budget(long bytes) {
            this.left = bytes;
        }
    }

    /**
     * Why a gzip is over the limit before anything of it is read, or null. ISIZE, its last four bytes, is the size of
     * the last member modulo 4 GiB: enough to let most files through at once. When it claims too much, the file is a
     * bomb or is cut off (a copy taken while it was written, a partial download), and then those bytes are deflate
     * data, most often claiming gigabytes. Inflating it (within {@code budget}) tells which: cut off, it ends early and
     * is read up to its break, keeping every complete line; a bomb goes past the limit and is refused at once. When
     * the budget runs out first, the file is let through: the limit on the stream ({@link #wrap}) stops a bomb while
     * it is read. A file shorter than a gzip is not looked at: it is no gzip at all ({@link LogFileCheck#head} says
     * so).
     */
    public static String overByTrailer(Path file, long size, int maxRatio, String raise, Budget budget)
            throws IOException {
        if (size < LogFileCheck.GZIP_MIN) {
            return null;
        }
        ByteBuffer trailer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.read(trailer, size - 4);
        }
        long isize = Integer.toUnsignedLong(trailer.getInt(0));
        long limit = limit(size, maxRatio);
        if (isize <= limit || !inflatesPastLimit(file, limit, budget)) {
            return null;
        }
        // It did decompress past the limit: what the trailer claimed (deflate data, if cut off) is not repeated.
        return overLimit(limit, size, maxRatio) + " " + raise;
    }

    /**
     * Whether the gzip decompresses to more than {@code limit} bytes within the budget. False when it ends early (cut
     * off), is damaged (reading it says where), or the budget runs out first (the stream's limit decides then).
     */
    private static boolean inflatesPastLimit(Path file, long limit, Budget budget) throws IOException {
        if (budget.left <= 0) {
            return false;
        }
        long count = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                count += n;
                if (count > limit) {
                    return true;
                }
                if (count >= budget.left) {
                    return false;
                }
            }
            return false; // whole and within the limit: the trailer lied, which the read finds (a bad CRC or size)
        } catch (EOFException | ZipException cutOffOrDamaged) {
            return false;
        } finally {
            budget.left = Math.max(0, budget.left - count);
        }
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
        if (compressedSoFar != null) {
            long compressed = compressedSoFar.getAsLong();
            long soFar = limit(compressed, maxRatio);
            if (count > soFar) {
                throw new Exceeded("decompresses to more than " + soFar + " bytes, over " + maxRatio + " times the "
                        + compressed + " bytes of it read so far (the limit set by " + PROPERTY + "): a gzip bomb?",
                        raise);
            }
        } else if (count > limit) {
            throw new Exceeded(what, raise);
        }
    }
}
