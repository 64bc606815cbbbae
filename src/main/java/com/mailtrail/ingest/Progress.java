package com.mailtrail.ingest;

import com.mailtrail.parse.LogReader;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * How far the reading of one file has come, for an upload's status and the import summary. Written by the ingest
 * thread, read by web requests: fields are volatile, the list is synchronized.
 */
public final class Progress {

    /** Rejections kept for display; the count goes on beyond it. */
    public static final int KEEP_REJECTIONS = 1000;

    private final long started = System.nanoTime();
    private volatile long bytesRead;
    private volatile long entries;
    private volatile long messages;
    private volatile long rejected;
    private volatile long duplicates;
    private volatile long lines;
    private volatile long cut;
    private volatile CutLines cutLines = CutLines.NONE;
    private final List<LogReader.Rejection> rejections = Collections.synchronizedList(new ArrayList<>());

    void stored(LogFileRow file, long messages, List<LogReader.Rejection> batch) {
        this.bytesRead = file.position;
        this.entries = file.entries;
        this.messages = messages;
        this.rejected = file.rejected;
        this.duplicates = file.duplicates;
        this.lines = file.lines;
        this.cut = file.cut;
        this.cutLines = file.cutLines;
        synchronized (rejections) {
            for (LogReader.Rejection r : batch) {
                keep(r);
            }
        }
    }

    /**
     * The first rejections by line number, in line order: the reader reports a line without a timestamp only once it
     * knows what the file is (it may be prose around a documentation example), so after lines refused at once.
     */
    private void keep(LogReader.Rejection r) {
        int n = rejections.size();
        if (n >= KEEP_REJECTIONS && r.line() >= rejections.get(n - 1).line()) {
            return;
        }
        int at = n;
        while (at > 0 && rejections.get(at - 1).line() > r.line()) {
            at--;
        }
        rejections.add(at, r);
        if (rejections.size() > KEEP_REJECTIONS) {
            rejections.remove(rejections.size() - 1);
        }
    }

    public long bytesRead() {
        return bytesRead;
    }

    public long entries() {
        return entries;
    }

    public long messages() {
        return messages;
    }

    public long rejected() {
        return rejected;
    }

    public long duplicates() {
        return duplicates;
    }

    public long lines() {
        return lines;
    }

    /** Lines longer than 64 KiB that this file stored cut. */
    public long cut() {
        return cut;
    }

    /** The first of them ({@link CutLines#KEEP}), in line order. */
    public List<Long> cutLines() {
        return cutLines.lines();
    }

    public List<LogReader.Rejection> rejections() {
        synchronized (rejections) {
            return List.copyOf(rejections);
        }
    }

    public double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    public double entriesPerSecond() {
        double s = seconds();
        return s <= 0 ? 0 : entries / s;
    }
}
