package com.mailtrail.ingest;

import org.junit.jupiter.api.Test;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ClockStepsTest {

    private static LocalDateTime at(String time) {
        return LocalDateTime.parse("2026-11-01T" + time);
    }

    private static List<Integer> shifts(String... times) {
        ClockSteps clock = new ClockSteps(ClockSteps.State.NONE);
        List<Integer> out = new ArrayList<>();
        for (String t : times) {
            out.add(clock.shift(at(t)));
        }
        return out;
    }

    @Test
    void americanClocksGoingBackAtTwoGiveTheSecondPassAnHour() {
        assertThat(shifts("01:30:00", "01:59:58", "01:00:03", "01:59:57", "02:00:00"))
                .containsExactly(0, 0, 3600, 3600, 3600);
    }

    @Test
    void aQuietLogShowsLessThanTheStepAndStillGetsAnHour() {
        assertThat(shifts("01:10:00", "01:40:00", "01:05:00")).containsExactly(0, 0, 3600);
    }

    @Test
    void stepsBackOfSecondsOrMinutesOrOfDaysAreNotTheClocks() {
        assertThat(shifts("10:30:05", "10:30:03", "10:11:06", "10:40:00", "08:40:00", "10:41:00"))
                .containsExactly(0, 0, 0, 0, 0, 0);
    }

    @Test
    void theShiftWearsOffOverTwelveHoursAfterTheSecondPass() {
        assertThat(shifts("01:59:00", "01:01:00", "07:59:00", "13:58:59", "13:59:00", "20:00:00"))
                .containsExactly(0, 3600, 1800, 1, 0, 0);
    }

    @Test
    void aReadThatGoesOnFromTheStoredStateGivesTheSameShifts() {
        ClockSteps clock = new ClockSteps(ClockSteps.State.NONE);
        clock.shift(at("01:59:00"));
        clock.shift(at("01:01:00"));
        ClockSteps.State stored = clock.state();
        assertThat(stored).isEqualTo(new ClockSteps.State(at("01:59:00"), 3600, at("01:59:00")));
        assertThat(new ClockSteps(stored).shift(at("01:30:00"))).isEqualTo(3600);
        assertThat(new ClockSteps(stored).shift(at("01:00:30"))).as("not a second step").isEqualTo(3600);
    }
}
