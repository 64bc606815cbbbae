package com.mailtrail.ingest;

import com.mailtrail.store.SqlTimes;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;

/**
 * Finds, while a file is read in line order, where the MTA's clocks went back (the end of daylight saving time), and
 * gives each entry the seconds to add to its logged time to order it as it happened. The log has no zone or offset:
 * the line order tells the two passes of the repeated hour apart.
 *
 * <p>A line logged 20 to 90 minutes before the latest time of the file so far starts a step back; the shift is the
 * step rounded to a quarter of an hour, at least an hour (a quiet log shows less than the step: its first line after
 * the change may come minutes after it). Small steps back (seconds, minutes) are processes interleaving their lines.
 * Entries get the whole shift until the file's times pass the latest time before the step (the second pass); from
 * there the shift wears off evenly over {@link #WEAR_OFF_SECONDS}: without an offset no shift can hold for good
 * without a jump back somewhere, and a jump back an hour long reorders whatever straddles it, as the repeated hour
 * itself did. Worn off this way the order stays right and the gaps of those hours come out a twelfth short.
 *
 * <p>The state is what a read that goes on later needs (log_file.clock_*): the latest time so far, and while a shift
 * holds, the shift and the latest time before the step.
 */
final class ClockSteps {

    static final long MIN_STEP_SECONDS = 20 * 60;
    static final long MAX_STEP_SECONDS = 90 * 60;
    static final long WEAR_OFF_SECONDS = 12 * 3600;

    /** The state after some line: see the class comment. */
    record State(LocalDateTime latest, int step, LocalDateTime until) {
        static final State NONE = new State(null, 0, null);
        /** Its columns in log_file, in the order {@link #read} takes them. */
        static final String COLUMNS = "clock_latest, clock_step, clock_until";

        /** As stored with a file's read position: {@link #COLUMNS} selected from column {@code first} on. */
        static State read(ResultSet rs, int first) throws SQLException {
            return new State(SqlTimes.get(rs, first), rs.getInt(first + 1), SqlTimes.get(rs, first + 2));
        }
    }

    private LocalDateTime latest;
    private int step;
    private LocalDateTime until;

    ClockSteps(State from) {
        latest = from.latest();
        step = from.step();
        until = from.until();
    }

    State state() {
        return new State(latest, step, until);
    }

    /** The ordering shift in seconds of the entry logged at {@code t}, the next of the file in line order. */
    int shift(LocalDateTime t) {
        if (latest == null) {
            latest = t;
            return 0;
        }
        if (t.isBefore(latest) && (step == 0 || !t.isBefore(until))) {
            long back = Duration.between(t, latest).getSeconds();
            if (back >= MIN_STEP_SECONDS && back <= MAX_STEP_SECONDS) {
                step = (int) Math.max(3600, Math.round(back / 900.0) * 900);
                until = latest;
            }
        }
        if (t.isAfter(latest)) {
            latest = t;
        }
        if (step == 0) {
            return 0;
        }
        if (t.isBefore(until)) {
            return step; // the second pass
        }
        long after = Duration.between(until, t).getSeconds();
        if (after >= WEAR_OFF_SECONDS) {
            step = 0;
            until = null;
            return 0;
        }
        return (int) (step - step * after / WEAR_OFF_SECONDS);
    }
}
