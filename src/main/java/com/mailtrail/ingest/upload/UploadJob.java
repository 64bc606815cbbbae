package com.mailtrail.ingest.upload;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One upload while it waits and is read. Written by the upload worker, read by status requests: fields are volatile.
 * Memory, and a manifest beside its files until they are read (UploadManifest): the lasting record is the log_source
 * and log_file rows the engine writes.
 */
final class UploadJob {

    static final String QUEUED = "queued";
    static final String READING = "reading";
    static final String DONE = "done";
    static final String FAILED = "failed";

    private final String id;
    private final Instant created;
    private final Path dir;
    private final List<UploadFile> files;
    private volatile String state = QUEUED;
    private volatile Long sourceId;
    private volatile String error;

    UploadJob(String id, Path dir, List<UploadFile> files) {
        this(id, dir, files, Instant.now());
    }

    /** A job accepted at {@code created}: by an earlier run, when a start finds it unread (UploadManifest). */
    UploadJob(String id, Path dir, List<UploadFile> files, Instant created) {
        this.id = id;
        this.dir = dir;
        this.files = List.copyOf(files);
        this.created = created;
    }

    String id() {
        return id;
    }

    Instant created() {
        return created;
    }

    Path dir() {
        return dir;
    }

    List<UploadFile> files() {
        return files;
    }

    String state() {
        return state;
    }

    boolean finished() {
        return state.equals(DONE) || state.equals(FAILED);
    }

    Long sourceId() {
        return sourceId;
    }

    String error() {
        return error;
    }

    /** The log_source name: what the user uploaded. */
    String sourceName() {
        return files.stream().map(UploadFile::name).collect(Collectors.joining(", "));
    }

    void reading(long sourceId) {
        this.sourceId = sourceId;
        this.state = READING;
    }

    void finish(String error) {
        this.error = error;
        this.state = error == null ? DONE : FAILED;
    }
}
