package com.mailtrail.bench;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Purge;
import com.mailtrail.store.H2Tuning;
import com.zaxxer.hikari.HikariDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.Set;

/**
 * Retention's removal on the database the H2 import benchmark leaves in {@code target/bench/h2} (1M entries of
 * 2 March 2026), copied first so that the page benchmark still finds it whole: removes what lies before the cutoff
 * (default: noon of that day), then compacts as the server does once the file has grown by half, and prints the
 * time and the file's size at each step. {@code java -cp ... com.mailtrail.bench.PurgeBenchmark [cutoff]}.
 */
public final class PurgeBenchmark {

    private PurgeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        H2Tuning.apply();
        LocalDateTime cutoff = LocalDateTime.parse(args.length > 0 ? args[0] : "2026-03-02T12:00");
        Path source = Path.of("target", "bench", "h2", "mailtrail.mv.db");
        if (!Files.exists(source)) {
            System.err.println("run ImportBenchmark 1000000 first: it leaves the database in " + source.getParent());
            System.exit(2);
        }
        Path dir = Path.of("target", "bench", "h2-purge");
        Files.createDirectories(dir);
        Files.copy(source, dir.resolve("mailtrail.mv.db"), StandardCopyOption.REPLACE_EXISTING);
        Path file = dir.resolve("mailtrail.mv.db");
        System.out.printf("database %.1f MB%n", Files.size(file) / 1e6);
        org.h2.jdbcx.JdbcDataSource h2 = BenchData.database(dir);
        org.flywaydb.core.Flyway.configure().dataSource(h2).load().migrate(); // a database of an older build
        HikariDataSource ds = BenchData.pooled(h2);
        // A session of its own keeps the database open when the pool closes; the compaction runs on it.
        try (Connection keepOpen = h2.getConnection()) {
            IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"),
                    IngestEngine.H2_BATCH);
            Purge.Result r = engine.purge(cutoff);
            ds.close();
            try (Statement st = keepOpen.createStatement()) {
                st.execute("CHECKPOINT");
            }
            System.out.printf("removed %,d messages, %,d recipients, %,d attempts, %,d raw blocks, %,d connection "
                            + "entries, %,d hourly counts from before %s in %.1f s; file %.1f MB%n", r.messages(),
                    r.recipients(), r.attempts(), r.rawBlocks(), r.connections(), r.hourlyCounts(), r.keptFrom(),
                    r.seconds(), Files.size(file) / 1e6);
            long t0 = System.nanoTime();
            try (Statement st = keepOpen.createStatement()) {
                st.execute("SHUTDOWN COMPACT");
            }
            System.out.printf("compacted in %.1f s: file %.1f MB%n", (System.nanoTime() - t0) / 1e9,
                    Files.size(file) / 1e6);
        } catch (java.sql.SQLException closedByShutdown) {
            // the connection is closed by SHUTDOWN
        }
    }
}
