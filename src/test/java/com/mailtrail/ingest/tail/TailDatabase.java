package com.mailtrail.ingest.tail;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.TestDatabase;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.Set;

/** A fresh migrated database (H2 or a real PostgreSQL) and the real engine on it. */
final class TailDatabase {

    final DataSource dataSource;
    final JdbcTemplate jdbc;

    /** On PostgreSQL behind a pool, as in a server; closed after each test (TailerTest). */
    TailDatabase(String kind) {
        this(TestDatabase.pooled(kind));
    }

    /** A database migrated already. */
    TailDatabase(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Rows with column names in any case: H2 answers in upper case, PostgreSQL in lower. */
    java.util.List<java.util.Map<String, Object>> rows(String sql) {
        return jdbc.queryForList(sql).stream().map(row -> {
            java.util.Map<String, Object> m = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            m.putAll(row);
            return m;
        }).toList();
    }

    /** A new engine, as after a restart: it knows only what the database holds. */
    IngestEngine engine() {
        return new IngestEngine(dataSource, Set.of("conversion", "reprocess", "process"), 500);
    }

    long count(String sql) {
        return jdbc.queryForObject(sql, Long.class);
    }
}
