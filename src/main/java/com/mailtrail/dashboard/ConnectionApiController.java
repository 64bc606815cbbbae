package com.mailtrail.dashboard;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** {@code GET /api/connections}: the connection entries that are rows of their own, newest first. */
@RestController
class ConnectionApiController {

    private final ConnectionQueries queries;

    ConnectionApiController(ConnectionQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/api/connections")
    ConnectionQueries.Events connections(@RequestParam(required = false) String from,
                                         @RequestParam(required = false) String to,
                                         @RequestParam(required = false) String ip,
                                         @RequestParam(required = false) String code,
                                         @RequestParam(required = false) String page) {
        ConnectionFilter filter = ConnectionFilter.of(ip, code, page);
        return RangeParam.resolve(from, to, queries::dataRange)
                .map(r -> queries.events(r, filter.ip(), filter.code(), filter.page()))
                .orElse(new ConnectionQueries.Events(0, filter.page(), ConnectionQueries.PAGE_SIZE, List.of()));
    }
}
