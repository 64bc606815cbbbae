package com.mailtrail.store;

import com.mailtrail.system.DatabaseFailure;

import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The ingest engine's write transactions open on one H2 file, so that a CHECKPOINT made outside the engine (by
 * ClosedDatabaseEviction, on whatever thread met a failure of the file) runs between them, never during one: H2
 * 2.4.240 could leave part of a transaction that was open at a CHECKPOINT in its file when the disk filled after it
 * (11 of 100 files opened again in a stand-alone reproduction). The engine's own CHECKPOINTs run when its pipeline is
 * idle. Here, in store, rather than in ingest: the pool's adjudicator must not depend on the write path.
 *
 * <p>A transaction holds the read side of a lock, a CHECKPOINT its write side: transactions of several engines on one
 * file (as tests run them) may be open together, and once a CHECKPOINT waits, a new transaction waits for it (one that
 * a thread opens within its own, nested, does not).
 */
public final class H2WriteTransactions {

    private static final ConcurrentHashMap<Path, H2WriteTransactions> BY_FILE = new ConcurrentHashMap<>();

    /** One open transaction: closing it ends it here (after its commit or rollback). */
    public interface Open extends AutoCloseable {
        @Override
        void close();
    }

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    private H2WriteTransactions() {
    }

    /**
     * Those of the H2 file that {@code jdbcUrl} names (the same for every URL of that file: the pool's, a connection's
     * own), or null for another database: PostgreSQL, or H2 in memory, whose store has no file to fail.
     */
    public static H2WriteTransactions of(String jdbcUrl) {
        Path file = DatabaseFailure.h2File(jdbcUrl);
        return file == null ? null : BY_FILE.computeIfAbsent(file, f -> new H2WriteTransactions());
    }

    /** A write transaction begins on this thread: it waits while a CHECKPOINT waits or runs. */
    public Open begin() {
        lock.readLock().lock();
        return lock.readLock()::unlock;
    }

    /** Whether this thread is within a write transaction: a CHECKPOINT that it waited for would never come. */
    boolean openOnThisThread() {
        return lock.getReadHoldCount() > 0;
    }

    /**
     * Waits up to {@code millis} until no write transaction is open, and keeps new ones from beginning until
     * {@link #resume()}; false when one is still open then.
     */
    boolean pause(long millis) throws InterruptedException {
        return lock.writeLock().tryLock(millis, TimeUnit.MILLISECONDS);
    }

    /** Lets write transactions begin again after {@link #pause(long)} gave true. */
    void resume() {
        lock.writeLock().unlock();
    }
}
