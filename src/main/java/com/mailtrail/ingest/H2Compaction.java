package com.mailtrail.ingest;

import com.mailtrail.system.DatabaseFailure;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Gives back the space an H2 file database grows into during a bulk load. H2 rewrites pages as they change and keeps
 * the old ones a while, so a large import leaves the file at about twice its live size (1M entries: 473 MB for 147 MB
 * live, with a 258 MB log), and H2 compacts well only at shutdown: its online compaction got that file no smaller
 * than 262–284 MB in 4.6–83 s.
 * <p>
 * So after an upload or a tail round, once {@code mailtrail.ingest.compact-after} entries have come in since the last
 * compaction and the file has grown by half since then (or since the server started), the running server does what
 * {@code SHUTDOWN COMPACT} does at the end of a command-line import: it suspends the connection pool (requests wait
 * rather than fail), lets the connections in use be returned, closes them, compacts, and resumes. That takes about as
 * long as writing the live data once (2.1 s for 147 MB), so the growth condition keeps a large database that takes a
 * steady trickle of tailed lines from pausing often. Nothing for PostgreSQL, which reclaims space itself, nor for an
 * in-memory database.
 */
@Component
public class H2Compaction {

    private static final Logger log = LoggerFactory.getLogger(H2Compaction.class);

    /**
     * A compaction: when, the file's size before and after, how long the pool was suspended, and whether it was the one
     * right after this start's migrations (MigrationCompaction), which no load explains on the Sources page.
     */
    public record Result(LocalDateTime at, long bytesBefore, long bytesAfter, long millis, boolean afterMigrations) {

        Result afterTheMigrations() {
            return new Result(at, bytesBefore, bytesAfter, millis, true);
        }
    }

    /** A compaction that was due and did not happen: when, and why (the pool resumed without it). */
    public record Failure(LocalDateTime at, String reason) {
    }

    /** How much the file must have grown since the last compaction (or the start) before the next. */
    static final double GROWTH = 1.5;

    private final DataSource dataSource;
    private final IngestEngine engine;
    private final long threshold;
    private final Path file;
    private long compactedAt;
    private long baseline;
    private volatile Result last;
    private volatile Failure failure;
    /** How long to wait for connections in use to come back, then for the pool to close them. */
    private final long waitMillis;

    H2Compaction(DataSource dataSource, IngestEngine engine, IngestProperties properties,
                 Optional<MigrationCompaction> migrations) {
        this.dataSource = dataSource;
        this.engine = engine;
        this.threshold = properties.compactAfter();
        this.waitMillis = properties.compactWait().toMillis();
        this.file = dataSource instanceof HikariDataSource hikari ? h2File(hikari.getJdbcUrl()) : null;
        this.baseline = file == null ? 0 : size(file);
        MigrationCompaction migrated = migrations.orElse(null);
        if (migrated != null && file != null) {
            // growth counts from before this start's migrations: a compaction after them that failed is due again
            // after compact-after entries, not once the file has grown by half again
            migrated.sizeBefore().ifPresent(before -> baseline = Math.min(baseline, before));
            migrated.result().ifPresent(this::recorded);
            migrated.failure().ifPresent(f -> failure = f);
        }
    }

    /**
     * Called after an import step (an upload job, a tail round): compacts once enough entries came in and the file grew
     * enough since the last time. Not while Mailtrail stops: the pool closes next, and compacting would hold the stop
     * for seconds. Synchronized as a whole, so that the upload worker and the tailer arriving together
     * compact once.
     */
    public synchronized void afterImport() {
        if (file != null && !engine.stopping() && threshold > 0 && engine.entriesStored() - compactedAt >= threshold
                && checkpointedSize() >= GROWTH * baseline) {
            compact();
        }
    }

