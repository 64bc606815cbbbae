package com.mailtrail.system;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import java.util.Map;

/**
 * The API's one form of error: {@code {"error": "..."}} with its status. Always JSON, whatever the request's Accept
 * header asks for: left to content negotiation, an error for a client that accepts only XML or HTML could not be
 * written, and the 404 it was became a 500 with an empty body and a stack trace in the server's log.
 */
public final class ApiError {

    private ApiError() {
    }

    public static ResponseEntity<Map<String, String>> of(HttpStatusCode status, String reason) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(Map.of("error", reason));
    }

    /** A request to the API ({@code /api} and below), which answers JSON, rather than to a page. */
    public static boolean api(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.equals("/api") || path.startsWith("/api/");
    }
}
