package com.mailtrail.message;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * Errors of the JSON API as {@code {"error": "..."}}: 404 for what is not there, 400 for a parameter that cannot be
 * used. Only for the API controller: the HTML pages have error pages of their own.
 */
@RestControllerAdvice(assignableTypes = MessageApiController.class)
class ApiErrors {

    record ErrorBody(String error) {
    }

    @ExceptionHandler
    @ResponseStatus(HttpStatus.NOT_FOUND)
    ErrorBody notFound(MessageNotFoundException e) {
        return new ErrorBody(e.getMessage());
    }

    @ExceptionHandler
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    ErrorBody invalid(InvalidParameterException e) {
        return new ErrorBody(e.getMessage());
    }

    @ExceptionHandler
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    ErrorBody typeMismatch(MethodArgumentTypeMismatchException e) {
        Object value = e.getValue();
        return new ErrorBody(e.getName() + " must be a whole number; got '"
                + SearchForm.shown(String.valueOf(value)) + "'");
    }

    @ExceptionHandler
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    ErrorBody missing(MissingServletRequestParameterException e) {
        return new ErrorBody("the parameter " + e.getParameterName() + " is required");
    }
}
