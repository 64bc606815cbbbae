package com.mailtrail.ingest;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.PostMapping;

/** An empty Mailtrail offers a demo day, made by the generator, so a new user sees what the pages show. */
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
}
