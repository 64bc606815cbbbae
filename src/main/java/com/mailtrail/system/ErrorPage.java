package com.mailtrail.system;

import org.springframework.http.HttpStatus;
import org.springframework.ui.Model;

/** The one error page (templates/error.html), for the exception handlers that answer a status with a reason. */
public final class ErrorPage {

    private ErrorPage() {
    }

    /** Fills the model for the error page and returns its view name; {@code reason} may be null. */
    public static String show(Model model, HttpStatus status, String reason) {
        model.addAttribute("status", status.value());
        model.addAttribute("error", status.getReasonPhrase());
        model.addAttribute("reason", reason);
        return "error";
    }
}
