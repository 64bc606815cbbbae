package com.mailtrail.bench;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
import com.mailtrail.store.H2Tuning;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

/**
 * Removing a wrong upload from the database the H2 import benchmark leaves in {@code target/bench/h2}, copied first:
 * loads a generated log of another host ({@code messages}, default 2,000) as an upload, then removes it, which reads
 * the stored text of every other file again; prints the time, the rate of lines read again and the file's size, then
 * compacts as the server does.
 * {@code java -Xmx512m -cp ... com.mailtrail.bench.RemoveBenchmark [messages]}.
 */
public final class RemoveBenchmark {

    private RemoveBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        H2Tuning.apply();
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
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
            IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"),
                    IngestEngine.H2_BATCH);
            StringWriter wrong = new StringWriter();
            new LogGenerator(GeneratorConfig.of(messages, 77)).generate(wrong, null);
            long upload = engine.createSource("upload", "wrong-host.log");
            IngestEngine.FileResult loaded = engine.ingest(upload, "wrong-host.log",
                    new ByteArrayInputStream(wrong.toString().getBytes(StandardCharsets.UTF_8)), LogOptions.auto(),
                    new Progress());
            engine.finishSource(upload, null);
            long lines = count(ds, "SELECT SUM(lines) FROM log_file WHERE source_id <> " + upload);
            long stored = count(ds, "SELECT COUNT(*) FROM message");
            System.out.printf("database %.1f MB: %,d messages; the wrong upload: %,d entries%n",
                    Files.size(file) / 1e6, stored, loaded.entries());

            long t0 = System.nanoTime();
            engine.removeSources(List.of(upload));
            double seconds = (System.nanoTime() - t0) / 1e9;
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("CHECKPOINT");
            }
            System.out.printf("removed in %.1f s, reading %,d lines again (%,.0f lines/s): %,d messages; file %.1f MB%n",
                    seconds, lines, lines / seconds, count(ds, "SELECT COUNT(*) FROM message"),
                    Files.size(file) / 1e6);
        }
        // The server compacts once the file has grown by half (H2Compaction.afterPurge), as this does.
        long t0 = System.nanoTime();
        try (Connection c = h2.getConnection(); Statement st = c.createStatement()) {
            st.execute("SHUTDOWN COMPACT");
        } catch (java.sql.SQLException closedByShutdown) {
            // SHUTDOWN closes the connection under the statement
        }
        System.out.printf("compacted in %.1f s: file %.1f MB%n", (System.nanoTime() - t0) / 1e9,
                Files.size(file) / 1e6);
    }

    private static long count(javax.sql.DataSource ds, String sql) throws java.sql.SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
