package com.mailtrail.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

@Controller
class QueueController {

    private final QueueQueries queries;

    QueueController(QueueQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/queue")
    String queue(Model model) {
        model.addAttribute("page", "queue");
        model.addAttribute("ages", QueueQueries.AGES);
        model.addAttribute("queue", queries.queue());
        return "queue";
    }
}
