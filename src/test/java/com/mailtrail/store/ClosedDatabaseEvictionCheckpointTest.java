package com.mailtrail.store;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.ingest.TestDatabase;
import com.mailtrail.parse.LogOptions;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.SQLExceptionOverride;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The CHECKPOINT that ClosedDatabaseEviction makes after a failure of the H2 file runs on whatever thread met it, and
 * H2 could leave part of a transaction open at a CHECKPOINT in its file when the disk filled after it. So it waits
 * for the ingest engine's open write transaction to end; a transaction still open after the wait, or one of the very
 * thread that met the failure, has the database shut at once instead, without a CHECKPOINT.
 *
 * <p>A load's transaction is held open here the way another session can hold one: the test's own session locks the
 * row that each of the engine's transactions updates last, so the load's first transaction (its file's row written)
 * waits, open, until the test commits. H2 only: on PostgreSQL no CHECKPOINT is made (the pool's adjudicator is set on
 * H2 pools only).
 */
class ClosedDatabaseEvictionCheckpointTest {

    private static final Set<String> RELAYS = Set.of("conversion", "reprocess", "process");

    @TempDir
    Path dir;

    private String url;
    private HikariDataSource pool;
    private JdbcDataSource h2;
    private IngestEngine engine;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void server() {
        // long enough for the held transaction to wait for the test's row lock instead of failing
        url = "jdbc:h2:" + dir.resolve("mailtrail") + ";LOCK_TIMEOUT=20000";
        pool = new HikariDataSource();
        pool.setJdbcUrl(url);
        pool.setUsername("sa");
        new ClosedDatabaseEviction().postProcessAfterInitialization(pool, "dataSource"); // as the server's pool
        TestDatabase.migrate(pool);
        h2 = new JdbcDataSource();
        h2.setURL(url);
        h2.setUser("sa");
        // written out: a database shut without a CHECKPOINT opens again from its last write
        new JdbcTemplate(h2).execute("CHECKPOINT");
        engine = new IngestEngine(pool, RELAYS, 200);
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        pool.close();
    }

    private static byte[] log() throws IOException {
        StringWriter w = new StringWriter();
        new LogGenerator(GeneratorConfig.of(60, 3)).generate(w, null);
        return w.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** What a request thread meets when H2 cannot write its file. */
    private static SQLException diskFull() {
        return new SQLException("IO Exception: \"No space left on device\"", "90028", 90028,
                new IOException("No space left on device"));
    }

    /** Locks the row every engine transaction updates last, on the test's own session, until it commits. */
    private Connection holdEngineTransactions() throws SQLException {
        Connection holder = h2.getConnection();
        holder.setAutoCommit(false);
        try (Statement st = holder.createStatement()) {
            st.executeQuery("SELECT generation FROM writer_turn WHERE id = 1 FOR UPDATE").close();
        }
        return holder;
    }

    /** Starts loading held.log and returns once the load's first transaction is open and waits for the test. */
    private Future<IngestEngine.FileResult> loadHeld(long source, Connection holder) throws Exception {
        byte[] log = log();
        Future<IngestEngine.FileResult> load = threads.submit(() -> engine.ingest(source, "held.log",
                new ByteArrayInputStream(log), LogOptions.auto(), new Progress()));
        JdbcTemplate jdbc = new JdbcTemplate(h2);
        for (int i = 0; i < 200 && !load.isDone(); i++) {
            Integer waiting = jdbc.queryForObject("SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS "
                    + "WHERE BLOCKER_ID = ? AND CONTAINS_UNCOMMITTED", Integer.class, sessionId(holder));
            if (waiting != null && waiting > 0) {
                return load;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the load's transaction did not wait for the test's lock: " + load.isDone());
    }

    private static int sessionId(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); var rs = st.executeQuery("SELECT SESSION_ID()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private long committedFileRows() {
        return new JdbcTemplate(h2).queryForObject("SELECT COUNT(*) FROM log_file WHERE name = 'held.log'",
                Long.class);
    }

    @Test
    void theCheckpointAfterAFailureWaitsUntilTheLoadsOpenTransactionHasEnded() throws Exception {
        SQLExceptionOverride adjudicator = pool.getExceptionOverride();
        long source = engine.createSource("upload", "held.log");
        try (Connection holder = holdEngineTransactions()) {
            Future<IngestEngine.FileResult> load = loadHeld(source, holder);
            // A request thread meets a failure of the file while the load's transaction is open
            Future<Long> afterCheckpoint = threads.submit(() -> {
                adjudicator.adjudicate(diskFull());
                return committedFileRows(); // the load's transaction had ended when the CHECKPOINT ran
            });
            Thread.sleep(1000);
            assertThat(afterCheckpoint.isDone()).as("the CHECKPOINT ran while the load's transaction was open")
                    .isFalse();
            holder.commit();
            assertThat(afterCheckpoint.get(20, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(load.get(60, TimeUnit.SECONDS).messages()).isPositive();
        }
        assertThat(new JdbcTemplate(h2).queryForObject("SELECT COUNT(*) FROM message", Long.class)).isPositive();
    }

    @Test
    void aTransactionStillOpenAfterTheWaitHasTheDatabaseShutWithoutACheckpoint() throws Exception {
        SQLExceptionOverride adjudicator = new ClosedDatabaseEviction.Adjudicator(pool, 300);
        long source = engine.createSource("upload", "held.log");
        try (Connection holder = holdEngineTransactions()) {
            Future<IngestEngine.FileResult> load = loadHeld(source, holder);
            long start = System.nanoTime();
            threads.submit(() -> adjudicator.adjudicate(diskFull())).get(20, TimeUnit.SECONDS);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isBetween(300L, 10_000L);
            assertThatThrownBy(() -> load.get(60, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            assertThatThrownBy(() -> holder.createStatement().executeQuery("SELECT 1"))
                    .as("the database was shut under the test's session too").isInstanceOf(SQLException.class);
        }
        // Opened again from its last write: nothing of the load's open transaction, and the engine loads again
        assertThat(committedFileRows()).isZero();
        assertThat(engine.ingest(engine.createSource("upload", "again.log"), "again.log", new ByteArrayInputStream(log()), LogOptions.auto(),
                new Progress()).messages()).isPositive();
    }

    @Test
    void theEnginesOwnThreadMeetingTheFailureDoesNotWaitForItself() throws Exception {
        SQLExceptionOverride adjudicator = new ClosedDatabaseEviction.Adjudicator(pool, 60_000);
        H2WriteTransactions writes = H2WriteTransactions.of(url);
        try (Connection other = h2.getConnection()) {
            long start = System.nanoTime();
            // as IngestEngine's writer does around each transaction, on the thread that meets the failure
            try (H2WriteTransactions.Open open = writes.begin()) {
                adjudicator.adjudicate(diskFull());
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(10_000L);
            assertThatThrownBy(() -> other.createStatement().executeQuery("SELECT 1"))
                    .as("shut at once, without a CHECKPOINT in the thread's own transaction")
                    .isInstanceOf(SQLException.class);
        }
        // the next transaction begins: nothing was left paused
        assertThat(engine.createSource("upload", "after.log")).isPositive();
    }

    @Test
    void theSameFileByAnyOfItsUrlsOnlyAnH2File() {
        H2WriteTransactions writes = H2WriteTransactions.of(url);
        assertThat(H2WriteTransactions.of("jdbc:h2:file:" + dir.resolve("mailtrail") + ";AUTO_SERVER=FALSE"))
                .isSameAs(writes);
        assertThat(H2WriteTransactions.of("jdbc:h2:fulldisk:" + dir.resolve("mailtrail"))).isSameAs(writes);
        assertThat(H2WriteTransactions.of("jdbc:h2:mem:x")).isNull();
        assertThat(H2WriteTransactions.of("jdbc:postgresql://localhost/mailtrail")).isNull();
    }
}
