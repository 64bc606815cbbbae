package com.mailtrail.ingest.upload;

import com.mailtrail.ingest.LogFileCheck;
import com.mailtrail.parse.LogInput;
import org.springframework.http.HttpStatus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Looks at an uploaded file before it is queued, so that the user hears at once what is wrong with it: empty, not a
 * text log, a gzip that is not one, or a gzip that claims to inflate beyond the ratio limit.
 */
final class UploadInspector {

    /** A small file may compress far beyond any ratio; below this many decompressed bytes the ratio is not held. */
    static final long RATIO_FLOOR = 1L << 20;

    private final int maxRatio;

    UploadInspector(int maxRatio) {
        this.maxRatio = maxRatio;
    }

    /** What the worker needs to know about a file that passed. */
    record Inspection(boolean gzip, long decompressedLimit) {
    }

    Inspection inspect(Path file, String name) {
        try {
            long size = Files.size(file);
            if (size == 0) {
                throw new UploadProblem(HttpStatus.BAD_REQUEST, name + " is empty");
            }
            boolean gzip = LogFileCheck.isGzip(file);
            long limit = decompressedLimit(size);
            if (gzip && size >= LogFileCheck.GZIP_MIN) {
                checkTrailer(file, name, size, limit); // a shorter one is no gzip at all: LogFileCheck.head says so
            }
            byte[] head;
            try {
                head = LogFileCheck.head(file, gzip);
            } catch (LogFileCheck.NotGzip e) {
                throw new UploadProblem(HttpStatus.UNPROCESSABLE_CONTENT, name + " " + e.getMessage());
            }
            if (head.length == 0) {
                throw new UploadProblem(HttpStatus.BAD_REQUEST, name + " is empty once decompressed");
            }
            String notText = LogFileCheck.notText(head);
            if (notText != null) {
                throw new UploadProblem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, name + " does not look like a text log ("
                        + notText + "); upload mail.log_current, mail.log_yesterday, mail.log or connection.log "
                        + "files, plain or gzip-compressed");
            }
            return new Inspection(gzip, limit);
        } catch (IOException e) {
            throw new UploadProblem(HttpStatus.INTERNAL_SERVER_ERROR, name + ": cannot read the uploaded file: "
                    + LogInput.reason(e));
        }
    }

    long decompressedLimit(long compressedSize) {
        long byRatio = compressedSize > Long.MAX_VALUE / maxRatio ? Long.MAX_VALUE : compressedSize * maxRatio;
        return Math.max(byRatio, RATIO_FLOOR);
    }

    /**
     * ISIZE, the last four bytes, is the size of the last member modulo 4 GiB: enough to turn away the plain bomb at
     * once. Reading enforces the limit for the rest (several members, sizes past 4 GiB).
     */
    private void checkTrailer(Path file, String name, long size, long limit) throws IOException {
        ByteBuffer trailer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.read(trailer, size - 4);
        }
        long isize = Integer.toUnsignedLong(trailer.getInt(0));
        if (isize > limit) {
            throw new UploadProblem(HttpStatus.CONTENT_TOO_LARGE, name + ": its gzip trailer says it decompresses to "
                    + isize + " bytes, more than " + maxRatio + " times its " + size + " bytes (the limit set by "
                    + "mailtrail.ingest.max-ratio); a gzip bomb, or a truncated file");
        }
    }
}
