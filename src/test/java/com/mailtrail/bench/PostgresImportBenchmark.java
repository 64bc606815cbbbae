package com.mailtrail.bench;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
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

    static void run(Path log) throws Exception {
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE imported");
                st.execute("CREATE DATABASE copied");
            }
            DataSource imported = pg.getDatabase("postgres", "imported", Map.of("reWriteBatchedInserts", "true"));
            DataSource copied = pg.getDatabase("postgres", "copied");
            Flyway.configure().dataSource(imported).load().migrate();
            Flyway.configure().dataSource(copied).load().migrate();

            IngestEngine engine = new IngestEngine(imported, Set.of("conversion", "reprocess", "process"), Integer.getInteger("batch", IngestEngine.POSTGRES_BATCH));
            long source = engine.createSource("import", log.toString());
            long t0 = System.nanoTime();
            IngestEngine.FileResult r;
            try (InputStream in = Files.newInputStream(log); ThreadCpu cpu = new ThreadCpu()) {
                r = engine.ingest(source, log.toString(), in, LogOptions.auto(), new Progress());
            }
            double importSeconds = (System.nanoTime() - t0) / 1e9;
            double importRate = r.entries() / importSeconds;
            System.out.printf("PostgreSQL import: %,d entries in %.1f s: %,.0f entries/s%n", r.entries(), importSeconds,
                    importRate);

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
            long t1 = System.nanoTime();
            try (Connection c = copied.getConnection()) {
                c.setAutoCommit(false);
                CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
                for (Map.Entry<String, byte[]> e : data.entrySet()) {
                    copy.copyIn("COPY " + e.getKey() + " FROM STDIN (FORMAT binary)", new ByteArrayInputStream(e.getValue()));
                }
                c.commit();
            }
            double copySeconds = (System.nanoTime() - t1) / 1e9;
            System.out.printf("plain COPY of the same %,d rows: %.1f s (%,.0f rows/s, %,.0f entries/s equivalent)%n",
                    rows, copySeconds, rows / copySeconds, r.entries() / copySeconds);
            System.out.printf("import / COPY: %.0f %%%n", 100 * importRate / (r.entries() / copySeconds));
            try (Connection c = imported.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT pg_database_size('imported')")) {
                rs.next();
                System.out.printf("PostgreSQL database size: %.1f MB (log %.1f MB)%n", rs.getLong(1) / 1e6,
                        Files.size(log) / 1e6);
            }
        }
    }
}
