package com.mailtrail.dashboard;

import com.mailtrail.system.ApiError;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Chart data as JSON for js/charts.js: /api/charts/{volume|attempts|delays|failures|domains|channels|connections}. */
@RestController
class ChartController {

    private final DashboardQueries queries;
    private final Map<String, Function<TimeRange, Chart>> charts;

    ChartController(DashboardQueries queries, ConnectionQueries connections) {
        this.queries = queries;
        this.charts = Map.of("volume", queries::volume, "attempts", queries::attempts, "delays", queries::delays,
                "failures", queries::failures, "domains", queries::domains, "channels", queries::channels,
                "connections", connections::chart);
    }

    @GetMapping("/api/charts/{name}")
    ResponseEntity<?> chart(@PathVariable String name, @RequestParam(required = false) String from,
                            @RequestParam(required = false) String to) {
        Function<TimeRange, Chart> chart = charts.get(name);
        if (chart == null) {
            return ApiError.of(HttpStatus.NOT_FOUND, "no chart named " + name
                    + "; there are " + String.join(", ", List.copyOf(charts.keySet())));
        }
        Optional<TimeRange> range = RangeParam.resolve(from, to, queries::dataRange);
        return range.<ResponseEntity<?>>map(r -> ResponseEntity.ok(chart.apply(r)))
                .orElseGet(() -> ResponseEntity.ok(new Chart("bar", false, false, null, List.of(), List.of())));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, String>> badRange(IllegalArgumentException e) {
        return ApiError.of(HttpStatus.BAD_REQUEST, e.getMessage());
    }
}
