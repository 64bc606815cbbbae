package com.mailtrail.ingest.upload;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;

import java.nio.file.Path;

/** One file of an upload job: where it waits on disk, what it is, and how far reading it has come. */
final class UploadFile {

    static final String SKIPPED = "skipped";

    private final String name;
    private final Path path;
    private final long bytesTotal;
    private final boolean gzip;
    private final long decompressedLimit;
    private volatile String state = UploadJob.QUEUED;
    private volatile long bytesRead;
    private volatile Progress progress;
    private volatile IngestEngine.FileResult result;
    private volatile String error;
    private volatile long startedNanos;
    private volatile long endedNanos;

    UploadFile(String name, Path path, long bytesTotal, boolean gzip, long decompressedLimit) {
        this.name = name;
        this.path = path;
        this.bytesTotal = bytesTotal;
        this.gzip = gzip;
        this.decompressedLimit = decompressedLimit;
    }

    String name() {
        return name;
    }

    Path path() {
        return path;
    }

    long bytesTotal() {
        return bytesTotal;
    }

    boolean gzip() {
        return gzip;
    }

    long decompressedLimit() {
        return decompressedLimit;
    }

    String state() {
        return state;
    }

    long bytesRead() {
        return bytesRead;
    }

    void bytesRead(long n) {
        this.bytesRead = n;
    }

    /** Null until reading starts. */
    Progress progress() {
        return progress;
    }

    String error() {
        return error;
    }

    Progress start() {
        Progress p = new Progress();
        this.startedNanos = System.nanoTime();
        this.progress = p;
        this.state = UploadJob.READING;
        return p;
    }

    void done(IngestEngine.FileResult result) {
        this.result = result;
        this.endedNanos = System.nanoTime();
        this.bytesRead = bytesTotal;
        this.state = UploadJob.DONE;
    }

    void failed(String error) {
        this.endedNanos = System.nanoTime();
        this.error = error;
        this.state = UploadJob.FAILED;
    }

    void skipped(String why) {
        this.error = why;
        this.state = SKIPPED;
    }

    long entries() {
        IngestEngine.FileResult r = result;
        Progress p = progress;
        return r != null ? r.entries() : p == null ? 0 : p.entries();
    }

    long messages() {
        IngestEngine.FileResult r = result;
        Progress p = progress;
        return r != null ? r.messages() : p == null ? 0 : p.messages();
    }

    long rejected() {
        IngestEngine.FileResult r = result;
        Progress p = progress;
        return r != null ? r.rejected() : p == null ? 0 : p.rejected();
    }

    long duplicates() {
        IngestEngine.FileResult r = result;
        Progress p = progress;
        return r != null ? r.duplicates() : p == null ? 0 : p.duplicates();
    }

    /** Lines over 64 KiB this file stored cut. */
    long cut() {
        IngestEngine.FileResult r = result;
        Progress p = progress;
        return r != null ? r.cut() : p == null ? 0 : p.cut();
    }

    /** The first of them, in line order. */
    java.util.List<Long> cutLines() {
        IngestEngine.FileResult r = result;
        Progress p = progress;
        return r != null ? r.cutLines() : p == null ? java.util.List.of() : p.cutLines();
    }

    /** Seconds spent reading, frozen when it ends (Progress's own clock keeps running). */
    double seconds() {
        long start = startedNanos;
        if (start == 0) {
            return 0;
        }
        long end = endedNanos;
        return ((end == 0 ? System.nanoTime() : end) - start) / 1e9;
    }

    double entriesPerSecond() {
        double s = seconds();
        return s <= 0 ? 0 : entries() / s;
    }
}
