package com.mailtrail.dashboard;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;

/**
 * The range a dashboard shows: [from, to). Ranges over three days are drawn per day, shorter ones per hour.
 */
record TimeRange(LocalDateTime from, LocalDateTime to) {

    TimeRange {
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("the range must end after it starts");
        }
    }

    boolean daily() {
        return Duration.between(from, to).compareTo(Duration.ofDays(3)) > 0;
    }

    /** The start of the chart bucket holding {@code t}. */
    LocalDateTime bucket(LocalDateTime t) {
        return daily() ? t.truncatedTo(ChronoUnit.DAYS) : t.truncatedTo(ChronoUnit.HOURS);
    }

    /** Every bucket start from the range's first to its last, so that charts show gaps as zeros. */
    java.util.List<LocalDateTime> buckets() {
        java.util.List<LocalDateTime> out = new java.util.ArrayList<>();
        LocalDateTime t = bucket(from);
        while (t.isBefore(to) && out.size() < 5000) {
            out.add(t);
            t = daily() ? t.plusDays(1) : t.plusHours(1);
        }
        return out;
    }

    LocalDateTime bucketEnd(LocalDateTime bucket) {
        return daily() ? bucket.plusDays(1) : bucket.plusHours(1);
    }
}
