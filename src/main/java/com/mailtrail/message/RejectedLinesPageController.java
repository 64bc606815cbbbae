package com.mailtrail.message;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The lines of a log file that are not entries, with their numbers and why, as a page: what the Sources page's
 * rejected count leads to (a followed file's rejected lines are shown nowhere else but in JSON).
 */
@Controller
class RejectedLinesPageController {

    private final LogFileQueries files;

    RejectedLinesPageController(LogFileQueries files) {
        this.files = files;
    }

    @GetMapping("/files/{file}/rejected")
    String rejected(@PathVariable long file, @RequestParam(required = false) String page, Model model) {
        model.addAttribute("page", "sources");
        model.addAttribute("fileId", file);
        model.addAttribute("fileName", files.fileName(file));
        model.addAttribute("result", files.rejected(file, SearchForm.page(page), MessageCriteria.DEFAULT_SIZE));
        return "rejected";
    }
}
