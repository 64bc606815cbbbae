package com.mailtrail.ingest.upload;

import com.mailtrail.ingest.DecompressionLimit;
import com.mailtrail.ingest.LogFileCheck;
import com.mailtrail.parse.LogInput;
import org.springframework.http.HttpStatus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Looks at an uploaded file before it is queued, so that the user hears at once what is wrong with it: not a text log,
 * a gzip that is not one, or a gzip bomb. An empty file is no mistake (a mail.log_current just rotated): it is said
 * so, and the upload is refused only when it has nothing else to read.
 */
final class UploadInspector {

    /** How an administrator lets a real log past the limit. */
    static final String RAISE = "If it is a real log, raise " + DecompressionLimit.PROPERTY + " in the server's "
            + "configuration and upload it again.";

    private final int maxRatio;

    UploadInspector(int maxRatio) {
        this.maxRatio = maxRatio;
    }

    /** What the worker needs to know about a file that passed; {@code empty} says why it has nothing to read. */
    record Inspection(boolean gzip, String empty) {
    }

    /** {@code budget}: what the request may still inflate to tell a cut-off gzip from a bomb. */
    Inspection inspect(Path file, String name, DecompressionLimit.Budget budget) {
        try {
            long size = Files.size(file);
            if (size == 0) {
                return new Inspection(false, name + " is empty");
            }
            boolean gzip = LogFileCheck.isGzip(file);
            if (gzip) {
                String over = DecompressionLimit.overByTrailer(file, size, maxRatio, RAISE, budget);
                if (over != null) {
                    throw new UploadProblem(HttpStatus.CONTENT_TOO_LARGE, name + ": " + over);
                }
            }
            byte[] head;
            try {
                head = LogFileCheck.head(file, gzip);
            } catch (LogFileCheck.NotGzip e) {
                throw new UploadProblem(HttpStatus.UNPROCESSABLE_CONTENT, name + " " + e.getMessage());
            }
            if (head.length == 0) {
                return new Inspection(true, name + " is empty once decompressed");
            }
            String notText = LogFileCheck.notText(head);
            if (notText != null) {
                throw new UploadProblem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, name + " does not look like a text log ("
                        + notText + "); upload mail.log_current, mail.log_yesterday, mail.log or connection.log "
                        + "files, plain or gzip-compressed");
            }
            return new Inspection(gzip, null);
        } catch (IOException e) {
            throw new UploadProblem(HttpStatus.INTERNAL_SERVER_ERROR, name + ": cannot read the uploaded file: "
                    + LogInput.reason(e));
        }
    }
}
