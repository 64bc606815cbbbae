package com.mailtrail.ingest;

import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;

/**
 * The table V21 adds, which this version's write path writes a batch's remote systems into: a test that writes with
 * it into a database migrated to an older version adds it first, and drops it before the migrations from that version
 * on run (V21 creates it).
 */
final class RemoteSystemTable {

    private RemoteSystemTable() {
    }

    static void add(DataSource ds) {
        new JdbcTemplate(ds).execute("CREATE TABLE remote_system (host VARCHAR(1000) NOT NULL, ip VARCHAR(100) NOT NULL)");
    }

    static void drop(DataSource ds) {
        new JdbcTemplate(ds).execute("DROP TABLE remote_system");
    }
}
