package com.mailtrail.ingest.upload;

import com.mailtrail.system.ApiError;
import org.apache.tomcat.util.http.fileupload.impl.FileCountLimitExceededException;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.util.unit.DataSize;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

import java.util.Map;

/**
 * Upload errors as {@code {"error": "..."}}. Not limited to UploadController: multipart parsing fails before any
 * controller is chosen, and advice restricted to a controller is not asked then.
 */
@RestControllerAdvice
class UploadErrors {

    // The properties rather than the IngestProperties bean: this advice is also part of other controllers' test slices.
    private final DataSize maxUpload;
    private final int maxParts;
    private final DataSize maxPartHeader;

    UploadErrors(@Value("${mailtrail.ingest.max-upload:2GB}") DataSize maxUpload,
                 @Value("${server.tomcat.max-part-count:50}") int maxParts,
                 @Value("${server.tomcat.max-part-header-size:512B}") DataSize maxPartHeader) {
        this.maxUpload = maxUpload;
        this.maxParts = maxParts;
        this.maxPartHeader = maxPartHeader;
    }

    @ExceptionHandler
    ResponseEntity<Map<String, String>> problem(UploadProblem e) {
        return ApiError.of(e.status(), e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<Map<String, String>> notFound(UploadNotFound e) {
        return ApiError.of(HttpStatus.NOT_FOUND, e.getMessage());
    }

    /**
     * Spring reports every limit Tomcat's multipart parser hits as "upload size exceeded"; the cause says which one it
     * was, and telling the user "too large" for 51 small files sent them the wrong way.
     */
    @ExceptionHandler
    ResponseEntity<Map<String, String>> tooLarge(MaxUploadSizeExceededException e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof FileCountLimitExceededException) {
                return ApiError.of(HttpStatus.CONTENT_TOO_LARGE, "there are "
                        + "more than " + maxParts + " files in one upload (server.tomcat.max-part-count); "
                        + "upload them in several goes, or pack them into fewer gzip files");
            }
            // Tomcat's only signal for this limit is its message (a SizeLimitExceededException like the request's)
            if (c.getMessage() != null && c.getMessage().startsWith("Header section has more than")) {
                return ApiError.of(HttpStatus.BAD_REQUEST, "the headers of one of its parts (a "
                        + "file name?) are longer than " + size(maxPartHeader) + " (server.tomcat.max-part-header-size)"
                        + "; give the file a shorter name");
            }
        }
        return ApiError.of(HttpStatus.CONTENT_TOO_LARGE, "the upload is larger "
                + "than " + size(maxUpload) + " (mailtrail.ingest.max-upload); compress the "
                + "log with gzip, or upload its files one at a time");
    }

    /** In MB when it is whole MB, else KB, else bytes: "0 MB" for a limit of 512 KB told nothing. */
    static String size(DataSize size) {
        long bytes = size.toBytes();
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return (bytes >> 20) + " MB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return (bytes >> 10) + " KB";
        }
        return bytes + " bytes";
    }

    @ExceptionHandler
    ResponseEntity<Map<String, String>> unreadable(MultipartException e) {
        Throwable cause = e.getMostSpecificCause();
        return ApiError.of(HttpStatus.BAD_REQUEST, "the upload is not a readable "
                + "multipart/form-data request: " + cause.getMessage());
    }
}
