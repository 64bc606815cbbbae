package com.mailtrail.dashboard;

import java.util.List;

/**
 * What js/charts.js draws. {@code labels} are bucket starts as ISO local date-times for a time axis, or category
 * names; each series has a value per label and, per label, the search page that lists what the bar counts (null
 * where there is none). All text is data: the browser puts it in the chart as text, never as HTML.
 */
record Chart(String type, boolean timeAxis, boolean stacked, String unit, List<String> labels, List<Series> series) {

    record Series(String name, List<Long> values, List<String> links) {
    }
}
