package com.mailtrail.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
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
        model.addAttribute("hoursNote", range.map(DashboardController::hoursNote).orElse(null));
        return "dashboard";
    }

    private static final DateTimeFormatter DAY_AND_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /**
     * What a range off the hour counts, or null for one on the hour. The figures but messages and deferred now, and
     * the charts, are kept per hour and count the hours that begin in the range (TimeRange.countedFrom): from 14:30
     * to 14:45 the page read "354 messages, 0 recipients, – delivered" with nothing to say why.
     */
    static String hoursNote(TimeRange r) {
        if (r.countedFrom().equals(r.from()) && r.countedTo().equals(r.to())) {
            return null;
        }
        String messages = "messages counts those first seen from " + time(r.from(), null) + " to "
                + time(r.to(), r.from()) + ", deferred now all the data";
        if (!r.countedFrom().isBefore(r.countedTo())) {
            return "No whole hour begins in this range: recipients, delivered, bounced, the times to delivery and the "
                    + "charts, which count by the hour, have nothing to count (" + messages + ").";
        }
        return "Recipients, delivered, bounced, the times to delivery and the charts count the hours that begin in this "
                + "range: " + time(r.countedFrom(), null) + " to " + time(r.countedTo(), r.countedFrom()) + " ("
                + messages + ").";
    }

    /** A time to the minute (to the second when it has seconds), without its date when that is {@code after}'s. */
    private static String time(LocalDateTime t, LocalDateTime after) {
        String text = t.format(DAY_AND_TIME) + (t.getSecond() != 0 || t.getNano() != 0
                ? t.format(DateTimeFormatter.ofPattern(":ss")) : "");
        return after != null && after.toLocalDate().equals(t.toLocalDate()) ? text.substring(11) : text;
    }
}
