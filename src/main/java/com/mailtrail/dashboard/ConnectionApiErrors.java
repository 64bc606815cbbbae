package com.mailtrail.dashboard;

import com.mailtrail.system.ApiError;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import java.util.Map;

/**
 * A bad range or filter on {@code /api/connections}: a 400 {@code {"error"}} with the reason. Advice rather than a
 * handler in the controller: that one came before RequestErrors and took the NumberFormatException inside a
 * non-numeric page, answering "For input string".
 */
@RestControllerAdvice(assignableTypes = ConnectionApiController.class)
class ConnectionApiErrors {

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> bad(IllegalArgumentException e) {
        return ApiError.of(HttpStatus.BAD_REQUEST, e.getMessage());
    }
}
