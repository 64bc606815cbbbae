package com.mailtrail.dashboard;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import java.util.Optional;

/** The Connections page: who connected, in and out, and who was turned away, in a time range. */
@Controller
class ConnectionsController {

    private final ConnectionQueries queries;

    ConnectionsController(ConnectionQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/connections")
    String connections(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                       @RequestParam(required = false) String ip, @RequestParam(required = false) String code,
                       @RequestParam(required = false) String page, Model model) {
        Optional<TimeRange> range = RangeParam.resolve(from, to, queries::dataRange);
        ConnectionFilter filter = ConnectionFilter.of(ip, code, page);
        model.addAttribute("page", "connections");
        model.addAttribute("range", range.orElse(null));
        model.addAttribute("filter", filter);
        model.addAttribute("codes", ConnectionQueries.CODES);
        model.addAttribute("eventCodes", ConnectionQueries.EVENT_CODES);
        range.ifPresent(r -> {
            model.addAttribute("summary", queries.summary(r));
            model.addAttribute("busiest", queries.busiest(r, 20));
            model.addAttribute("refused", queries.refused(r, 20));
            ConnectionQueries.Events events = queries.events(r, filter.ip(), filter.code(), filter.page());
            model.addAttribute("events", events);
            if (filter.ip() != null) {
                model.addAttribute("addressFigures", figures(queries.address(r, filter.ip())));
            }
            model.addAttribute("lines", queries.lines(events.items()));
        });
        return "connections";
    }

    /**
     * The filtered address's figures in a sentence: the page's own figures and tables are the whole range's, and the
     * address, unless among the 20 busiest, had none of its own there.
     */
    static String figures(ConnectionQueries.AddressFigures f) {
        ConnectionQueries.Address a = f.address();
        return count(a.inbound(), "connection", "connections") + " in, " + String.format("%,d", a.outbound()) + " out, "
                + String.format("%,d", a.rejected()) + " rejected (X), " + String.format("%,d", a.failed())
                + " failed before it was established (Y), " + String.format("%,d", a.authentication())
                + " authentication (U); " + count(f.refusedRecipients(), "recipient", "recipients")
                + " refused at SMTP (J) from it";
    }

    private static String count(long n, String one, String many) {
        return String.format("%,d", n) + " " + (n == 1 ? one : many);
    }
}
