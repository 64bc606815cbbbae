package com.mailtrail.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.Optional;

@Controller
class DashboardController {

    private final DashboardQueries queries;

    DashboardController(DashboardQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/")
    String dashboard(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                     Model model) {
        Optional<TimeRange> range = RangeParam.resolve(from, to, queries::dataRange);
        model.addAttribute("page", "dashboard");
        model.addAttribute("range", range.orElse(null));
        model.addAttribute("kpis", range.map(queries::kpis).orElse(null));
        return "dashboard";
    }
}
