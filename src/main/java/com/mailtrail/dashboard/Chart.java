package com.mailtrail.dashboard;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * What js/charts.js draws. {@code labels} are bucket starts as ISO local date-times for a time axis, or category
 * names; each series has a value per label and, per label, the search page that lists what the bar counts (null
 * where there is none). All text is data: the browser puts it in the chart as text, never as HTML.
 */
record Chart(String type, boolean timeAxis, boolean stacked, String unit, List<String> labels, List<Series> series) {

    /**
     * @param kind what the series counts when it is not what the chart's title says, drawn apart (dashed):
     *             {@code handoff}, a relay channel's hand-offs on "Deliveries per channel"; absent otherwise
     */
    record Series(String name, List<Long> values, List<String> links,
                  @JsonInclude(JsonInclude.Include.NON_NULL) String kind) {

        Series(String name, List<Long> values, List<String> links) {
            this(name, values, links, null);
        }
    }
}
