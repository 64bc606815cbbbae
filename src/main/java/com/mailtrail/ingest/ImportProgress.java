package com.mailtrail.ingest;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What a long command-line import says while it reads: every so often one line on the error stream, with how far the
 * current file is read, its lines and rate, and about how long the whole import has left. A day's log of a busy MTA
 * takes minutes, and a command that says nothing for that long looks hung. Short imports print nothing but their
 * summary: the first line comes only after one interval.
 */
final class ImportProgress implements AutoCloseable {

    private final List<String> names;
    private final long[] sizes;
    private final long totalSize;
    private final PrintStream err;
    private final long started = System.nanoTime();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Thread thread;

    private volatile int current = -1;
    private volatile Progress progress;
    private volatile long doneBefore; // bytes of the files before the current one
    private volatile long bytes; // of the current file, as stored (compressed for a .gz)
    // where the last line was, so that a wait is not reported as progress
    private int saidIndex = -1;
    private long saidLines;
    private volatile boolean spoke;

    /**
     * @param sizes  each file's size on disk, in the order of {@code names}
     * @param everyS seconds between two lines; 0 for none
     */
    ImportProgress(List<String> names, long[] sizes, double everyS, PrintStream err) {
        this.names = names;
        this.sizes = sizes.clone();
        long total = 0;
        for (long s : sizes) {
            total += s;
        }
        this.totalSize = total;
        this.err = err;
        if (everyS <= 0) {
            thread = null;
            return;
        }
        long everyNanos = (long) (everyS * 1e9);
        thread = new Thread(() -> {
            try {
                while (!closed.await(everyNanos, TimeUnit.NANOSECONDS)) {
                    say();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mailtrail-import-progress");
        thread.setDaemon(true);
        thread.start();
    }

    /** The import goes on to file {@code index}, whose reading {@code p} follows. */
    void file(int index, Progress p) {
        long before = 0;
        for (int i = 0; i < index; i++) {
            before += sizes[i];
        }
        doneBefore = before;
        bytes = 0;
        progress = p;
        current = index;
    }

    /** Bytes of the current file read so far, counted below the decompression. */
    void bytesRead(long n) {
        bytes = n;
    }

    /** Whether it printed a line: the import has taken long enough for the steps after it to be worth naming. */
    boolean spoke() {
        return spoke;
    }

    private void say() {
        int index = current;
        Progress p = progress;
        if (index < 0 || p == null) {
            return;
        }
        long lines = p.lines();
        if (lines == 0 || index == saidIndex && lines == saidLines) {
            // nothing stored since: waiting for another process's turn on PostgreSQL (said once elsewhere), whose
            // wait the bytes read ahead would not show
            return;
        }
        saidIndex = index;
        saidLines = lines;
        long read = bytes;
        err.println(line(index, read, p, doneBefore + read));
        spoke = true;
    }

    String line(int index, long read, Progress p, long all) {
        StringBuilder b = new StringBuilder("import: ").append(names.get(index));
        if (names.size() > 1) {
            b.append(" (").append(index + 1).append(" of ").append(names.size()).append(')');
        }
        long size = sizes[index];
        b.append(": ");
        if (size > 0) {
            b.append(Math.min(100, read * 100 / size)).append(" % read, ");
        }
        b.append(p.lines()).append(" lines, ").append(Math.round(p.entriesPerSecond())).append(" entries/s");
        double seconds = (System.nanoTime() - started) / 1e9;
        if (all > 0 && totalSize > all) {
            // At the pace so far; the rate of a .gz and a plain file differ, so it is only about.
            long left = Math.round(seconds * (totalSize - all) / all);
            b.append(", about ").append(left).append(" s left");
        }
        return b.toString();
    }

    @Override
    public void close() {
        closed.countDown();
        if (thread != null) {
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
