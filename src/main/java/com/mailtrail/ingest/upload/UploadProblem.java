package com.mailtrail.ingest.upload;

import org.springframework.http.HttpStatus;

/** Something the user got wrong with an upload; answered as {@code {"error": message}} with its status. */
class UploadProblem extends RuntimeException {

    private final HttpStatus status;

    UploadProblem(HttpStatus status, String message) {
        super(message);
        this.status = status;
    }

    HttpStatus status() {
        return status;
    }
}
