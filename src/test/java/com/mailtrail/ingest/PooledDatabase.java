package com.mailtrail.ingest;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import javax.sql.DataSource;

/**
 * A small connection pool over a {@link TestDatabase}, as the application has one (HikariCP): the test databases hand
 * out a new connection each time, and on PostgreSQL a new connection is a new server process (130 ms on a loaded
 * 2-core machine, against 4 ms for a query on a connection held). Tests that import or query a lot go through one of
 * these; close it when done, so that no connections stay open into other classes.
 */
public final class PooledDatabase {

    private PooledDatabase() {
    }

    public static HikariDataSource of(DataSource ds) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(ds);
        // the import's writer and its correlator's reads each take one, with room to spare
        config.setMaximumPoolSize(4);
        config.setMinimumIdle(0);
        return new HikariDataSource(config);
    }

    public static HikariDataSource of(String kind) {
        return of(TestDatabase.of(kind));
    }
}
