package com.mailtrail.message;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** The message page: who it went to, every attempt with its reason and raw line, and the timeline. */
@Controller
class MessagePageController {

    private final MessagePage pages;

    MessagePageController(MessagePage pages) {
        this.pages = pages;
    }

    /**
     * A page of recipients at a time ({@code rpage}), perhaps of one status ({@code rstatus}) and/or at an address
     * ({@code raddr}: exact, prefix*, @domain), where a search's result links to.
     */
    @GetMapping("/messages/{id}")
    String message(@PathVariable long id, @RequestParam(required = false) String rpage,
                   @RequestParam(required = false) String rstatus, @RequestParam(required = false) String raddr,
                   Model model) {
        model.addAttribute("page", "search");
        model.addAttribute("view", pages.view(id, RecipientSlice.ofPage(rpage, rstatus, raddr)));
        return "message";
    }
}
