package com.mailtrail.bench;

import com.mailtrail.dashboard.QueueQueries;
import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.message.MessageQueries;
import com.mailtrail.parse.LogOptions;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The same import into a real PostgreSQL (embedded, as in the tests), compared with a plain COPY of the very rows
 * the import produced into an empty copy of the schema: the fastest PostgreSQL can take those rows at all.
 */
final class PostgresImportBenchmark {

    private static final List<String> TABLES = List.of("message", "recipient", "attempt", "connection",
            "connection_hour", "rollup_hour", "rollup_recipient_hour", "raw_block", "rejected_line");

    private PostgresImportBenchmark() {
    }

    /** @param warmLog imported first into a database of its own (the JVM's code compiled), or null */
    static void run(Path log, Path warmLog) throws Exception {
        boolean statements = Boolean.getBoolean("pg.statements");
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (statements) {
            builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
        }
        try (EmbeddedPostgres pg = builder.start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE imported");
                st.execute("CREATE DATABASE copied");
                st.execute("CREATE DATABASE warm");
            }
            if (warmLog != null) {
                try (HikariDataSource warm = BenchData.pooled(pg.getDatabase("postgres", "warm", Map.of("reWriteBatchedInserts", "true")));
                     InputStream in = Files.newInputStream(warmLog)) {
                    Flyway.configure().dataSource(warm).load().migrate();
                    IngestEngine engine = new IngestEngine(warm, Set.of("conversion", "reprocess", "process"), IngestEngine.POSTGRES_BATCH);
                    engine.ingest(engine.createSource("import", warmLog.toString()), warmLog.toString(), in, LogOptions.auto(), new Progress());
                }
                System.out.println("warmed up on " + warmLog + " in another database");
                // dropped, so that the measured import and the COPY run in the cluster as it was without it
                try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                    st.execute("DROP DATABASE warm");
                    st.execute("CHECKPOINT");
                }
            }
            // pooled, as the application's data source is: the embedded server's own data source opens a new
            // backend for every connection asked for, and the import asks for some at every batch
            try (HikariDataSource imported = BenchData.pooled(pg.getDatabase("postgres", "imported", Map.of("reWriteBatchedInserts", "true")))) {
                measure(pg, imported, log, statements);
            }
        }
    }

    /** Times the import into {@code imported}, then a plain COPY of the rows it stored into another database. */
    private static void measure(EmbeddedPostgres pg, HikariDataSource imported, Path log, boolean statements) throws Exception {
        DataSource copied = pg.getDatabase("postgres", "copied");
        Flyway.configure().dataSource(imported).load().migrate();
        Flyway.configure().dataSource(copied).load().migrate();

        IngestEngine engine = new IngestEngine(imported, Set.of("conversion", "reprocess", "process"), Integer.getInteger("batch", IngestEngine.POSTGRES_BATCH));
        long source = engine.createSource("import", log.toString());
        checkpoint(pg);
        long t0 = System.nanoTime();
        IngestEngine.FileResult r;
        try (InputStream in = Files.newInputStream(log); ThreadCpu cpu = new ThreadCpu()) {
            r = engine.ingest(source, log.toString(), in, LogOptions.auto(), new Progress());
        }
        double importSeconds = (System.nanoTime() - t0) / 1e9;
        double importRate = r.entries() / importSeconds;
        System.out.printf("PostgreSQL import: %,d entries in %.1f s: %,.0f entries/s%n", r.entries(), importSeconds,
                importRate);
        if (statements) {
            printStatements(imported);
        }
        if (Boolean.getBoolean("pg.plans")) {
            printPlans(imported);
        }

        // Export the produced rows, then time only COPY FROM into the empty schema.
        Map<String, byte[]> data = new java.util.LinkedHashMap<>();
        long rows = 0;
        try (Connection c = imported.getConnection()) {
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            for (String table : TABLES) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                copy.copyOut("COPY " + table + " TO STDOUT (FORMAT binary)", out);
                data.put(table, out.toByteArray());
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
                    rs.next();
                    rows += rs.getLong(1);
                }
            }
        }
        // the import's pages written out first, so that the COPY does not pay for them: it measured 6.2-9.9 s
        // without this, taken right after the import
        checkpoint(pg);
        long t1 = System.nanoTime();
        // the machine's CPU beside this JVM's is the server's: what a COPY costs it, against the import's
        try (ThreadCpu cpu = new ThreadCpu(); Connection c = copied.getConnection()) {
            c.setAutoCommit(false);
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            for (Map.Entry<String, byte[]> e : data.entrySet()) {
                copy.copyIn("COPY " + e.getKey() + " FROM STDIN (FORMAT binary)", new ByteArrayInputStream(e.getValue()));
            }
            c.commit();
        }
        double copySeconds = (System.nanoTime() - t1) / 1e9;
        if (statements) {
            printStatements(copied);
        }
        System.out.printf("plain COPY of the same %,d rows: %.1f s (%,.0f rows/s, %,.0f entries/s equivalent)%n",
                rows, copySeconds, rows / copySeconds, r.entries() / copySeconds);
        System.out.printf("import / COPY: %.0f %%%n", 100 * importRate / (r.entries() / copySeconds));
        int parts = Integer.getInteger("pg.copyParts", 0);
        if (parts > 1) {
            copyInParts(pg, data, parts, rows);
        }
        try (Connection c = imported.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_database_size('imported')")) {
            rs.next();
            System.out.printf("PostgreSQL database size: %.1f MB (log %.1f MB)%n", rs.getLong(1) / 1e6,
                    Files.size(log) / 1e6);
        }
    }

    private static void checkpoint(EmbeddedPostgres pg) throws java.sql.SQLException {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
        }
    }

    /**
     * The same COPY, but each table's rows shared out over {@code parts} transactions, every transaction copying its
     * part of each table in turn, as the import commits each batch's rows of every table together
     * (-Dpg.copyParts=50: the import's 1M entries in batches of 20,000).
     */
    private static void copyInParts(EmbeddedPostgres pg, Map<String, byte[]> data, int parts, long rows) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE copied_in_parts");
        }
        DataSource target = pg.getDatabase("postgres", "copied_in_parts");
        Flyway.configure().dataSource(target).load().migrate();
        Map<String, List<byte[]>> split = new java.util.LinkedHashMap<>();
        data.forEach((table, bytes) -> split.put(table, BinaryCopyChunks.split(bytes, parts)));
        checkpoint(pg);
        long t0 = System.nanoTime();
        try (Connection c = target.getConnection()) {
            c.setAutoCommit(false);
            CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
            for (int p = 0; p < parts; p++) {
                for (Map.Entry<String, List<byte[]>> e : split.entrySet()) {
                    copy.copyIn("COPY " + e.getKey() + " FROM STDIN (FORMAT binary)", new ByteArrayInputStream(e.getValue().get(p)));
                }
                c.commit();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("the same COPY in %d transactions: %.1f s (%,.0f rows/s)%n", parts, seconds, rows / seconds);
        if (Boolean.getBoolean("pg.statements")) {
            printStatements(target);
        }
    }

    /**
     * The plans PostgreSQL's own planner chooses, after ANALYZE, at full size (-Dpg.plans=true) for the statements
     * that rely on the index on recipient.status (V17): a test database is too small for the planner to choose it.
     */
    private static void printPlans(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("ANALYZE");
            for (String[] q : new String[][]{{"the Queue page", QueueQueries.WAITING},
                    {"the search's waiting messages", MessageQueries.WAITING_MESSAGES
                            .replace(":statuses", "'deferred', 'queued'")}}) {
                System.out.println("plan of " + q[0] + ":");
                try (ResultSet rs = st.executeQuery("EXPLAIN (ANALYZE, BUFFERS) " + q[1])) {
                    while (rs.next()) {
                        System.out.println("  " + rs.getString(1));
                    }
                }
            }
        }
    }

    /** The server's time per statement of the import (-Dpg.statements=true), the costliest first. */
    private static void printStatements(DataSource db) throws java.sql.SQLException {
        try (Connection c = db.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            // blocks read into PostgreSQL's buffers (from the OS or the disk) and the WAL written, full-page images
            // apart, say whether a statement costs more for the rows or for the pages around them
            try (ResultSet rs = st.executeQuery("SELECT total_exec_time, calls, rows, shared_blks_read, wal_bytes, wal_fpi, "
                    + "left(regexp_replace(query, '\\s+', ' ', 'g'), 90) "
                    + "FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                    + "ORDER BY total_exec_time DESC LIMIT 15")) {
                while (rs.next()) {
                    System.out.printf("  %7.0f ms %7d calls %9d rows %8d blocks read %7.1f MB WAL %7d page images  %s%n",
                            rs.getDouble(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getDouble(5) / 1e6,
                            rs.getLong(6), rs.getString(7));
                }
            }
        }
    }
}
