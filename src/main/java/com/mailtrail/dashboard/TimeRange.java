package com.mailtrail.dashboard;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.Year;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The range a dashboard shows: [from, to). Drawn per hour up to three days, per day up to 400 days, per month up to
 * a hundred years, per year up to a thousand, per decade up to ten thousand (and by tens of those beyond): a stray
 * line dated 1970 among this year's stretches the loaded range over half a century, and per day (with the bars cut
 * off after 5,000 days) the charts showed 1970 to 1983 and nothing that was loaded. Every range keeps its whole
 * extent rather than being cut to where the data is dense: what lies in the range is counted and can be clicked,
 * and the loaded data's own lines (a hostile log's entries dated 0000 and 9999 among this year's) stay visible as the
 * bars they make, which an administrator then narrows with from and to. Per year, a log dated 0000 to 9999 drew
 * 10,000 bars (the failures chart was 11 MB and took 11 s); no range now draws more than about a thousand.
 */
record TimeRange(LocalDateTime from, LocalDateTime to) {

    TimeRange {
        if (!to.isAfter(from)) {
            // RangeParam refuses a typed range so in the search's words first (SearchForm.ordered)
            throw new IllegalArgumentException("from must be before to (from is inclusive, to exclusive)");
        }
    }

    /** The most bars of a year or more a range is drawn with (the most years a typed range may span: RangeParam). */
    static final long MAX_BARS = 1000;

    /**
     * The width of a chart bucket: "hour", "day", "month", "year", "decade", "century", "millennium", or "N years"
     * (a power of ten) for a range wider still, which no log's four-digit dates make.
     */
    String unit() {
        Duration d = Duration.between(from, to);
        if (d.compareTo(Duration.ofDays(3)) <= 0) {
            return "hour";
        }
        if (d.compareTo(Duration.ofDays(400)) <= 0) {
            return "day";
        }
        if (ChronoUnit.MONTHS.between(from, to) <= 1200) {
            return "month";
        }
        long years = years();
        return years == 1 ? "year" : years == 10 ? "decade" : years == 100 ? "century" : years == 1000 ? "millennium"
                : years + " years";
    }

    /** The years a bar of a year or more spans: the smallest power of ten that draws the range in MAX_BARS bars. */
    private long years() {
        long span = ChronoUnit.YEARS.between(from, to);
        long years = 1;
        while (span > MAX_BARS * years) {
            years *= 10;
        }
        return years;
    }

    /** The start of the chart bucket holding {@code t}. */
    LocalDateTime bucket(LocalDateTime t) {
        return switch (unit()) {
            case "hour" -> t.truncatedTo(ChronoUnit.HOURS);
            case "day" -> t.truncatedTo(ChronoUnit.DAYS);
            case "month" -> t.truncatedTo(ChronoUnit.DAYS).withDayOfMonth(1);
            default -> {
                long years = years();
                // floorDiv: a bar before year 0 starts at its own decade, not the one after
                long year = Math.max(Year.MIN_VALUE, Math.floorDiv(t.getYear(), years) * years);
                yield LocalDateTime.of((int) year, 1, 1, 0, 0);
            }
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
            default -> {
                // from the bar's own start, so that the first bar (held at Year.MIN_VALUE) ends where the next begins
                long end = Math.floorDiv(bucket.getYear(), years()) * years() + years();
                yield end > Year.MAX_VALUE ? LocalDateTime.MAX : LocalDateTime.of((int) end, 1, 1, 0, 0);
            }
        };
    }
}
