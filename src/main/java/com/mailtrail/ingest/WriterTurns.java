package com.mailtrail.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * One writer at a time across processes. On PostgreSQL {@code import} may run while the server is up (H2 lets one
 * process at a time open its file), and an engine remembers what it stored: the recent messages, a filter of the
 * stored message keys that says "new" with certainty, whether a rebuild is pending. A message whose first lines the
 * other process stored would then be stored again as a new one. So reads, rebuilds and purges take turns (a session
 * advisory lock, released by PostgreSQL should the process die), and each turn first looks whether another process
 * had a turn since this engine's last one ({@code writer_turn.generation}): then the engine reads again what it
 * remembers. Not thread-safe: used under the engine's lock.
 */
final class WriterTurns {

    private static final Logger log = LoggerFactory.getLogger(WriterTurns.class);
    /** The advisory lock's key: "mailtrail" in its first bytes, unlikely to be another application's. */
    private static final long LOCK = 0x6d61696c7472616cL;
    private static final long WAIT_MILLIS = 250;

    /** A turn taken; closing it lets the other processes have theirs. */
    interface Turn extends AutoCloseable {
        @Override
        void close();
    }

    private static final Turn NONE = () -> { };

    private final DataSource dataSource;
    private final boolean shared;
    private long generation;
    private Connection held;
    private boolean locked;
    private int depth;
    // When this engine began waiting for another process's turn, or null: for the Sources page, without the lock.
    private volatile LocalDateTime waitingSince;

    /** Reads the generation first: what the engine loads after it is at least as new. */
    WriterTurns(DataSource dataSource) {
        this.dataSource = dataSource;
        try (Connection c = dataSource.getConnection()) {
            this.shared = c.getMetaData().getDatabaseProductName().equals("PostgreSQL");
            this.generation = shared ? generation(c) : 0;
        } catch (SQLException e) {
            throw IngestException.of("cannot read the database", e);
        }
    }

    /** Whether other processes may write the same database (PostgreSQL), so that reads take turns. */
    boolean shared() {
        return shared;
    }

    private static long generation(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT generation FROM writer_turn WHERE id = 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Waits for the turn (while another process reads), runs {@code othersWrote} when another process wrote since
     * this engine's last turn, then {@code atTurn}, and holds the turn until closed. Nested turns (a read that
     * finishes a rebuild first) are one.
     *
     * @throws IngestException.Stopped when the application stops while it waits
     */
    Turn take(BooleanSupplier stopping, Runnable othersWrote, Runnable atTurn) {
        if (!shared) {
            return NONE;
        }
        if (depth++ > 0) {
            return this::release;
        }
        try {
            held = dataSource.getConnection();
            held.setAutoCommit(true);
            boolean said = false;
            while (!tryLock(held)) {
                if (stopping.getAsBoolean()) {
                    throw new IngestException.Stopped("Mailtrail is stopping: nothing more is read");
                }
                if (!said) {
                    log.info("another process is writing this database (an import?): waiting for it to finish");
                    said = true;
                    waitingSince = LocalDateTime.now();
                }
                Thread.sleep(WAIT_MILLIS);
            }
            waitingSince = null;
            locked = true;
            long now = generation(held);
            if (now != generation) {
                othersWrote.run();
            }
            atTurn.run();
            try (Statement st = held.createStatement()) {
                st.executeUpdate("UPDATE writer_turn SET generation = generation + 1 WHERE id = 1");
            }
            generation = now + 1;
            return this::release;
        } catch (SQLException | RuntimeException e) {
            drop();
            throw e instanceof RuntimeException r ? r : IngestException.of("cannot take the turn to write", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drop();
            throw new IngestException.Stopped("interrupted while waiting for another process writing the database");
        }
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private void release() {
        if (--depth == 0) {
            unlockAndClose();
        }
    }

    /** Since when this engine waits for another process's turn to end, if it does. */
    Optional<LocalDateTime> waitingSince() {
        return Optional.ofNullable(waitingSince);
    }

    /** A turn not taken after all. */
    private void drop() {
        waitingSince = null;
        depth--;
        unlockAndClose();
    }

    /** The connection goes back to the pool: without the lock, which would otherwise outlive the turn. */
    private void unlockAndClose() {
        try {
            if (locked) {
                try (PreparedStatement ps = held.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    ps.setLong(1, LOCK);
                    ps.execute();
                }
            }
        } catch (SQLException e) {
            log.warn("cannot release the turn to write: {}", e.getMessage()); // a broken session releases it
        } finally {
            locked = false;
            try {
                if (held != null) {
                    held.close();
                }
            } catch (SQLException ignored) {
                // the session ends, and with it the lock
            }
            held = null;
        }
    }
}
