package com.mailtrail.ingest;

import com.mailtrail.system.ErrorPage;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;

/**
 * An empty Mailtrail offers a demo day, made by the generator, so a new user sees what the pages show; the Sources
 * page offers to remove it again while nothing else is loaded.
 */
@Controller
class DemoController {

    private final DemoData demo;

    DemoController(DemoData demo) {
        this.demo = demo;
    }

    @PostMapping("/demo")
    String load() {
        demo.load();
        return "redirect:/";
    }

    @PostMapping("/demo/remove")
    String remove() {
        demo.remove();
        return "redirect:/";
    }

    @ExceptionHandler(IllegalStateException.class)
    @ResponseStatus(HttpStatus.CONFLICT)
    String cannot(IllegalStateException e, Model model) {
        return ErrorPage.show(model, HttpStatus.CONFLICT, e.getMessage());
    }
}
