package com.mailtrail.bench;

import com.mailtrail.store.H2Tuning;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
import com.zaxxer.hikari.HikariDataSource;
import org.h2.jdbcx.JdbcDataSource;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;

/**
 * Import benchmark (not a test): the generator's 1,000,000-entry log into a fresh H2 file database, printing
 * entries/s, peak heap and the database size. {@code java -Xmx512m -cp ... com.mailtrail.bench.ImportBenchmark}
 * The database is opened with the application's H2 settings; {@code -Dh2.options=;NAME=value} adds more to try.
 * {@code ImportBenchmark ENTRIES postgres} imports into PostgreSQL instead, {@code ImportBenchmark ENTRIES none} through
 * {@link NoWriteDataSource} (everything but the database's work); {@code -Dwarm=N} first imports N other entries in
 * the same JVM, so that the figure is that of a JVM whose code is already compiled. {@code -Dbaseline=true} then
 * times H2's own floor for the same rows ({@link H2InsertBaseline}).
 */
public final class ImportBenchmark {

    private ImportBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        H2Tuning.apply();
        // the JVM matters: the same build imports 5-15 % faster on JDK 25 than on Java 17 (README, Speed)
        System.out.printf("JVM: %s %s%n", System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"));
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path log = BenchData.generated(entries);
        int warm = Integer.getInteger("warm", 0);
        if (args.length > 1 && args[1].equals("postgres")) {
            PostgresImportBenchmark.run(log, warm > 0 ? BenchData.generated(warm, BenchData.SEED + 1) : null);
            return;
        }
        boolean noWrites = args.length > 1 && args[1].equals("none");
        // -Doverlap=true: the measured log goes into the database the warm-up filled with another log of the same
        // day, so that every entry is compared with that file's stored lines (as mail.log against mail.log_yesterday,
        // or the logs of two hosts for one day)
        boolean overlap = warm > 0 && !noWrites && Boolean.getBoolean("overlap");
        if (warm > 0) {
            // A JVM that has imported before: the first import also pays for compiling H2's and Mailtrail's code
            // (about 10 s of CPU on these two cores), as the command-line import always does and a server only once.
            Path warmLog = BenchData.generated(warm, BenchData.SEED + 1);
            JdbcDataSource warmH2 = BenchData.freshDatabase(Path.of("target", "bench", overlap ? "h2" : "h2-warm"));
            HikariDataSource warmDb = BenchData.pooled(noWrites ? new NoWriteDataSource(warmH2) : warmH2);
            // closed at the end, so that the warm-up database does not stay open beside the measured one
            try (warmDb; Connection keepOpen = warmH2.getConnection()) {
                IngestEngine engine = new IngestEngine(warmDb, Set.of("conversion", "reprocess", "process"), IngestEngine.H2_BATCH);
                try (InputStream in = Files.newInputStream(warmLog)) {
                    engine.ingest(engine.createSource("import", warmLog.toString()), warmLog.toString(), in, LogOptions.auto(), new Progress());
                }
                System.out.printf("warmed up on %,d entries in another database%n", warm);
            }
        }
        // not target/bench/h2 for the no-write run: PageBenchmark reads the database the H2 run leaves there
        Path dir = Path.of("target", "bench", noWrites ? "h2-no-writes" : "h2");
        JdbcDataSource h2 = overlap ? BenchData.database(dir) : BenchData.freshDatabase(dir);
        HikariDataSource ds = BenchData.pooled(noWrites ? new NoWriteDataSource(h2) : h2);
        // The heap actually in use, sampled: summing each pool's own peak would overstate it.
        long[] peakHeap = new long[1];
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakHeap[0] = Math.max(peakHeap[0], ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.setDaemon(true);
        sampler.start();
        int batch = Integer.getInteger("batch", IngestEngine.H2_BATCH);
        IngestEngine.FileResult r = null;
        double seconds = 0;
        try (Connection keepOpen = h2.getConnection()) {
            IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), batch);
            long source = engine.createSource("import", log.toString());
            long t0 = System.nanoTime();
            try (InputStream in = Files.newInputStream(log); ThreadCpu cpu = new ThreadCpu()) {
                r = engine.ingest(source, log.toString(), in, LogOptions.auto(), new Progress());
            }
            seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf((noWrites ? "without database writes: " : "") + "imported %,d entries (%,d messages, %,d rejected) in %.1f s: %,.0f entries/s%n",
                    r.entries(), r.messages(), r.rejected(), seconds, r.entries() / seconds);
            ds.close(); // as in the command-line import: the pool's sessions are closed before H2 compacts
            try (Statement st = keepOpen.createStatement()) {
                st.execute("SHUTDOWN COMPACT");
            }
        } catch (java.sql.SQLException closedByShutdown) {
            // the connection is closed by SHUTDOWN
        }
        sampler.interrupt();
        System.out.printf("peak heap used %.0f MiB (of -Xmx %.0f MiB); log %.1f MB", peakHeap[0] / 1048576.0,
                Runtime.getRuntime().maxMemory() / 1048576.0, Files.size(log) / 1e6);
        System.out.println(noWrites ? "" : String.format("; H2 file after compaction %.1f MB",
                Files.size(dir.resolve("mailtrail.mv.db")) / 1e6));
        if (Boolean.getBoolean("baseline") && !noWrites && !overlap) {
            H2InsertBaseline.run(dir, r.entries(), batch, seconds);
        }
    }
}
