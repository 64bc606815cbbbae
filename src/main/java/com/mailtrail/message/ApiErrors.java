package com.mailtrail.message;

import com.mailtrail.system.ApiError;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.util.Map;

/**
 * Errors of the JSON API as {@code {"error": "..."}}: 404 for what is not there, 400 for a parameter that cannot be
 * used. Only for the API controller: the HTML pages have error pages of their own. A parameter that is not a number
 * at all is RequestErrors' (system), for every API; a failing database is FailedRequests' (system).
 */
@RestControllerAdvice(assignableTypes = MessageApiController.class)
class ApiErrors {

    @ExceptionHandler
    ResponseEntity<Map<String, String>> notFound(MessageNotFoundException e) {
        return ApiError.of(HttpStatus.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<Map<String, String>> invalid(InvalidParameterException e) {
        return ApiError.of(HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler
    ResponseEntity<Map<String, String>> missing(MissingServletRequestParameterException e) {
        return ApiError.of(HttpStatus.BAD_REQUEST, "the parameter " + e.getParameterName() + " is required");
    }
}
