package com.mailtrail.ingest.tail;

import com.mailtrail.ingest.DatabaseStatus;
import com.mailtrail.system.ErrorPage;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import jakarta.servlet.http.HttpServletResponse;

/** The sources page: the same rows as GET /api/sources, rendered on the server. */
@Controller
class SourcesPageController {

    private final Sources sources;
    private final DatabaseStatus database;
    private final SourceRemoval removal;

    SourcesPageController(Sources sources, DatabaseStatus database, SourceRemoval removal) {
        this.sources = sources;
        this.database = database;
        this.removal = removal;
    }

    @GetMapping("/sources")
    String sources(Model model) {
        model.addAttribute("page", "sources");
        model.addAttribute("sources", sources.all());
        model.addAttribute("database", database.now());
        model.addAttribute("removal", removal.last().orElse(null));
        model.addAttribute("followed", removal.followed());
        return "sources";
    }

    @PostMapping("/sources/{id}/remove")
    String remove(@PathVariable long id) {
        removal.remove(id);
        return "redirect:/sources";
    }

    @ExceptionHandler
    String refused(SourceRemoval.Refused e, Model model, HttpServletResponse response) {
        HttpStatus status = e.notFound() ? HttpStatus.NOT_FOUND : HttpStatus.CONFLICT;
        response.setStatus(status.value());
        return ErrorPage.show(model, status, e.getMessage());
    }
}
