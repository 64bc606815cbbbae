package com.mailtrail.ingest.tail;

import com.mailtrail.ingest.IngestEngine;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/** A fresh migrated H2 database and the real engine on it. */
final class TailDatabase {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    final DataSource dataSource;
    final JdbcTemplate jdbc;

    TailDatabase() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:tail" + COUNTER.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        this.dataSource = ds;
        this.jdbc = new JdbcTemplate(ds);
    }

    /** A new engine, as after a restart: it knows only what the database holds. */
    IngestEngine engine() {
        return new IngestEngine(dataSource, Set.of("conversion", "reprocess", "process"), 500);
    }

    long count(String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }
}
