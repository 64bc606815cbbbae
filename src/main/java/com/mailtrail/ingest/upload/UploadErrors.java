package com.mailtrail.ingest.upload;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.util.unit.DataSize;
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

    // The property rather than the IngestProperties bean: this advice is also part of other controllers' test slices.
    private final DataSize maxUpload;

    UploadErrors(@Value("${mailtrail.ingest.max-upload:2GB}") DataSize maxUpload) {
        this.maxUpload = maxUpload;
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
                + "than " + maxUpload.toMegabytes() + " MB (mailtrail.ingest.max-upload); compress the "
                + "log with gzip, or upload its files one at a time"));
    }

    @ExceptionHandler
    ResponseEntity<UploadViews.Error> unreadable(MultipartException e) {
        Throwable cause = e.getMostSpecificCause();
        return ResponseEntity.badRequest().body(new UploadViews.Error("the upload is not a readable "
                + "multipart/form-data request: " + cause.getMessage()));
    }
}
