package com.mailtrail.dashboard;

import com.mailtrail.system.ErrorPage;
import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ResponseStatus;

/** A bad range or filter on the Dashboard or Connections page: the error page with the reason, a 400 (not a 500). */
@ControllerAdvice(assignableTypes = {DashboardController.class, ConnectionsController.class})
class PageErrors {

    @ExceptionHandler(IllegalArgumentException.class)
    @ResponseStatus(HttpStatus.BAD_REQUEST)
    String badParameter(IllegalArgumentException e, Model model) {
        return ErrorPage.show(model, HttpStatus.BAD_REQUEST, e.getMessage());
    }
}
