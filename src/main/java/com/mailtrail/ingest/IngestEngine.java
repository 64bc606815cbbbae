package com.mailtrail.ingest;

import com.mailtrail.parse.LogOptions;
import com.mailtrail.parse.LogReader;
import com.mailtrail.store.H2WriteTransactions;
import com.mailtrail.store.SqlTimes;
import com.mailtrail.system.DatabaseFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The write path: turns log streams into messages, recipients, attempts, connections, raw text and rollups. One
 * writer at a time (methods are synchronized): uploads, the tailer and imports queue up here, which keeps the
 * correlation of a message that spans several files consistent.
 */
public class IngestEngine {

    private static final Logger log = LoggerFactory.getLogger(IngestEngine.class);

    /** A unit of work in one transaction. */
    interface Work {
        void run(Connection c) throws SQLException;
    }

    /**
     * Entries per transaction on H2. H2 keeps a transaction's undo log among its pages, and once a transaction outgrows
     * the store's write buffer (about 19 MB) the undo log is written out with them; smaller transactions cut more
     * messages in two, but FileIngest stores those whole by looking one batch ahead. 1M entries: 15.8 s in
     * transactions of 1,000 entries, 16.5 s in 2,000, 17.3 s in 500, 17.9 s in 4,000.
     */
    public static final int H2_BATCH = 1000;
    /**
     * Entries per transaction on PostgreSQL, where each COPY and round trip costs more (1M entries: 10.3 s in 20,000,
     * 12.8 s in 10,000; 40,000 gains another second for twice the memory).
     */
    public static final int POSTGRES_BATCH = 20_000;

    private final DataSource dataSource;
    private final int batchEntries;
    private final AtomicLong entriesStored = new AtomicLong();
    private volatile Boolean copies;
    private final Ids ids = new Ids();
    private final Set<String> relayChannels;
    private final WriterTurns turns;
    // Read again when another process wrote the database (WriterTurns); read by the pipeline's threads.
    private volatile MessageStore messages;
    // A rebuild started and not finished (see Rebuild): every write finishes it first. Written under this engine's
    // lock; volatile so that asking does not wait for the import that holds the lock.
    private volatile boolean rebuilding;
    // Set once when the application stops (see stop): read by every reading thread at each batch.
    private volatile boolean stopping;
    // Failures that could not be recorded because the database was away (restarted, a full disk): recorded before
    // this engine's next write, so that a file or upload does not say "reading" until the next start. Under the lock.
    private final Deque<Work> unrecorded = new ArrayDeque<>();
    // The failures recorded lately on H2, with the count of the commit that recorded each: H2 acknowledges a commit
    // before it writes it, so a mark made just after a full disk closed and reopened the database may be lost with the
    // commits it had not written; such a mark is recorded again when the database is found without it. Under the lock.
    private final Deque<Mark> marks = new ArrayDeque<>();
    // Whether what this engine remembers of the stored data (the messages, the key filter, the ids it reserved, a
    // rebuild pending) may differ from the database: after a failed transaction or read the database may not hold what
    // memory does. Read again before the next write (see trustOnlyTheDatabase). Set by the pipeline's threads too.
    private volatile boolean untrusted;
    // On H2 each transaction also counts itself in writer_turn.generation, and this engine keeps the count its last
    // commit left. H2 acknowledges a commit before it writes it to its file, and a database that it closed (a full
    // disk) opens again without the last ones: the count stored then falls behind this one, even if this engine saw
    // no failure. (Ahead of it: another engine wrote, as tests do.) PostgreSQL writes a commit before it acknowledges
    // it; there the generation counts turns (WriterTurns).
    private final boolean countsCommits;
    private final AtomicLong commits = new AtomicLong();
    // The H2 file, named when its storage fails (null on PostgreSQL or in memory).
    private volatile Path databaseFile;
    // This engine's transactions on that file, which a CHECKPOINT after a failure waits for (null without a file).
    private volatile H2WriteTransactions writes;

    public IngestEngine(DataSource dataSource, Set<String> relayChannels, int batchEntries) {
        this.dataSource = dataSource;
        this.batchEntries = batchEntries;
        this.relayChannels = relayChannels;
        this.turns = new WriterTurns(dataSource); // before what it remembers is read
        this.countsCommits = !turns.shared();
        remember();
    }

    /** A failure to report, in the user's terms when it is the database's storage that failed. */
    IngestException failure(String what, Throwable cause) {
        return IngestException.of(what, cause, databaseFile);
    }

    /**
     * Reads from the database everything this engine remembers of the stored data: at the start, when another process
     * wrote (WriterTurns), and after a failure or lost commits (see trustOnlyTheDatabase).
     */
    private void remember() {
        untrusted = true; // until all of it is read
        ids.forget();
        try (Connection c = dataSource.getConnection()) {
            databaseFile = DatabaseFailure.h2File(c.getMetaData().getURL());
            writes = H2WriteTransactions.of(c.getMetaData().getURL());
            if (countsCommits) {
                commits.set(storedCommits(c)); // first: nothing else writes an H2 file while this engine holds it
            }
            rebuilding = Rebuild.pending(c);
        } catch (SQLException e) {
            throw failure("cannot read the log files", e);
        }
        messages = new MessageStore(new Correlator(relayChannels), loadKeys(dataSource), batchEntries);
        untrusted = false;
    }