    /**
     * The file's size once H2 has written what was committed: a commit leaves its pages in memory for H2's background
     * writer (measured: 1.2 MB of committed rows, file still at 12 KB until a CHECKPOINT), so the size alone can say
     * the file has not grown after an import that doubled it.
     */
    private long checkpointedSize() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
        } catch (SQLException e) {
            log.warn("H2 CHECKPOINT failed: {}", e.getMessage());
        }
        return size(file);
    }

    /**
     * Called after old data was removed ({@link Retention}): deleting rewrites every page it touches, so a large
     * removal leaves the file bigger, not smaller (the morning of the 1M-entry benchmark database removed: 148 MB to
     * 356 MB). Compacts when the file has grown by half since the last compaction, as after an import, so that the
     * hourly removal of an hour's worth, whose space the next imports reuse, does not pause the pool each time.
     */
    public synchronized void afterPurge() {
        if (file != null && !engine.stopping() && threshold > 0 && checkpointedSize() >= GROWTH * baseline) {
            compact();
        }
    }

    /** Entries stored since the last compaction after which the next is due; 0: never. */
    public long threshold() {
        return threshold;
    }

    /** The last compaction since the server started, if any. */
    public Optional<Result> last() {
        return Optional.ofNullable(last);
    }

    /** Why the last compaction that was due did not happen, unless one has succeeded since. */
    public Optional<Failure> failure() {
        return Optional.ofNullable(failure);
    }

    /** Compacts now if the database is an H2 file behind a suspendable pool; empty when it did not. */
    public synchronized Optional<Result> compact() {
        compactedAt = engine.entriesStored();
        if (!(dataSource instanceof HikariDataSource hikari) || file == null) {
            return Optional.empty();
        }
        Attempt attempt = compact(hikari, file, waitMillis);
        if (attempt == null) {
            return Optional.empty();
        }
        if (attempt.failure() != null) {
            log.warn("H2 not compacted: {}", attempt.failure());
            failure = new Failure(LocalDateTime.now(), attempt.failure());
            return Optional.empty();
        }
        recorded(attempt.result());
        return Optional.of(attempt.result());
    }

    /** Records a compaction that succeeded: this one's, or the one after the migrations (MigrationCompaction). */
    private void recorded(Result r) {
        last = r;
        failure = null;
        baseline = r.bytesAfter();
        log.info("H2 compacted: {} MB -> {} MB in {} ms", r.bytesBefore() / 1_000_000, r.bytesAfter() / 1_000_000,
                r.millis());
    }

    /** What one compaction of the pool's database did: its result, or why it did not happen. */
    record Attempt(Result result, String failure) {
    }

    /**
     * Compacts the H2 file behind {@code hikari}: suspends the pool, lets the connections in use be returned, closes
     * them, runs SHUTDOWN COMPACT and resumes. Null when the pool cannot be suspended (not started, or not allowed).
     */
    static Attempt compact(HikariDataSource hikari, Path file, long waitMillis) {
        HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
        if (pool == null || !hikari.isAllowPoolSuspension()) {
            return null;
        }
        long before;
        long after;
        long t0 = System.nanoTime();
        pool.suspendPool();
        try {
            // New requests for a connection now wait; those in use come back at the end of their transaction. A
            // connection held longer (a long export, say) is not waited for: requests would wait as long. The next
            // try is after another compact-after entries.
            if (!await(() -> pool.getActiveConnections() == 0, waitMillis)) {
                return new Attempt(null, "connections still in use after " + waitMillis / 1000.0 + " s");
            }
            // A session of our own keeps the database open while the pool closes its connections. Without it the last
            // one closing shuts the database down, and a connection opened during that shutdown could fail. Hikari
            // closes connections on a thread of its own after it stops counting them, so it is H2's list of sessions
            // that says when they are all gone: SHUTDOWN with another session open makes that one fail later, and H2
            // writes the failure to a trace file beside the data.
            try (Connection own = DriverManager.getConnection(hikari.getJdbcUrl(), hikari.getUsername(),
                    hikari.getPassword())) {
                pool.softEvictConnections();
                if (!await(() -> sessions(own) == 1, waitMillis)) {
                    int open = sessions(own);
                    return new Attempt(null, open < 0 ? "cannot list H2's sessions"
                            : "other sessions still open after " + waitMillis / 1000.0 + " s: " + (open - 1));
                }
                try (Statement st = own.createStatement()) {
                    st.execute("CHECKPOINT"); // so that the size before is that of everything written
                }
                before = size(file);
                shutdownCompact(own);
                // measured before the pool resumes: the first connection after it opens the database again, and H2
                // may store a small chunk of its own then, which is not the compaction's doing
                after = size(file);
            }
        } catch (SQLException e) {
            return new Attempt(null, e.getMessage());
        } finally {
            pool.resumePool();
        }
        return new Attempt(new Result(LocalDateTime.now(), before, after, (System.nanoTime() - t0) / 1_000_000,
                false), null);
    }

    /**
     * SHUTDOWN COMPACT on a connection of its own: H2 closes the database and rewrites its file. Every other connection
     * must be closed first: one closed after it fails, and H2 writes that to a trace file beside the data.
     */
    static void shutdownCompact(String url, String user, String password) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            shutdownCompact(c);
        }
    }

    private static void shutdownCompact(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SHUTDOWN COMPACT");
        }
    }

    /** The sessions open on the database, this one included (all of them for an admin user such as the default). */
    private static int sessions(Connection c) {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS")) {
            rs.next();
            return rs.getInt(1);
        } catch (SQLException e) {
            return -1;
        }
    }

    /** The .mv.db file of an embedded H2 file database URL; null for anything else (memory, server, PostgreSQL). */
    static Path h2File(String url) {
        return DatabaseFailure.h2FileAsNamed(url);
    }

    static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static boolean await(BooleanSupplier condition, long millis) {
        long stop = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > stop) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
