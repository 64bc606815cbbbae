package com.mailtrail.system;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.ui.ExtendedModelMap;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import java.util.Map;

/**
 * Requests that fail before any controller's own checks: a parameter that is not a number or is given twice, a method
 * an address does not take, an API address that does not exist, an API client that accepts no JSON. The API answers {@code {"error"}} with
 * the reason in the user's terms, the pages the error page. First of all advice: the controllers' own handlers of
 * IllegalArgumentException would otherwise take the NumberFormatException inside a type mismatch and show "For input
 * string".
 */
@ControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class RequestErrors {

    private static final int SHOWN = 60;

    @ExceptionHandler
    Object typeMismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
        Class<?> type = e.getRequiredType();
        String what = type == int.class || type == Integer.class ? "a whole number up to " + Integer.MAX_VALUE
                : type == long.class || type == Long.class ? "a whole number" : "a " + type.getSimpleName();
        return answer(request, HttpStatus.BAD_REQUEST, e.getName() + " must be " + what + "; got '"
                + shown(String.valueOf(e.getValue())) + "'", null);
    }

    @ExceptionHandler
    Object repeated(RepeatedParameters.Repeated e, HttpServletRequest request) {
        return answer(request, HttpStatus.BAD_REQUEST, e.getMessage(), null);
    }

    @ExceptionHandler
    Object methodNotTaken(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        String[] taken = e.getSupportedMethods();
        String allowed = taken == null ? "" : String.join(", ", taken);
        return answer(request, HttpStatus.METHOD_NOT_ALLOWED, e.getMethod() + " is not taken at "
                + shown(request.getRequestURI()) + (allowed.isEmpty() ? "" : "; it takes " + allowed), allowed);
    }

    @ExceptionHandler
    Object noSuchAddress(NoResourceFoundException e, HttpServletRequest request) throws NoResourceFoundException {
        if (!ApiError.api(request)) {
            throw e; // the pages' 404 is Spring Boot's error page already
        }
        return answer(request, HttpStatus.NOT_FOUND, "there is no " + shown(request.getRequestURI())
                + " in the API (see docs/api.md)", null);
    }

    /**
     * A client of the API that accepts no JSON (Accept: application/xml): the API has nothing else, and says so in
     * JSON all the same. Answered here, as Spring's own answer is a 406 without a body.
     */
    @ExceptionHandler
    Object notAcceptable(HttpMediaTypeNotAcceptableException e, HttpServletRequest request)
            throws HttpMediaTypeNotAcceptableException {
        if (!ApiError.api(request)) {
            throw e;
        }
        String accept = request.getHeader(HttpHeaders.ACCEPT);
        return answer(request, HttpStatus.NOT_ACCEPTABLE, "the API answers in JSON only (application/json), which "
                + "the request's Accept header (" + shown(String.valueOf(accept)) + ") does not take", null);
    }

    static Object answer(HttpServletRequest request, HttpStatus status, String reason, String allow) {
        if (ApiError.api(request)) {
            ResponseEntity<Map<String, String>> answer = ApiError.of(status, reason);
            return allow == null || allow.isEmpty() ? answer
                    : ResponseEntity.status(status).headers(answer.getHeaders()).header(HttpHeaders.ALLOW, allow)
                    .body(answer.getBody());
        }
        ExtendedModelMap model = new ExtendedModelMap();
        return new ModelAndView(ErrorPage.show(model, status, reason), model, status);
    }

    /** A value as it may be quoted back: a hostile or mistaken one may be long. */
    static String shown(String value) {
        return value.length() <= SHOWN ? value : value.substring(0, SHOWN) + "…";
    }
}
