package com.mailtrail.message;

import com.mailtrail.system.ErrorPage;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * The message page, a file's rejected lines and the search's CSV download: a bad parameter is a 400 with its reason, a message or file that is
 * not there a 404, on the one error page (the JSON API answers the same in JSON: ApiErrors).
 */
@ControllerAdvice(assignableTypes = {MessagePageController.class, RejectedLinesPageController.class,
        SearchCsvController.class})
class MessagePageErrors {

    @ExceptionHandler(InvalidParameterException.class)
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    String badParameter(InvalidParameterException e, Model model) {
        return ErrorPage.show(model, HttpStatus.BAD_REQUEST, e.getMessage());
    }

    @ExceptionHandler(MessageNotFoundException.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    String notFound(MessageNotFoundException e, Model model) {
        return ErrorPage.show(model, HttpStatus.NOT_FOUND, e.getMessage());
    }
}
