package com.mailtrail.system;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

import java.util.Locale;

/**
 * A query whose %-escapes are not UTF-8 ({@code ?recipient=%ff%fe}): Tomcat refuses to decode it when a parameter is
 * first asked for, and the exception went to the log with its stack trace and to the client as Spring's default
 * body. Last of the advices: Tomcat throws the same exception for an upload over a limit, which the upload's own
 * handlers explain (they match it as the cause of their MultipartException).
 */
@ControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
class UndecodableQuery {

    @ExceptionHandler
    Object undecodable(InvalidParameterException e, HttpServletRequest request) {
        String message = String.valueOf(e.getMessage());
        // the same exception says "too many parameters" too: only a decoding failure is named so
        return RequestErrors.answer(request, HttpStatus.BAD_REQUEST, "the query cannot be read: "
                + (message.toLowerCase(Locale.ROOT).contains("decod") ? "its %-escapes are not UTF-8 text"
                : message), null);
    }
}
