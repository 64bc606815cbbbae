package com.mailtrail.ingest;

/** Storing what was read failed; nothing of the failed batch was committed. */
public class IngestException extends RuntimeException {
    public IngestException(String message, Throwable cause) {
        super(message, cause);
    }

    public IngestException(String message) {
        super(message);
    }
}
