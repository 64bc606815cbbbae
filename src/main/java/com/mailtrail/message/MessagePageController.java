package com.mailtrail.message;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.ResponseStatus;

/** The message page: who it went to, every attempt with its reason and raw line, and the timeline. */
@Controller
class MessagePageController {

    private final MessagePage pages;

    MessagePageController(MessagePage pages) {
        this.pages = pages;
    }

    @GetMapping("/messages/{id}")
    String message(@PathVariable long id, Model model) {
        model.addAttribute("page", "search");
        model.addAttribute("view", pages.view(id));
        return "message";
    }

    @ExceptionHandler(MessageNotFoundException.class)
    @ResponseStatus(HttpStatus.NOT_FOUND)
    String notFound(MessageNotFoundException e, Model model) {
        model.addAttribute("status", 404);
        model.addAttribute("error", "Not Found");
        return "error";
    }
}
