package com.mailtrail.ingest.tail;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The sources page: the same rows as GET /api/sources, rendered on the server. */
@Controller
class SourcesPageController {

    private final Sources sources;

    SourcesPageController(Sources sources) {
        this.sources = sources;
    }

    @GetMapping("/sources")
    String sources(Model model) {
        model.addAttribute("page", "sources");
        model.addAttribute("sources", sources.all());
        return "sources";
    }
}
