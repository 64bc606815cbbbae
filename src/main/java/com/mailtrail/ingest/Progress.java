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
    private final List<LogReader.Rejection> rejections = Collections.synchronizedList(new ArrayList<>());

    void stored(LogFileRow file, long messages, List<LogReader.Rejection> batch) {
        this.bytesRead = file.position;
        this.entries = file.entries;
        this.messages = messages;
        this.rejected = file.rejected;
        this.duplicates = file.duplicates;
        this.lines = file.lines;
        for (LogReader.Rejection r : batch) {
            if (rejections.size() >= KEEP_REJECTIONS) {
                break;
            }
            rejections.add(r);
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
