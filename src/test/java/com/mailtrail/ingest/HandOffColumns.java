package com.mailtrail.ingest;

import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;

/**
 * The columns V15 adds, which this version's write path writes: a test that writes with it into a database migrated to
 * an older version adds them first, and drops them again before the migrations from that version on run.
 */
final class HandOffColumns {

    private HandOffColumns() {
    }

    static void add(DataSource ds) {
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.execute("ALTER TABLE attempt ADD COLUMN hand_off BOOLEAN");
        jdbc.execute("ALTER TABLE recipient ADD COLUMN last_hand_off BOOLEAN");
    }

    static void drop(DataSource ds) {
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.execute("ALTER TABLE attempt DROP COLUMN hand_off");
        jdbc.execute("ALTER TABLE recipient DROP COLUMN last_hand_off");
    }
}
