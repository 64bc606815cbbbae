package com.mailtrail.dashboard;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The range a dashboard shows: [from, to). Drawn per hour up to three days, per day up to 400 days, per month up to
 * a hundred years, per year beyond: a stray line dated 1970 among this year's stretches the loaded range over half a
 * century, and per day (with the bars cut off after 5,000 days) the charts showed 1970 to 1983 and nothing that was
 * loaded.
 */
record TimeRange(LocalDateTime from, LocalDateTime to) {

    TimeRange {
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("the range must end after it starts");
        }
    }

    /** The width of a chart bucket: "hour", "day", "month" or "year". */
    String unit() {
        Duration d = Duration.between(from, to);
        if (d.compareTo(Duration.ofDays(3)) <= 0) {
            return "hour";
        }
        if (d.compareTo(Duration.ofDays(400)) <= 0) {
            return "day";
        }
        return ChronoUnit.MONTHS.between(from, to) <= 1200 ? "month" : "year";
    }

    /** The start of the chart bucket holding {@code t}. */
    LocalDateTime bucket(LocalDateTime t) {
        return switch (unit()) {
            case "hour" -> t.truncatedTo(ChronoUnit.HOURS);
            case "day" -> t.truncatedTo(ChronoUnit.DAYS);
            case "month" -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
            default -> t.truncatedTo(ChronoUnit.DAYS).withDayOfYear(1);
        };
    }

    /**
     * Every bucket start from the range's first to its last, so that charts show gaps as zeros. Hourly bars start at
     * the first hour the range counts (countedFrom): a range from 10:30 has no 10:00 bar, which could only be 0.
     */
    List<LocalDateTime> buckets() {
        List<LocalDateTime> out = new ArrayList<>();
        for (LocalDateTime t = unit().equals("hour") ? countedFrom() : bucket(from); t.isBefore(to); t = bucketEnd(t)) {
            out.add(t);
        }
        return out;
    }

    /**
     * The first hour whose rollups the range counts: the hourly counts are read by {@code bucket >= from}, so a range
     * from 10:30 counts from 11:00, and its figures' searches must start there too.
     */
    LocalDateTime countedFrom() {
        return hourUp(from);
    }

    /** The end of the last hour whose rollups the range counts ({@code bucket < to}: to 12:30 counts 12:00 to 13:00). */
    LocalDateTime countedTo() {
        return hourUp(to);
    }

    private static LocalDateTime hourUp(LocalDateTime t) {
        LocalDateTime hour = t.truncatedTo(ChronoUnit.HOURS);
        return hour.equals(t) ? t : hour.plusHours(1);
    }

    LocalDateTime bucketEnd(LocalDateTime bucket) {
        return switch (unit()) {
            case "hour" -> bucket.plusHours(1);
            case "day" -> bucket.plusDays(1);
            case "month" -> bucket.plusMonths(1);
            default -> bucket.plusYears(1);
        };
    }
}
