package com.mailtrail.dashboard;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bars of a range: the hours it counts, no more. The charts count the hours that begin in the range (10:30 to
 * 12:30 counts 11:00 to 13:00); a range from 10:30 drew a bar at 10:00 as well, always 0 and without a link, which
 * read as "nothing delivered at 10:00" in an hour with 209 deliveries (QA on the demo day).
 */
class TimeRangeTest {

    private static LocalDateTime at(int hour, int minute) {
        return LocalDateTime.of(2026, 3, 2, hour, minute);
    }

    @Test
    void anHourlyRangeNotOnTheHourHasABarForEachHourItCountsOnly() {
        TimeRange r = new TimeRange(at(10, 30), at(12, 30));
        assertThat(r.buckets()).containsExactly(at(11, 0), at(12, 0));
        assertThat(r.countedFrom()).isEqualTo(at(11, 0));
        assertThat(r.countedTo()).isEqualTo(at(13, 0));
    }

    @Test
    void aRangeOnTheHourKeepsItsFirstHour() {
        assertThat(new TimeRange(at(10, 0), at(12, 0)).buckets()).containsExactly(at(10, 0), at(11, 0));
    }

    @Test
    void aRangeWithinOneHourCountsNoHourAndDrawsNoBar() {
        assertThat(new TimeRange(at(10, 15), at(10, 45)).buckets()).isEmpty();
    }

    @Test
    void dailyBarsStillStartAtTheFirstDay() {
        TimeRange week = new TimeRange(at(10, 30), at(10, 30).plusDays(6));
        List<LocalDateTime> days = week.buckets();
        assertThat(days).hasSize(7);
        assertThat(days.get(0)).isEqualTo(at(0, 0));
    }

    /**
     * A hostile log dated from year 0000 to 9999 stretched the loaded range over ten thousand years, drawn per year:
     * 10,000 bars (the failures chart was 11 MB and took 11 s). Beyond a thousand years a bar is a decade, beyond ten
     * thousand a century, and so on: no range draws more than about a thousand bars.
     */
    @Test
    void anyRangeDrawsAtMostAboutAThousandBars() {
        TimeRange thousand = new TimeRange(LocalDateTime.of(1026, 1, 1, 0, 0), LocalDateTime.of(2026, 1, 1, 0, 0));
        assertThat(thousand.unit()).isEqualTo("year");
        assertThat(thousand.buckets()).hasSize(1000);

        TimeRange hostile = new TimeRange(LocalDateTime.of(0, 1, 1, 0, 0), LocalDateTime.of(9999, 12, 31, 23, 0));
        assertThat(hostile.unit()).isEqualTo("decade");
        assertThat(hostile.buckets()).hasSize(1000).first().isEqualTo(LocalDateTime.of(0, 1, 1, 0, 0));
        assertThat(hostile.bucket(LocalDateTime.of(2026, 3, 2, 10, 0))).isEqualTo(LocalDateTime.of(2020, 1, 1, 0, 0));
        assertThat(hostile.bucketEnd(LocalDateTime.of(2020, 1, 1, 0, 0))).isEqualTo(LocalDateTime.of(2030, 1, 1, 0, 0));

        TimeRange wider = new TimeRange(LocalDateTime.of(-50_000, 1, 1, 0, 0), LocalDateTime.of(9999, 1, 1, 0, 0));
        assertThat(wider.unit()).isEqualTo("century");
        assertThat(wider.buckets()).hasSize(600);
        TimeRange widest = new TimeRange(LocalDateTime.MIN, LocalDateTime.MAX);
        assertThat(widest.buckets()).hasSizeLessThanOrEqualTo(1001);
        // a bar before year 0 starts at its own decade, not at the one after
        assertThat(hostile.bucket(LocalDateTime.of(-5, 6, 1, 0, 0))).isEqualTo(LocalDateTime.of(-10, 1, 1, 0, 0));
    }
}
