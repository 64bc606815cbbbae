package com.mailtrail.ingest;

import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;

/**
 * The column and table V22 adds, which this version's write path writes (recipient.client_ip, client_system): a test
 * that writes with it into a database migrated to an older version adds them first, and drops them before the
 * migrations from that version on run (V22 adds them and fills them from the rows).
 */
final class ClientSystemColumns {

    private ClientSystemColumns() {
    }

    static void add(DataSource ds) {
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.execute("ALTER TABLE recipient ADD COLUMN client_ip VARCHAR(100)");
        jdbc.execute("CREATE TABLE client_system (host VARCHAR(2000) NOT NULL, ip VARCHAR(100) NOT NULL, "
                + "source VARCHAR(2000) NOT NULL)");
    }

    static void drop(DataSource ds) {
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.execute("DROP TABLE client_system");
        jdbc.execute("ALTER TABLE recipient DROP COLUMN client_ip");
    }
}
