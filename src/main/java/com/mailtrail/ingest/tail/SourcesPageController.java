package com.mailtrail.ingest.tail;

import com.mailtrail.ingest.DatabaseStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The sources page: the same rows as GET /api/sources, rendered on the server. */
@Controller
class SourcesPageController {

    private final Sources sources;
    private final DatabaseStatus database;

    SourcesPageController(Sources sources, DatabaseStatus database) {
        this.sources = sources;
        this.database = database;
    }

    @GetMapping("/sources")
    String sources(Model model) {
        model.addAttribute("page", "sources");
        model.addAttribute("sources", sources.all());
        model.addAttribute("database", database.now());
        return "sources";
    }
}
