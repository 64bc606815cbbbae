package com.mailtrail.store;

import com.mailtrail.system.DatabaseFailure;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import com.zaxxer.hikari.SQLExceptionOverride;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * Lets Mailtrail work again after its embedded H2 database closed under it. H2 closes the database for good when it
 * cannot write its file (a full disk, an I/O error), and every session on it then fails with "The database has been
 * closed" (or, the first one, with the failed write's own error: see closeIfItsStoreFailed); the connection pool,
 * which takes only network errors for fatal, would hand those sessions out again and again (every page a 500 until a
 * restart), and the database stays open in H2 as long as one session does. So at the first such error every pooled
 * connection is dropped (those in use when they come back): with its last session
 * gone H2 lets the database go, and the next connection opens the file again, as at a start, from its last commit.
 * Once the disk has room again, Mailtrail works as before. Set on every Hikari pool of an H2 URL.
 */
@Component
public class ClosedDatabaseEviction implements BeanPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(ClosedDatabaseEviction.class);

    /**
     * How long a CHECKPOINT after a failure waits for the ingest engine's write transaction to end: one batch on H2
     * (1,000 entries) commits within a fraction of a second.
     */
    static final long CHECKPOINT_WAIT_MILLIS = 5_000;

    /** org.h2.api.ErrorCode.DATABASE_IS_CLOSED and DATABASE_CALLED_AT_SHUTDOWN. */
    static final int H2_DATABASE_IS_CLOSED = 90098;
    static final int H2_DATABASE_CALLED_AT_SHUTDOWN = 90121;

    @Override
    public Object postProcessAfterInitialization(Object bean, String name) {
        // Before the pool starts (on the first connection, which Flyway asks for later): its settings are sealed then.
        if (bean instanceof HikariDataSource ds && ds.getJdbcUrl() != null && ds.getJdbcUrl().startsWith("jdbc:h2:")) {
            ds.setExceptionOverride(new Adjudicator(ds));
        }
        return bean;
    }

    /** What the pool asks about each SQLException that passes through one of its connections. */
    static final class Adjudicator implements SQLExceptionOverride {
        private final HikariDataSource pool;
        private final long checkpointWaitMillis;

        Adjudicator(HikariDataSource pool) {
            this(pool, CHECKPOINT_WAIT_MILLIS);
        }

        Adjudicator(HikariDataSource pool, long checkpointWaitMillis) {
            this.pool = pool;
            this.checkpointWaitMillis = checkpointWaitMillis;
        }

        @java.lang.Override
        public Override adjudicate(SQLException e) {
            boolean closed = e.getErrorCode() == H2_DATABASE_IS_CLOSED
                    || e.getErrorCode() == H2_DATABASE_CALLED_AT_SHUTDOWN;
            if (!closed) {
                if (DatabaseFailure.describe(e, null) == null) {
                    return Override.CONTINUE_EVICT; // the pool's own judgement
                }
                closeIfItsStoreFailed();
            }
            HikariPoolMXBean bean = pool.getHikariPoolMXBean();
            if (bean != null) {
                bean.softEvictConnections();
            }
            return Override.MUST_EVICT;
        }

        /**
         * H2 tells a failed write of its file (by its background writer) first as that write's own error, once, to
         * the next commit of any session, and closes the database only at its next write, up to a write delay later.
         * Its sessions meanwhile go on in memory, and what they commit is lost when it closes: a load right after
         * the disk had room again met the closed database half-way, or was lost whole. So H2 is made to write now, on
         * a session of its own: if its store failed, that write fails too and the database is shut at once (without
         * writing, as H2 would), before the pool's new sessions are opened; if not, it is a write that H2's writer
         * would have made anyway.
         *
         * <p>That CHECKPOINT runs on whatever thread met the error, and H2 could leave part of a transaction open at a
         * CHECKPOINT in its file when the disk then filled: so it waits until no write transaction of the ingest
         * engine is open (H2WriteTransactions). When this very thread is within one (the engine's writer met the
         * error), or one stays open past the wait, the database is shut at once instead, without a CHECKPOINT: the
         * error was a failure of its storage, which a CHECKPOINT would most likely meet again, and a shut database
         * opens again from its last write, as after a crash, with no transaction in it that was not committed. What
         * it costs when the store had not failed after all: the commits of the last write delay (a second), which the
         * engine finds missing and reads again, and the open transaction, which fails as on a full disk.
         */
        private void closeIfItsStoreFailed() {
            H2WriteTransactions writes = H2WriteTransactions.of(pool.getJdbcUrl());
            boolean paused = false;
            if (writes != null && !writes.openOnThisThread()) {
                try {
                    paused = writes.pause(checkpointWaitMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                if (writes != null && !paused) {
                    log.warn("the database failed to write or read its file, and a write of the ingest engine is "
                            + "still open: shutting the database without a CHECKPOINT; it opens again from its last "
                            + "write");
                }
                checkpointOrShut(writes == null || paused);
            } finally {
                if (paused) {
                    writes.resume();
                }
            }
        }

        private void checkpointOrShut(boolean checkpoint) {
            Properties login = new Properties();
            if (pool.getUsername() != null) {
                login.setProperty("user", pool.getUsername());
            }
            if (pool.getPassword() != null) {
                login.setProperty("password", pool.getPassword());
            }
            try (Connection c = DriverManager.getConnection(pool.getJdbcUrl(), login);
                 Statement st = c.createStatement()) {
                if (!checkpoint) {
                    st.execute("SHUTDOWN IMMEDIATELY");
                    return;
                }
                try {
                    st.execute("CHECKPOINT");
                } catch (SQLException failed) {
                    if (DatabaseFailure.describe(failed, null) != null
                            && failed.getErrorCode() != H2_DATABASE_IS_CLOSED) {
                        st.execute("SHUTDOWN IMMEDIATELY");
                    }
                }
            } catch (SQLException ignored) {
                // closed meanwhile, or it cannot be opened: the sessions are dropped all the same
            }
        }
    }
}
