package com.mailtrail.bench;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
import com.mailtrail.store.H2Tuning;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removing a wrong upload: loads a generated log of another host ({@code messages}, default 2,000) as an upload beside
 * the 1M-entry benchmark log, then removes it, which reads the stored text of the other file again; prints the time
 * and the rate of lines read again. On H2 ({@code java -Xmx512m -cp ... com.mailtrail.bench.RemoveBenchmark
 * [messages]}) the database the import benchmark leaves in {@code target/bench/h2} is copied first, and compacted
 * after as the server does; on PostgreSQL ({@code ... RemoveBenchmark [messages] postgres [entries]}, -Xmx2g) the
 * generated log of that many entries (1,000,000) is first imported into an embedded server.
 */
public final class RemoveBenchmark {

    private static final Set<String> RELAYS = Set.of("conversion", "reprocess", "process");

    private RemoveBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        if (args.length > 1 && args[1].equals("postgres")) {
            postgres(messages, args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000);
        } else {
            h2(messages);
        }
    }

    private static void h2(int messages) throws Exception {
        H2Tuning.apply();
        Path source = Path.of("target", "bench", "h2", "mailtrail.mv.db");
        if (!Files.exists(source)) {
            System.err.println("run ImportBenchmark 1000000 first: it leaves the database in " + source.getParent());
            System.exit(2);
        }
        Path dir = Path.of("target", "bench", "h2-remove");
        Files.createDirectories(dir);
        Path file = dir.resolve("mailtrail.mv.db");
        Files.copy(source, file, StandardCopyOption.REPLACE_EXISTING);
        org.h2.jdbcx.JdbcDataSource h2 = BenchData.database(dir);
        Flyway.configure().dataSource(h2).load().migrate();
        try (HikariDataSource ds = BenchData.pooled(h2)) {
            System.out.printf("database %.1f MB%n", Files.size(file) / 1e6);
            removeWrongUpload(new IngestEngine(ds, RELAYS, IngestEngine.H2_BATCH), ds, messages);
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("CHECKPOINT");
            }
            System.out.printf("file %.1f MB%n", Files.size(file) / 1e6);
        }
        // The server compacts once the file has grown by half (H2Compaction.afterPurge), as this does.
        long t0 = System.nanoTime();
        try (Connection c = h2.getConnection(); Statement st = c.createStatement()) {
            st.execute("SHUTDOWN COMPACT");
        } catch (SQLException closedByShutdown) {
            // SHUTDOWN closes the connection under the statement
        }
        System.out.printf("compacted in %.1f s: file %.1f MB%n", (System.nanoTime() - t0) / 1e9,
                Files.size(file) / 1e6);
    }

    private static void postgres(int messages, int entries) throws Exception {
        Path log = BenchData.generated(entries);
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
                st.execute("CREATE DATABASE removal");
            }
            // pooled as in the application: the embedded server's data source starts a backend per connection
            HikariDataSource ds = BenchData.pooled(pg.getDatabase("postgres", "removal", Map.of("reWriteBatchedInserts", "true")));
            Flyway.configure().dataSource(ds).load().migrate();
            IngestEngine engine = new IngestEngine(ds, RELAYS, IngestEngine.POSTGRES_BATCH);
            long t0 = System.nanoTime();
            try (InputStream in = Files.newInputStream(log)) {
                engine.ingest(engine.createSource("import", log.toString()), log.toString(), in, LogOptions.auto(),
                        new Progress());
            }
            System.out.printf("imported %s into PostgreSQL in %.1f s%n", log, (System.nanoTime() - t0) / 1e9);
            removeWrongUpload(engine, ds, messages);
            ds.close();
        }
    }

    private static void removeWrongUpload(IngestEngine engine, DataSource ds, int messages) throws Exception {
        StringWriter wrong = new StringWriter();
        new LogGenerator(GeneratorConfig.of(messages, 77)).generate(wrong, null);
        long upload = engine.createSource("upload", "wrong-host.log");
        IngestEngine.FileResult loaded = engine.ingest(upload, "wrong-host.log",
                new ByteArrayInputStream(wrong.toString().getBytes(StandardCharsets.UTF_8)), LogOptions.auto(),
                new Progress());
        engine.finishSource(upload, null);
        long lines = count(ds, "SELECT SUM(lines) FROM log_file WHERE source_id <> " + upload);
        System.out.printf("%,d messages stored; the wrong upload: %,d entries%n",
                count(ds, "SELECT COUNT(*) FROM message"), loaded.entries());

        long t0 = System.nanoTime();
        engine.removeSources(List.of(upload));
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("removed in %.1f s, reading %,d lines again (%,.0f lines/s): %,d messages%n", seconds, lines,
                lines / seconds, count(ds, "SELECT COUNT(*) FROM message"));
    }

    private static long count(DataSource ds, String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
