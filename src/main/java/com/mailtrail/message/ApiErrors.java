package com.mailtrail.message;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Errors of the JSON API as {@code {"error": "..."}}: 404 for what is not there, 400 for a parameter that cannot be
 * used. Only for the API controller: the HTML pages have error pages of their own. A parameter that is not a number
 * at all is RequestErrors' (system), for every API.
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
    ErrorBody missing(MissingServletRequestParameterException e) {
        return new ErrorBody("the parameter " + e.getParameterName() + " is required");
    }
}
