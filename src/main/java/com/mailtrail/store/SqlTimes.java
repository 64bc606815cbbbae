package com.mailtrail.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;

/**
 * Log times in and out of TIMESTAMP columns as they are written in the log: local date-times, handed to the driver as
 * {@link LocalDateTime}. Through {@code java.sql.Timestamp} a time went via the JVM's time zone, and one that does not
 * exist there (02:30 on the day its clocks go forward, a line of an MTA in another zone) came back an hour later.
 */
public final class SqlTimes {

    private SqlTimes() {
    }

    public static void set(PreparedStatement ps, int i, LocalDateTime t) throws SQLException {
        if (t == null) {
            ps.setNull(i, Types.TIMESTAMP);
        } else {
            ps.setObject(i, t);
        }
    }

    public static LocalDateTime get(ResultSet rs, int i) throws SQLException {
        return rs.getObject(i, LocalDateTime.class);
    }

    public static LocalDateTime get(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, LocalDateTime.class);
    }
}
