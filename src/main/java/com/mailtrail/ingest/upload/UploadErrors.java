package com.mailtrail.ingest.upload;

import com.mailtrail.ingest.IngestProperties;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;

/**
 * Upload errors as {@code {"error": "..."}}. Not limited to UploadController: multipart parsing fails before any
 * controller is chosen, and advice restricted to a controller is not asked then.
 */
@RestControllerAdvice
class UploadErrors {

    private final IngestProperties properties;

    UploadErrors(IngestProperties properties) {
        this.properties = properties;
    }

    @ExceptionHandler
    ResponseEntity<UploadViews.Error> problem(UploadProblem e) {
        return ResponseEntity.status(e.status()).body(new UploadViews.Error(e.getMessage()));
    }

    @ExceptionHandler
    ResponseEntity<UploadViews.Error> notFound(UploadNotFound e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(new UploadViews.Error(e.getMessage()));
    }

    @ExceptionHandler
    ResponseEntity<UploadViews.Error> tooLarge(MaxUploadSizeExceededException e) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(new UploadViews.Error("the upload is larger "
                + "than " + properties.maxUpload().toMegabytes() + " MB (mailtrail.ingest.max-upload); compress the "
                + "log with gzip, or upload its files one at a time"));
    }

    @ExceptionHandler
    ResponseEntity<UploadViews.Error> unreadable(MultipartException e) {
        Throwable cause = e.getMostSpecificCause();
        return ResponseEntity.badRequest().body(new UploadViews.Error("the upload is not a readable "
                + "multipart/form-data request: " + cause.getMessage()));
    }
}