    private static long storedCommits(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT generation FROM writer_turn WHERE id = 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Before a write: when a transaction or read failed since the last one, or the database does not hold this
     * engine's last commits, what it remembers is read again. Otherwise lines read again from a position that went
     * back would update messages that are no longer stored, and new rows would take ids the database hands out again.
     */
    private void trustOnlyTheDatabase() {
        long stored = Long.MAX_VALUE; // the commits the database holds; before remember() takes them
        if (countsCommits) {
            try {
                stored = storedCommitsNow();
            } catch (SQLException e) {
                untrusted = true;
                throw failure("cannot read the database", e);
            }
            if (!untrusted && stored < commits.get()) {
                log.warn("the database does not hold the last {} commits of this process (H2 closed it before it "
                        + "wrote them: a full disk?); reading again what is stored, and each file from its stored "
                        + "position", commits.get() - stored);
            }
            untrusted |= stored != commits.get();
        }
        if (untrusted) {
            remember();
            recordAgainMarksAfter(stored);
        }
    }

    /**
     * The commits the database holds, read twice if the first read meets a failure of its storage: H2 tells a write
     * of its file that failed (the disk full a moment ago) to the next statement of any session, and the pool then
     * lets that database go (ClosedDatabaseEviction); the second read opens the file as it was written. Without it
     * a load right after the disk had room again failed for a failure from before.
     */
    private long storedCommitsNow() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return storedCommits(c);
        } catch (SQLException e) {
            if (DatabaseFailure.describe(e, databaseFile) == null) {
                throw e;
            }
            untrusted = true;
        }
        try (Connection c = dataSource.getConnection()) {
            return storedCommits(c);
        }
    }

    private record Mark(long commit, Work work) {
    }

    /** Keeps a failure just recorded, in case H2 loses the commit (see marks). */
    private void marked(Work work) {
        if (countsCommits) {
            marks.add(new Mark(commits.get(), work));
            while (marks.size() > 100) {
                marks.poll();
            }
        }
    }

    /** Records again the failures whose commits the database lost: those after the {@code holds}-th. */
    private void recordAgainMarksAfter(long holds) {
        boolean lost = false;
        for (Iterator<Mark> i = marks.iterator(); i.hasNext(); ) {
            Mark m = i.next();
            if (m.commit() > holds) {
                unrecorded.add(m.work());
                i.remove();
                lost = true;
            }
        }
        if (lost) {
            recordUnrecorded();
        }
    }

    /**
     * {@link #trustOnlyTheDatabase()} before a write that is not a read of lines, as far as the database answers: if
     * it does not, the write fails too and says why (or is kept for later, see unrecorded). H2 reports a failure of
     * its background writer once, to the next statement of any session: that must not take the place of the write's
     * own error. A write that takes ids is safe without it: on H2 its transaction fails if the database lost this
     * engine's commits (see countCommit); PostgreSQL never hands out a sequence's value twice.
     */
    private void trustOnlyTheDatabaseIfItAnswers() {
        try {
            trustOnlyTheDatabase();
        } catch (IngestException e) {
            // the database is away: read again before the next write
        }
    }

    private KeyFilter loadKeys(DataSource ds) {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            long count;
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM message")) {
                rs.next();
                count = rs.getLong(1);
            }
            KeyFilter filter = new KeyFilter(Math.max(4_000_000L, count * 2));
            try (ResultSet rs = st.executeQuery("SELECT message_key FROM message")) {
                while (rs.next()) {
                    filter.add(rs.getString(1));
                }
            }
            return filter;
        } catch (SQLException e) {
            throw failure("cannot read the stored message keys", e);
        }
    }

    /**
     * Stops reading, for a stop of the application: the read in progress ends at its next batch once what was handed
     * to the writer is committed, and no new read begins. Reading the rest of a file stopped part-way adds only the
     * rest, so ending at a batch loses nothing; what it spares is the database closed under a commit.
     */
    public void stopReads() {
        stopping = true;
    }

    /**
     * {@link #stopReads()}, then waits up to {@code wait} for the read or removal in progress to end: the application
     * closes the database after this. Returns whether it ended in time.
     */
    public boolean stop(Duration wait) throws InterruptedException {
        stopReads();
        CountDownLatch idle = new CountDownLatch(1);
        Thread waiter = new Thread(() -> {
            synchronized (this) {
                idle.countDown(); // the engine's lock: held by every read, rebuild and purge
            }
        }, "mailtrail-stop");
        waiter.setDaemon(true);
        waiter.start();
        return idle.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean stopping() {
        return stopping;
    }

    /** This engine's turn to write, as against other processes writing the same database (see WriterTurns). */
    private WriterTurns.Turn turn() {
        // Another process wrote since this engine's last turn: what it remembers of the stored data is read again.
        WriterTurns.Turn turn = turns.take(() -> stopping, this::remember, this::failUnfinished);
        try {
            trustOnlyTheDatabase();
        } catch (RuntimeException e) {
            turn.close();
            throw e;
        }
        return turn;
    }

    /**
     * No read is under way anywhere while this engine has the turn: an upload or import file still "reading" is one
     * whose process died in its turn (on PostgreSQL an import's file would otherwise say so for ever, and its source
     * could not be removed). It is failed as interrupted.
     */
    private void failUnfinished() {
        try {
            inTransaction(c -> failReading(c, "s.kind IN ('upload', 'import')", ps -> { }));
        } catch (SQLException e) {
            throw failure("cannot look for interrupted reads", e);
        }
    }

    private interface Parameters {
        void set(PreparedStatement ps) throws SQLException;
    }

    private static final String SOURCE_INTERRUPTED = "interrupted: Mailtrail stopped while reading it";

    /**
     * Fails the files still "reading" of the sources that {@code sources} (over {@code log_source s}) selects, with
     * the line each was stored to, and their sources; returns how many files.
     */
    private static int failReading(Connection c, String sources, Parameters parameters) throws SQLException {
        List<long[]> reading = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT f.id, f.lines, f.source_id FROM log_file f "
                + "JOIN log_source s ON s.id = f.source_id WHERE f.state = 'reading' AND " + sources)) {
            parameters.set(ps);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reading.add(new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3)});
                }
            }
        }
        try (PreparedStatement file = c.prepareStatement("UPDATE log_file SET state = 'failed', error = ? "
                + "WHERE id = ?"); PreparedStatement source = c.prepareStatement("UPDATE log_source "
                + "SET state = 'failed', error = ? WHERE id = ? AND state = 'running'")) {
            for (long[] f : reading) {
                file.setString(1, interruptedAfter(f[1]));
                file.setLong(2, f[0]);
                file.addBatch();
                source.setString(1, SOURCE_INTERRUPTED);
                source.setLong(2, f[2]);
                source.addBatch();
            }
            if (!reading.isEmpty()) {
                file.executeBatch();
                source.executeBatch();
            }
        }
        return reading.size();
    }

    /**
     * Since when this engine waits for another process that writes the same PostgreSQL database (an import) to end
     * its read, if it does: its uploads and tail rounds go on after it.
     */
    public Optional<LocalDateTime> waitingForAnotherProcess() {
        return turns.waitingSince();
    }

    /** Refuses new work once stopping: it would be cut off at its first batch. */
    private void refuseWhenStopping() {
        if (stopping) {
            throw new IngestException.Stopped("Mailtrail is stopping: nothing more is read");
        }
    }

    /** Where a whole file's read stopped, in the same words whether the stop was clean or a crash found later. */
    static String interruptedAfter(long line) {
        return "interrupted: Mailtrail stopped while reading this file, after line " + line + "; load the file "
                + "again: the lines stored already are not added twice";
    }

    int batchEntries() {
        return batchEntries;
    }

    Ids ids() {
        return ids;
    }

    MessageStore messages() {
        return messages;
    }

    /**
     * Whether rows go by COPY, which only PostgreSQL takes: decided once, on the first connection that asks (an engine
     * writes to one database), for the message rows, the raw text and the upserts alike.
     */
    boolean copies(Connection c) throws SQLException {
        Boolean known = copies;
        if (known == null) {
            known = CopyRows.supported(c);
            copies = known;
        }
        return known;
    }

    /** Reads on a connection of its own, outside the writer's transaction: what the correlator does. */
    <T> T onOwnConnection(Read<T> work) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        }
    }

    interface Read<T> {
        T run(Connection c) throws SQLException;
    }

    void inTransaction(Work work) throws SQLException {
        try {
            transaction(work);
        } catch (SQLException | RuntimeException e) {
            untrusted = true; // rolled back, or committed after all: only the database can say
            throw e;
        }
    }

    private void transaction(Work work) throws SQLException {
        H2WriteTransactions on = writes;
        // On an H2 file a CHECKPOINT made after a failure waits until this transaction has ended, and this one
        // waits for such a CHECKPOINT to end (see ClosedDatabaseEviction); taken before the connection, so that a
        // wait does not hold one of the pool's.
        try (H2WriteTransactions.Open open = on == null ? null : on.begin();
             Connection c = dataSource.getConnection()) {
            boolean auto = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                work.run(c);
                long count = countsCommits ? countCommit(c) : 0; // last: the row stays locked until the commit
                c.commit();
                if (countsCommits && commits.getAndSet(count) != count - 1) {
                    untrusted = true; // another engine wrote in between
                }
            } catch (SQLException | RuntimeException e) {
                // A connection the pool dropped because of this very error (a closed database) cannot roll back:
                // the error that says why must not give way to "Connection is closed".
                try {
                    c.rollback();
                    c.setAutoCommit(auto);
                } catch (SQLException again) {
                    e.addSuppressed(again);
                }
                throw e;
            }
            c.setAutoCommit(auto);
        }
    }

    /**
     * Counts this transaction in writer_turn.generation and returns the count, after checking that the database holds
     * this engine's last commit: one that lost commits since the last check (H2 closed and opened again while this
     * read went on) fails the transaction instead of taking rows prepared from what it no longer holds. This engine's
     * transactions follow one another (they run under its lock, or on the writer's thread while the lock's holder
     * waits for it).
     */
    private long countCommit(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE writer_turn SET generation = generation + 1 WHERE id = 1");
        }
        long count = storedCommits(c);
        if (count <= commits.get()) {
            throw new SQLException("the database does not hold this process's last commits (H2 closed it before it "
                    + "wrote them: a full disk?); what is remembered of the stored data is read again");
        }
        return count;
    }

    // ---- sources and files ----

    /** Creates a log source (an upload, an import, a tailed directory) and returns its id. */
    public synchronized long createSource(String kind, String name) {
        refuseWhenStopping();
        trustOnlyTheDatabaseIfItAnswers(); // the ids reserved may have been lost with the commits
        recordUnrecorded();
        long[] id = new long[1];
        try {
            inTransaction(c -> {
                id[0] = ids.next(c);
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO log_source (id, kind, name, state, created) "
                        + "VALUES (?,?,?,?,?)")) {
                    ps.setLong(1, id[0]);
                    ps.setString(2, kind);
                    ps.setString(3, name.length() > 2000 ? name.substring(0, 2000) : name);
                    ps.setString(4, "running");
                    SqlTimes.set(ps, 5, LocalDateTime.now());
                    ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw failure("cannot record the log source", e);
        }
        return id[0];
    }

    /** Marks a source done or failed. */
    public synchronized void finishSource(long sourceId, String error) {
        trustOnlyTheDatabaseIfItAnswers();
        recordUnrecorded();
        LocalDateTime finished = LocalDateTime.now();
        Work finish = c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE log_source SET state = ?, finished = ?, "
                    + "error = ? WHERE id = ?")) {
                ps.setString(1, error == null ? "done" : "failed");
                SqlTimes.set(ps, 2, finished);
                ps.setString(3, column(error));
                ps.setLong(4, sourceId);
                ps.executeUpdate();
            }
        };
        try {
            inTransaction(finish);
            marked(finish);
        } catch (SQLException e) {
            unrecorded.add(finish); // an upload must not say "running" until the next start
            throw failure("cannot update the log source", e);
        }
    }

    /**
     * Removes log sources with their files and text, and builds everything made of lines again from the files that
     * stay (see {@link Rebuild}): takes about as long as loading those files did, as the one writer.
     *
     * @throws IllegalArgumentException when there is no such source
     */
    public synchronized void removeSources(Collection<Long> sourceIds) {
        refuseWhenStopping();
        try (WriterTurns.Turn turn = turn()) {
            finishRebuild(); // one at a time: the files the last one marked must be read before others are removed
            try {
                inTransaction(c -> {
                    for (long id : sourceIds) {
                        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM log_source "
                                + "WHERE id = ?")) {
                            ps.setLong(1, id);
                            try (ResultSet rs = ps.executeQuery()) {
                                rs.next();
                                if (rs.getLong(1) == 0) {
                                    throw new IllegalArgumentException("there is no log source " + id);
                                }
                            }
                        }
                    }
                    Rebuild.start(c, sourceIds);
                });
                rebuilding = true;
            } catch (SQLException e) {
                throw failure("cannot remove the log source", e);
            }
            finishRebuild();
        }
    }

    /**
     * Whether this process is the only one that can write to the database: an H2 file opens in one process at a
     * time; a PostgreSQL database takes a server and imports at once.
     */
    boolean onlyWriter() {
        return !turns.shared();
    }

    /** Whether a rebuild is waiting to be finished: the pages show the database half built until it is. */
    public boolean rebuildPending() {
        return rebuilding;
    }

    /**
     * Finishes a rebuild that a stop interrupted, or that failed (a full disk, say): before anything else is written,
     * since reading other lines into a half-built database would compare them with files not read again yet.
     */
    public synchronized void finishRebuild() {
        if (!rebuilding) {
            return;
        }
        refuseWhenStopping();
        messages.invalidate();
        try (WriterTurns.Turn turn = turn()) {
            new Rebuild(this).run();
            rebuilding = false;
        } catch (IngestException.Stopped e) {
            throw new IngestException.Stopped("the rebuild after removing a log source stopped with Mailtrail; it "
                    + "goes on from where it stopped at the next start");
        } catch (SQLException | IOException | IngestException e) {
            throw failure("the database is being rebuilt after a log source was removed, and the "
                    + "rebuild failed (it goes on from where it stopped at the next write or start)", e);
        } finally {
            messages.invalidate();
        }
    }

    /**
     * Reads a file's stored text again for a rebuild: the rows it makes are stored as an import's are, but the file's
     * text and read position stay; its {@code replayed} count goes on instead.
     */
    void replay(LogFileRow file, InputStream in, LogOptions options, long lines) throws IOException {
        Dedup dedup;
        try (Connection c = dataSource.getConnection()) {
            dedup = new Dedup(c, file.id, true);
        } catch (SQLException e) {
            throw failure("cannot read the stored log files", e);
        }
        FileIngest sink = new FileIngest(this, file, new Progress(), dedup, lines, 0);
        long entriesBefore = file.entries;
        try {
            LogReader.Summary summary = new LogReader(options).read(in, sink, lines, 0, false);
            sink.flush(summary.lines(), summary.end());
            sink.finish();
        } catch (IOException | RuntimeException | Error e) {
            stopped(sink);
            throw e;
        } finally {
            sink.close();
            entriesStored.addAndGet(file.entries - entriesBefore);
        }
    }

    /**
     * Fails the files and sources of {@code kind} that a stop interrupted while they were read: they would say
     * "reading" for ever. Only for kinds that no other process reads (uploads are read by the server that took
     * them), started before {@code before}. Returns how many files.
     */
    public synchronized int failInterrupted(String kind, LocalDateTime before) {
        trustOnlyTheDatabaseIfItAnswers();
        int[] files = new int[1];
        try {
            inTransaction(c -> {
                files[0] = failReading(c, "s.kind = ? AND s.created < ?", ps -> {
                    ps.setString(1, kind);
                    SqlTimes.set(ps, 2, before);
                });
                // and sources stopped before their first file was recorded
                try (PreparedStatement ps = c.prepareStatement("UPDATE log_source SET state = 'failed', error = ? "
                        + "WHERE kind = ? AND state = 'running' AND created < ?")) {
                    ps.setString(1, SOURCE_INTERRUPTED);
                    ps.setString(2, kind);
                    SqlTimes.set(ps, 3, before);
                    ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw failure("cannot look for interrupted " + kind + "s", e);
        }
        return files[0];
    }

    /** Marks a source that goes on again (a directory followed again) as running, no longer finished. */
    public synchronized void reopenSource(long sourceId) {
        trustOnlyTheDatabaseIfItAnswers();
        try {
            inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE log_source SET state = 'running', finished = "
                        + "NULL, error = NULL WHERE id = ?")) {
                    ps.setLong(1, sourceId);
                    ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw failure("cannot update the log source", e);
        }
    }

    /**
     * What keeps a source that goes on (a tailed directory) from reading, or null once it reads again: shown on the
     * Sources page beside the source.
     */
    public synchronized void sourceProblem(long sourceId, String problem) {
        trustOnlyTheDatabaseIfItAnswers();
        try {
            inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE log_source SET error = ? WHERE id = ?")) {
                    ps.setString(1, column(problem));
                    ps.setLong(2, sourceId);
                    ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw failure("cannot update the log source", e);
        }
    }

    private LogFileRow createFile(long sourceId, String name) throws SQLException {
        LogFileRow[] row = new LogFileRow[1];
        inTransaction(c -> {
            row[0] = new LogFileRow(ids.next(c), sourceId, name);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO log_file (id, source_id, name, head_length, "
                    + "position, lines, entries, rejected, duplicates, state, updated) "
                    + "VALUES (?,?,?,0,0,0,0,0,0,'reading',?)")) {
                ps.setLong(1, row[0].id);
                ps.setLong(2, sourceId);
                ps.setString(3, name.length() > 2000 ? name.substring(0, 2000) : name);
                SqlTimes.set(ps, 4, LocalDateTime.now());
                ps.executeUpdate();
            }
        });
        return row[0];
    }

    void updateFile(Connection c, LogFileRow f) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE log_file SET position = ?, lines = ?, entries = ?, "
                + "rejected = ?, duplicates = ?, first_time = ?, last_time = ?, options = ?, state = ?, error = ?, "
                + "size = ?, updated = ?, name = ?, fingerprint = ?, head_length = ?, replayed = ?, clock_latest = ?, "
                + "clock_step = ?, clock_until = ?, cut = ?, cut_lines = ? WHERE id = ?")) {
            ps.setLong(1, f.position);
            ps.setLong(2, f.lines);
            ps.setLong(3, f.entries);
            ps.setLong(4, f.rejected);
            ps.setLong(5, f.duplicates);
            SqlTimes.set(ps, 6, f.firstTime);
            SqlTimes.set(ps, 7, f.lastTime);
            ps.setString(8, f.options);
            ps.setString(9, f.state);
            ps.setString(10, f.error);
            if (f.size == null) {
                ps.setNull(11, java.sql.Types.BIGINT);
            } else {
                ps.setLong(11, f.size);
            }
            SqlTimes.set(ps, 12, f.replayed == null || f.updated == null ? LocalDateTime.now() : f.updated);
            // A tailed file may have been renamed (rotation) and its fingerprint grown with it since it was opened.
            ps.setString(13, f.name.length() > 2000 ? f.name.substring(0, 2000) : f.name);
            ps.setString(14, f.fingerprint);
            ps.setInt(15, f.headLength);
            ps.setObject(16, f.replayed, java.sql.Types.BIGINT);
            SqlTimes.set(ps, 17, f.clock.latest());
            ps.setObject(18, f.clock.step() == 0 ? null : f.clock.step(), java.sql.Types.INTEGER);
            SqlTimes.set(ps, 19, f.clock.until());
            ps.setLong(20, f.cut);
            ps.setString(21, f.cutLines.column());
            ps.setLong(22, f.id);
            ps.executeUpdate();
        }
    }

    /** What reading one whole file gave. */
    public record FileResult(long fileId, long lines, long entries, long messages, long rejected, long duplicates,
                             double seconds, String options, long cut, List<Long> cutLines) {
    }

    /**
     * Reads a whole stream (an upload or an import) as a new log file of the source. Bad lines are stored as
     * rejected lines; only a storage failure throws.
     */
    public synchronized FileResult ingest(long sourceId, String name, InputStream in, LogOptions options,
                                          Progress progress) throws IOException {
        refuseWhenStopping();
        recordUnrecorded();
        try (WriterTurns.Turn turn = turn()) {
            finishRebuild();
            LogFileRow file;
            try {
                file = createFile(sourceId, name);
            } catch (SQLException e) {
                throw failure("cannot record the log file " + name, e);
            }
            return read(file, in, options, progress, false, "done");
        }
    }

    /**
     * A log file as the tailer knows it: identity (device, inode, fingerprint of its first bytes) and how far it has
     * been committed.
     */
    public record FileState(long id, long sourceId, String name, String fingerprint, int headLength, Long device,
                            Long inode, long position, long lines, Long size, String state, String error,
                            LocalDateTime updated, String linkName) {
    }

    /** The files of a source, as committed. */
    public synchronized java.util.List<FileState> files(long sourceId) {
        java.util.List<FileState> out = new java.util.ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT id, source_id, name, fingerprint, head_length, device, inode, position, lines, size, state, "
                        + "error, updated, link_name FROM log_file WHERE source_id = ? ORDER BY id")) {
            ps.setLong(1, sourceId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long device = rs.getLong(6);
                    Long deviceValue = rs.wasNull() ? null : device;
                    long inode = rs.getLong(7);
                    Long inodeValue = rs.wasNull() ? null : inode;
                    long size = rs.getLong(10);
                    Long sizeValue = rs.wasNull() ? null : size;
                    out.add(new FileState(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                            deviceValue, inodeValue, rs.getLong(8), rs.getLong(9), sizeValue, rs.getString(11),
                            rs.getString(12), SqlTimes.get(rs, 13), rs.getString(14)));
                }
            }
        } catch (SQLException e) {
            throw failure("cannot read the log files", e);
        }
        return out;
    }

    /** Records a newly found file of a tailed source, with its identity; reading starts at byte 0. */
    public synchronized FileState openFile(long sourceId, String name, String fingerprint, int headLength, Long device,
                                           Long inode) {
        trustOnlyTheDatabaseIfItAnswers(); // the ids reserved may have been lost with the commits
        try {
            LogFileRow row = createFile(sourceId, name);
            row.fingerprint = fingerprint;
            row.headLength = headLength;
            row.device = device;
            row.inode = inode;
            row.state = "tailing";
            inTransaction(c -> {
                updateFile(c, row);
                try (PreparedStatement ps = c.prepareStatement("UPDATE log_file SET fingerprint = ?, head_length = ?, "
                        + "device = ?, inode = ? WHERE id = ?")) {
                    ps.setString(1, fingerprint);
                    ps.setInt(2, headLength);
                    ps.setObject(3, device);
                    ps.setObject(4, inode);
                    ps.setLong(5, row.id);
                    ps.executeUpdate();
                }
            });
            return new FileState(row.id, sourceId, name, fingerprint, headLength, device, inode, 0, 0, null,
                    row.state, null, LocalDateTime.now(), null);
        } catch (SQLException e) {
            throw failure("cannot record the log file " + name, e);
        }
    }

    /**
     * Continues reading a tailed file: {@code in} starts at the committed position. Only complete lines are read;
     * the new position is committed with the rows read up to it. {@code name}, {@code size} and {@code state}
     * record where the file is now (it may have been renamed) and whether it is still being written.
     *
     * <p>In auto mode the optional fields are not detected from this round's lines alone: the round starts from what
     * earlier rounds found (log_file.options) and learns from {@code head}, the file's first bytes, as an import of
     * the file would; {@code head} may be null once earlier rounds have learned from a full head.
     */
    public synchronized FileResult resume(FileState state, String name, InputStream in, LogOptions options,
                                          byte[] head, Long size, String newState, Progress progress)
            throws IOException {
        refuseWhenStopping();
        recordUnrecorded();
        try (WriterTurns.Turn turn = turn()) {
            finishRebuild();
            LogFileRow file = new LogFileRow(state.id(), state.sourceId(), name);
            if ("truncated".equals(state.state())) {
                // The rest of a truncated file read from its copy after the file began again as a new one: said
                // "reading" by a batch, a crash would leave it followed again, under the inode its new content has.
                file.state = state.state();
            }
            file.position = state.position();
            file.lines = state.lines();
            file.fingerprint = state.fingerprint();
            file.headLength = state.headLength();
            file.device = state.device();
            file.inode = state.inode();
            file.size = size;
            long storedPosition;
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                    "SELECT entries, rejected, duplicates, first_time, last_time, options, position, cut, cut_lines, "
                            + ClockSteps.State.COLUMNS + " FROM log_file WHERE id = ?")) {
                ps.setLong(1, state.id());
                try (ResultSet rs = ps.executeQuery()) {
                    storedPosition = rs.next() ? rs.getLong(7) : -1;
                    if (storedPosition >= 0) {
                        file.entries = rs.getLong(1);
                        file.rejected = rs.getLong(2);
                        file.duplicates = rs.getLong(3);
                        file.firstTime = SqlTimes.get(rs, 4);
                        file.lastTime = SqlTimes.get(rs, 5);
                        file.options = rs.getString(6);
                        file.cut = rs.getLong(8);
                        file.cutLines = CutLines.of(rs.getString(9));
                        file.clock = ClockSteps.State.read(rs, 10);
                    }
                }
            } catch (SQLException e) {
                throw failure("cannot read the log file " + name, e);
            }
            // The caller read the position a moment ago; if H2 lost its last commits since (turn() found out), the
            // stream starts past lines that are no longer stored: they would be skipped for good.
            if (storedPosition != state.position()) {
                throw new IngestException(name + ": the database lost its last commits (H2 closed it before it wrote "
                        + "them: a full disk?), and with them " + (storedPosition < 0 ? "this file's record"
                        : "the read position, which went back from byte " + state.position() + " to "
                        + storedPosition) + "; the next round reads on from what is stored");
            }
            LogOptions known = LogOptions.of(Set.of());
            if (options.isAuto() && file.options != null) {
                try {
                    known = LogOptions.parse(file.options);
                } catch (IllegalArgumentException e) {
                    // written by another version: learned again from the head below
                }
            }
            return read(file, in, options, progress, true, newState, known, head);
        }
    }

    /**
     * Records that a tailed file was read through the symbolic link {@code link}, which now points to another file:
     * the file is followed on under its own name, and when it is let go its row says the link moved, not the file.
     */
    public synchronized void markLinkRepointed(long fileId, String link) {
        trustOnlyTheDatabaseIfItAnswers();
        try {
            inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE log_file SET link_name = ? WHERE id = ?")) {
                    ps.setString(1, link);
                    ps.setLong(2, fileId);
                    ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw failure("cannot update the log file", e);
        }
    }

    /** Records a tailed file's state (for example "rotated", "truncated", "gone") and an error, if any. */
    public synchronized void markFile(long fileId, String state, String error) {
        markFile(fileId, state, error, null);
    }

    /**
     * The same, and the file's size as just seen when {@code size} is not null: a file that cannot be read (permission
     * denied, not a text log) keeps showing how much of it is not read, instead of its size at its last read.
     */
    public synchronized void markFile(long fileId, String state, String error, Long size) {
        trustOnlyTheDatabaseIfItAnswers();
        try {
            inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE log_file SET state = ?, error = ?, updated = ?, "
                        + "size = COALESCE(?, size) WHERE id = ?")) {
                    ps.setString(1, state);
                    ps.setString(2, column(error));
                    SqlTimes.set(ps, 3, LocalDateTime.now());
                    ps.setObject(4, size, java.sql.Types.BIGINT);
                    ps.setLong(5, fileId);
                    ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw failure("cannot update the log file", e);
        }
    }

    /** A message as its VARCHAR(4000) column takes it (log_file.notice and error, log_source.error), or null. */
    private static String column(String text) {
        return text == null || text.length() <= 4000 ? text : text.substring(0, 4000);
    }

    /**
     * Records how a followed file ended: {@code notice} says what happened when that is no fault in itself (a
     * truncation, which a copy-and-truncate rotation makes at every rotation), {@code error} what may be missing, or
     * null. {@code sizeAtLeast}: it was written to after its last look and not read, so its size recorded then, and
     * the lag counted from it, are only a lower bound.
     */
    public synchronized void markEnded(long fileId, String state, String notice, String error, boolean sizeAtLeast) {
        markEnded(fileId, state, notice, error, sizeAtLeast, null);
    }

    /**
     * The same, and the name the file's lines are to be found under from now on, when not null: a truncated file's
     * copy, which holds them after the file was emptied. In the same transaction as the notice that says so.
     */
    public synchronized void markEnded(long fileId, String state, String notice, String error, boolean sizeAtLeast,
                                       String name) {
        trustOnlyTheDatabaseIfItAnswers();
        try {
            inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE log_file SET state = ?, notice = ?, error = ?, "
                        + "size_at_least = ?, updated = ?, name = COALESCE(?, name) WHERE id = ?")) {
                    ps.setString(1, state);
                    ps.setString(2, column(notice));
                    ps.setString(3, column(error));
                    ps.setBoolean(4, sizeAtLeast);
                    SqlTimes.set(ps, 5, LocalDateTime.now());
                    ps.setString(6, name == null || name.length() <= 2000 ? name : name.substring(0, 2000));
                    ps.setLong(7, fileId);
                    ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw failure("cannot update the log file", e);
        }
    }

    private FileResult read(LogFileRow file, InputStream in, LogOptions options, Progress progress,
                            boolean completeLinesOnly, String finalState) throws IOException {
        return read(file, in, options, progress, completeLinesOnly, finalState, null, null);
    }

    /** {@code known} and {@code head}: what a followed file showed before (see {@link #resume}), or null. */
    private FileResult read(LogFileRow file, InputStream in, LogOptions options, Progress progress,
                            boolean completeLinesOnly, String finalState, LogOptions known, byte[] head)
            throws IOException {
        Dedup dedup;
        try (Connection c = dataSource.getConnection()) {
            dedup = new Dedup(c, file.id);
        } catch (SQLException e) {
            throw failure("cannot read the stored log files", e);
        }
        FileIngest sink = new FileIngest(this, file, progress, dedup);
        long entriesBefore = file.entries;
        try {
            LogReader.Summary summary = new LogReader(options).read(in, sink, file.lines, file.position,
                    completeLinesOnly, known, head);
            file.options = summary.options().toString();
            if (file.size == null || !completeLinesOnly) {
                file.size = summary.bytes();
            }
            sink.flush(summary.lines(), summary.end());
            sink.finish();
            // Only now: the writer stores the file's row with each batch, and a batch committed after the state was
            // set said "done" over lines not stored yet. A file cut off there (H2 kept that batch only, or the
            // process died) then read as whole, and loading it again added the facts its batches took along from
            // the next batch a second time: only files not read to their end are searched for those (Dedup).
            file.state = finalState;
            inTransaction(c -> updateFile(c, file));
            if (!completeLinesOnly) {
                writeOut(file);
            }
            return new FileResult(file.id, file.lines, file.entries, progress.messages(), file.rejected,
                    file.duplicates, progress.seconds(), file.options, file.cut, file.cutLines.lines());
        } catch (LogReader.InputBrokeOff e) {
            // A truncated gzip or a read error: the lines before it are good and are stored, then the file is failed
            // with the line it broke off at (an import of the whole file later adds only the rest).
            LogReader.Summary summary = e.summary();
            try {
                sink.flush(summary.lines(), summary.end());
                sink.finish();
            } catch (RuntimeException stored) {
                RuntimeException told = lostWithTheFile(stored, completeLinesOnly);
                markFailed(file, told.getMessage(), told instanceof NotWritten); // as when storing fails mid-file
                throw told;
            }
            file.options = summary.options().toString();
            if (file.size == null || !completeLinesOnly) {
                file.size = summary.bytes();
            }
            file.state = "failed";
            // A gzip bomb stopped by the ratio limit says so in its own words, with how to raise the limit.
            file.error = e.getCause() instanceof DecompressionLimit.Exceeded over ? over.after(summary.lines())
                    : e.getMessage() + "; the lines before it were stored";
            try {
                inTransaction(c -> updateFile(c, file));
            } catch (SQLException stored) {
                throw failure("cannot record the log file " + file.name, stored);
            }
            throw new IOException(file.error, e);
        } catch (SQLException e) {
            // The file's last update failed (H2 met its full disk there, say): the file is failed as when a batch
            // fails, not left "reading" or, worse, with what a batch before it said.
            RuntimeException failed = lostWithTheFile(failure("cannot record the log file " + file.name, e),
                    completeLinesOnly);
            stopped(sink);
            markFailed(file, failed.getMessage(), !completeLinesOnly);
            throw failed;
        } catch (IngestException.Stopped e) {
            stopped(sink); // the batches handed to the writer are committed first: file.lines is then what is stored
            if (completeLinesOnly) {
                // A followed file is not failed: it takes the state the round gives it and goes on from its committed
                // position at the next start.
                file.state = finalState;
                try {
                    inTransaction(c -> updateFile(c, file));
                } catch (SQLException ignored) {
                    // it says "reading" until the next round: no harm, its position is committed
                }
                throw new IngestException.Stopped(file.name + ": stopped after line " + file.lines + "; reading goes "
                        + "on from there at the next start");
            }
            String message = interruptedAfter(file.lines);
            markFailed(file, message);
            throw new IngestException.Stopped(message);
        } catch (RuntimeException e) {
            stopped(sink);
            RuntimeException told = lostWithTheFile(e, completeLinesOnly);
            markFailed(file, told.getMessage(), told instanceof NotWritten);
            throw told;
        } catch (IOException e) {
            stopped(sink);
            markFailed(file, e.getMessage());
            throw e;
        } catch (Error e) {
            // Out of memory, say: the file must not stay "reading" for ever. The stages finish their batch or fail
            // on their own, so what was committed is consistent.
            stopped(sink);
            markFailed(file, IngestException.stopped(e));
            throw e;
        } finally {
            sink.close();
            entriesStored.addAndGet(file.entries - entriesBefore);
        }
    }

    /**
     * Before a whole file (an upload, an import) is declared read, on an H2 file: has H2 write what was committed, on
     * a session that shows the database still holds this engine's commits. H2 acknowledges a commit before its
     * background writer writes it, and when that write fails (a full disk) it closes the database, which opens again
     * without them; nothing reads an upload's lines again (its file is deleted once read), so the load fails here
     * instead of saying "done" over lost rows. A followed file needs none of this: it is read again from the position
     * the database kept. Costs one write of what H2 would have written within a second anyway.
     */
    private void writeOut(LogFileRow file) {
        if (!countsCommits || databaseFile == null) {
            return; // PostgreSQL writes a commit before it acknowledges it; an H2 in memory has no file to lose
        }
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
            long stored = storedCommits(c);
            if (stored < commits.get()) {
                throw new SQLException("the database does not hold this process's last " + (commits.get() - stored)
                        + " commits (H2 closed it before it wrote them: a full disk?)");
            }
        } catch (SQLException e) {
            untrusted = true;
            throw new NotWritten(failure("cannot store " + file.name, e).getMessage(), e);
        }
    }

    /**
     * A whole file's load that H2's storage failed under, wherever it was met: H2 closes the database when its
     * background write fails, and the next batch's statement may meet that before writeOut's CHECKPOINT does (the
     * disk filled while the batches after it were stored: once in CI). The commits since H2 last wrote its file are
     * lost either way, so the user is told the same: to load the file again. A followed file is read again from the
     * position the database kept, and PostgreSQL loses no acknowledged commit: their failure is told as it is.
     */
    private RuntimeException lostWithTheFile(RuntimeException e, boolean completeLinesOnly) {
        if (completeLinesOnly || !countsCommits || databaseFile == null || e instanceof NotWritten
                || e instanceof IngestException.Stopped || DatabaseFailure.describe(e, databaseFile) == null) {
            return e;
        }
        return new NotWritten(e.getMessage(), e);
    }

    /** A whole file's rows that H2 did not write to its file (see writeOut and lostWithTheFile). */
    private static final class NotWritten extends IngestException {
        NotWritten(String failure, Throwable cause) {
            super(failure + " (the lines read since the database last wrote its file are not stored; load the file "
                    + "again once it can write: the lines stored already are not added twice)", cause);
        }
    }

    /**
     * Removes what lies before {@code cutoff} in log time ({@link Purge}), as the one writer: an import waits for it and
     * it for an import. The cached messages are dropped: some of them may be gone.
     */
    public synchronized Purge.Result purge(LocalDateTime cutoff) {
        try (WriterTurns.Turn turn = turn()) {
            finishRebuild();
            try {
                return new Purge(this).before(cutoff);
            } catch (SQLException e) {
                throw failure("cannot remove the data before " + cutoff, e);
            } finally {
                messages.invalidate();
            }
        }
    }

    /**
     * Runs a change of the stored data that is not an import (removing the demo day), in one transaction, as the one
     * writer; the cached messages are dropped after it, since it may have removed them.
     */
    synchronized void rewrite(Work work) {
        try (WriterTurns.Turn turn = turn()) {
            try {
                inTransaction(work);
            } catch (SQLException e) {
                throw failure("cannot change the stored data", e);
            } finally {
                messages.invalidate();
            }
        }
    }

    /** Entries this engine has stored since it started, from every upload, import and tailed file. */
    public long entriesStored() {
        return entriesStored.get();
    }

    /**
     * After a failure: lets the stages finish what they are doing (a batch still being stored would record the file
     * as "reading" again after it is marked failed) and drops the message cache, which may hold a batch the
     * correlator prepared but the writer never got; the next write reads again all that is remembered.
     */
    private void stopped(FileIngest sink) {
        sink.close();
        messages().invalidate();
        untrusted = true;
    }

    private void markFailed(LogFileRow file, String message) {
        markFailed(file, message, false);
    }

    /**
     * {@code storedLines}: the message is completed, when it is recorded, with the lines the database holds of the
     * file then: after H2 lost commits (see writeOut) only the database opened again knows how far it kept it.
     */
    private void markFailed(LogFileRow file, String message, boolean storedLines) {
        Work mark = c -> {
            String error = message == null ? "failed" : message;
            if (storedLines) {
                try (PreparedStatement ps = c.prepareStatement("SELECT lines FROM log_file WHERE id = ?")) {
                    ps.setLong(1, file.id);
                    try (ResultSet rs = ps.executeQuery()) {
                        long kept = rs.next() ? rs.getLong(1) : 0;
                        error += kept == 0 ? "; the database kept none of its lines"
                                : "; the database kept its lines 1 to " + kept;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE log_file SET state = 'failed', error = ? "
                    + "WHERE id = ?")) {
                ps.setString(1, column(error));
                ps.setLong(2, file.id);
                ps.executeUpdate();
            }
        };
        try {
            inTransaction(mark);
            marked(mark);
        } catch (SQLException e) {
            unrecorded.add(mark); // the original failure is what gets reported
        }
    }

    /** Records the failures the database was away for, in order, as far as it takes them now. */
    private void recordUnrecorded() {
        while (!unrecorded.isEmpty()) {
            try {
                inTransaction(unrecorded.peek());
            } catch (SQLException e) {
                return; // still away: the write that follows fails and says why
            }
            unrecorded.poll();
        }
    }
}
