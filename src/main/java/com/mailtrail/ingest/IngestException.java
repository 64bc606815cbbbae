package com.mailtrail.ingest;

import com.mailtrail.system.DatabaseFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;

/** Storing what was read failed; nothing of the failed batch was committed. */
public class IngestException extends RuntimeException {

    private static final Logger log = LoggerFactory.getLogger(IngestException.class);

    public IngestException(String message, Throwable cause) {
        super(message, cause);
    }

    public IngestException(String message) {
        super(message);
    }

    /**
     * Mailtrail is stopping (a signal, the service stopped): a read ends at its next batch, after what was handed to
     * the writer is committed, and no new read begins. Not a failure of the file: the message says where it stopped.
     */
    public static final class Stopped extends IngestException {
        public Stopped(String message) {
            super(message);
        }
    }

    /**
     * Why an {@link Error} stopped a read, in words for the page that shows the file or upload: out of memory is
     * the one that happens (a heap set too small for a large list message, say), and it has no message of its own
     * that says what to do.
     */
    public static String stopped(Error e) {
        if (e instanceof OutOfMemoryError) {
            return "reading stopped: the server ran out of memory (" + e.getMessage() + "); give it a larger heap "
                    + "(-Xmx) and load the file again: what was stored before stays, and is not added twice";
        }
        return "reading stopped: " + e;
    }

    /**
     * "{@code what}: why", where why leads with the operating system's reason under a database error when there is
     * one: where the disk is full H2 says only "Writing to sun.nio.ch.FileChannelImpl@... failed", and its cause says
     * "No space left on device".
     */
    static IngestException of(String what, Throwable cause) {
        return of(what, cause, null);
    }

    /**
     * The same, where the database's file is known ({@code databaseFile}, or null): a failure of the database's storage
     * is told in the user's terms ({@link DatabaseFailure}), its technical detail logged.
     */
    static IngestException of(String what, Throwable cause, Path databaseFile) {
        if (cause instanceof OutOfMemoryError oom) { // in the correlating or writing thread
            return new IngestException(what + ": " + stopped(oom), cause);
        }
        String storage = DatabaseFailure.describe(cause, databaseFile);
        if (storage != null) {
            log.warn("{}: {}; the database said:", what, storage, cause);
            return new IngestException(what + ": " + storage, cause);
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        String os = null;
        for (Throwable t = cause; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof IOException && t.getMessage() != null) {
                os = t.getMessage();
            }
        }
        if (os != null && !message.startsWith(os)) {
            int nl = message.indexOf('\n');
            message = os + " (" + (nl < 0 ? message : message.substring(0, nl)).strip() + ")";
        }
        return new IngestException(what + ": " + message, cause);
    }
}
