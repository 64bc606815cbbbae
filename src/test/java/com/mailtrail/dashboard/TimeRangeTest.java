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
}
