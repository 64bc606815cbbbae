package com.mailtrail.ingest.upload;

/** No upload job with that id (never existed, or dropped from the bounded registry). */
class UploadNotFound extends RuntimeException {

    UploadNotFound(String id) {
        super("no upload " + id + " (jobs are kept in memory: it may be older than the most recent ones, or from "
                + "before a restart; its rows are in /api/sources)");
    }
}
