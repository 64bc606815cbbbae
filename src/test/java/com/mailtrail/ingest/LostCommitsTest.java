package com.mailtrail.ingest;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.parse.LogOptions;
import com.mailtrail.parse.LogReader;
import com.mailtrail.store.FullDisk;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The database loses commits it had acknowledged, or rows the engine stored vanish behind its back, while the engine
 * goes on: what it remembers of the stored data (recent messages, the key filter, the ids it reserved) must not
 * outlive them, or the lines read again from the stored position are lost quietly.
 * <p>
 * H2 keeps commits in memory and writes them to its file a moment later; when that write fails (a full disk) it closes
 * the database, and the file opens again at its last write, without the commits in between (QA: 559 messages lost
 * tailing onto a full tmpfs, and once the file's position went back and new rows took ids already used).
 */
class LostCommitsTest {

    private static final Set<String> RELAYS = Set.of("conversion", "reprocess", "process");
    private static String log;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() throws IOException {
        StringWriter w = new StringWriter();
        new LogGenerator(GeneratorConfig.of(1500, 7)).generate(w, null);
        log = w.toString();
    }

    @AfterEach
    void close() {
        FullDisk.full = false;
        TestDatabase.closePools();
    }

    /** What one import of the whole file stores: messages, recipients, attempts. */
    private static long[] oneShot() throws IOException {
        DataSource ds = TestDatabase.h2();
        IngestEngine engine = new IngestEngine(ds, RELAYS, 200);
        engine.ingest(engine.createSource("import", "mail.log"), "mail.log",
                new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), LogOptions.auto(), new Progress());
        return counts(ds);
    }

    private static long[] counts(DataSource ds) {
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        return new long[]{count(jdbc, "message"), count(jdbc, "recipient"), count(jdbc, "attempt")};
    }

    private static long count(JdbcTemplate jdbc, String table) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
        return n == null ? 0 : n;
    }

    /** The byte offset where line {@code line} (1-based) of the log starts. */
    private static int offsetOfLine(int line) {
        int at = 0;
        for (int i = 1; i < line; i++) {
            at = log.indexOf('\n', at) + 1;
        }
        return at;
    }

    /** The file's first bytes, which the tailer gives a round to learn the file's optional fields from. */
    private static byte[] head(byte[] bytes, int end) {
        return Arrays.copyOf(bytes, Math.min(end, LogReader.LEARN_BYTES));
    }

    /** Reads the file as the tailer does: from the stored position up to {@code end} bytes of it. */
    private static IngestEngine.FileResult tailRound(IngestEngine engine, long source, byte[] bytes, int end)
            throws IOException {
        IngestEngine.FileState state = engine.files(source).get(0);
        return engine.resume(state, "mail.log_current", new ByteArrayInputStream(bytes, (int) state.position(),
                end - (int) state.position()), LogOptions.auto(), head(bytes, end), (long) end, "tailing",
                new Progress());
    }

    /** An H2 file on a disk that can fill up ({@link FullDisk}). */
    private JdbcDataSource h2OnFullDisk() {
        FullDisk.register();
        JdbcDataSource h2 = new JdbcDataSource();
        // H2 writes what was committed at CHECKPOINT only (and when its buffer fills), not within a second: the
        // commits since its last write are then certainly in memory alone when the disk fills, as some always are.
        h2.setURL("jdbc:h2:fulldisk:" + dir.resolve("mailtrail") + ";WRITE_DELAY=3600000");
        h2.setUser("sa");
        return h2;
    }

    /**
     * The disk fills: H2's next write fails and it closes the database; its sessions are closed (what the server's
     * pool does, ClosedDatabaseEviction); there is room again, and a new session opens the file at its last write.
     * Returns that session, which keeps the database open.
     */
    private static Connection loseUnwrittenCommits(JdbcDataSource h2, Connection keeper) throws SQLException {
        JdbcTemplate jdbc = new JdbcTemplate(h2);
        FullDisk.full = true;
        assertThatThrownBy(() -> jdbc.execute("CHECKPOINT")).hasStackTraceContaining("No space left on device");
        assertThatThrownBy(() -> jdbc.execute("SELECT COUNT(*) FROM log_file"))
                .hasStackTraceContaining("The database has been closed");
        keeper.close();
        FullDisk.full = false;
        return h2.getConnection();
    }

    @Test
    void commitsLostWhenH2ClosesOnAFullDiskAreReadAgainWhole() throws Exception {
        JdbcDataSource h2 = h2OnFullDisk();
        Connection keeper = h2.getConnection(); // keeps the database open between the engine's sessions
        TestDatabase.migrate(h2);
        JdbcTemplate jdbc = new JdbcTemplate(h2);

        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        int lines = (int) log.lines().count();
        int written = offsetOfLine(lines * 4 / 10);
        int acknowledged = offsetOfLine(lines * 5 / 10);

        IngestEngine engine = new IngestEngine(h2, RELAYS, 200);
        long source = engine.createSource("tail", dir.toString());
        engine.openFile(source, "mail.log_current", "", 0, null, null);
        tailRound(engine, source, bytes, written);
        jdbc.execute("CHECKPOINT"); // on the disk
        tailRound(engine, source, bytes, acknowledged); // committed, in H2's memory only
        assertThat(engine.files(source).get(0).position()).isEqualTo(acknowledged);

        keeper = loseUnwrittenCommits(h2, keeper); // while the engine waits for the next round

        assertThat(engine.files(source).get(0).position()).as("H2 lost acknowledged commits: the position went back")
                .isEqualTo(written);

        tailRound(engine, source, bytes, bytes.length);

        IngestEngine.FileState after = engine.files(source).get(0);
        assertThat(after.position()).isEqualTo(bytes.length);
        assertThat(after.error()).isNull();
        assertThat(Arrays.toString(counts(h2))).as("messages, recipients, attempts")
                .isEqualTo(Arrays.toString(oneShot()));
        keeper.close();
    }

    @Test
    void aRoundGivenThePositionTheDatabaseLostDoesNotSkipTheLinesAfterTheStoredOne() throws Exception {
        JdbcDataSource h2 = h2OnFullDisk();
        Connection keeper = h2.getConnection();
        TestDatabase.migrate(h2);
        JdbcTemplate jdbc = new JdbcTemplate(h2);
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        int lines = (int) log.lines().count();
        int written = offsetOfLine(lines * 4 / 10);
        int acknowledged = offsetOfLine(lines * 5 / 10);

        IngestEngine engine = new IngestEngine(h2, RELAYS, 200);
        long source = engine.createSource("tail", dir.toString());
        engine.openFile(source, "mail.log_current", "", 0, null, null);
        tailRound(engine, source, bytes, written);
        jdbc.execute("CHECKPOINT");
        tailRound(engine, source, bytes, acknowledged); // committed, in H2's memory only

        // The tailer reads the file's position, and opens the file there; H2 loses its last commits just then.
        IngestEngine.FileState read = engine.files(source).get(0);
        assertThat(read.position()).isEqualTo(acknowledged);
        keeper = loseUnwrittenCommits(h2, keeper);

        assertThatThrownBy(() -> engine.resume(read, "mail.log_current", new ByteArrayInputStream(bytes,
                acknowledged, bytes.length - acknowledged), LogOptions.auto(), head(bytes, bytes.length),
                (long) bytes.length, "tailing", new Progress()))
                .hasMessage("mail.log_current: the database lost its last commits (H2 closed it before it wrote "
                        + "them: a full disk?), and with them the read position, which went back from byte "
                        + acknowledged + " to " + written + "; the next round reads on from what is stored");

        tailRound(engine, source, bytes, bytes.length); // the next round, from the stored position
        assertThat(engine.files(source).get(0).position()).isEqualTo(bytes.length);
        assertThat(Arrays.toString(counts(h2))).as("messages, recipients, attempts")
                .isEqualTo(Arrays.toString(oneShot()));
        keeper.close();
    }

    @Test
    void commitsLostWhileAFileIsReadFailItsNextBatchAndTheNextRoundReadsThemAgain() throws Exception {
        JdbcDataSource h2 = h2OnFullDisk();
        Connection keeper = h2.getConnection();
        TestDatabase.migrate(h2);
        JdbcTemplate jdbc = new JdbcTemplate(h2);
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        int lines = (int) log.lines().count();
        int written = offsetOfLine(lines / 10);
        // The reader fills a buffer of 1 MB before it parses: the round has stored more than that when it waits.
        int pause = log.indexOf('\n', written + (1 << 20) + 100_000) + 1;

        IngestEngine engine = new IngestEngine(h2, RELAYS, 200);
        long source = engine.createSource("tail", dir.toString());
        engine.openFile(source, "mail.log_current", "", 0, null, null);
        tailRound(engine, source, bytes, written);
        jdbc.execute("CHECKPOINT");

        // A round that stops reading half-way (the MTA is slow) while its batches so far are committed in memory; the
        // database is closed and opened again meanwhile (by a page that met it closed, say), without those commits.
        CountDownLatch paused = new CountDownLatch(1);
        CountDownLatch goOn = new CountDownLatch(1);
        IngestEngine.FileState state = engine.files(source).get(0);
        InputStream in = new SequenceInputStream(new ByteArrayInputStream(bytes, written, pause - written),
                new InputStream() {
                    private InputStream rest;

                    @Override
                    public int read() throws IOException {
                        byte[] one = new byte[1];
                        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        if (rest == null) {
                            paused.countDown();
                            try {
                                goOn.await();
                            } catch (InterruptedException e) {
                                throw new IOException(e);
                            }
                            rest = new ByteArrayInputStream(bytes, pause, bytes.length - pause);
                        }
                        return rest.read(b, off, len);
                    }
                });
        AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread round = new Thread(() -> {
            try {
                engine.resume(state, "mail.log_current", in, LogOptions.auto(), head(bytes, bytes.length),
                        (long) bytes.length, "tailing", new Progress());
            } catch (IOException | RuntimeException e) {
                failed.set(e);
            }
        });
        round.start();
        assertThat(paused.await(60, TimeUnit.SECONDS)).isTrue();
        long committed = -1;
        for (long now = jdbc.queryForObject("SELECT position FROM log_file", Long.class); now != committed; ) {
            committed = now; // until the batches handed on are committed
            Thread.sleep(500);
            now = jdbc.queryForObject("SELECT position FROM log_file", Long.class);
        }
        assertThat(committed).isGreaterThan(written);
        keeper = loseUnwrittenCommits(h2, keeper);
        assertThat(jdbc.queryForObject("SELECT position FROM log_file", Long.class)).isEqualTo(written);
        goOn.countDown();
        round.join(60_000);
        assertThat(failed.get()).as("the round fails rather than storing over what the database lost").isNotNull();

        engine.markFile(state.id(), "tailing", null);
        tailRound(engine, source, bytes, bytes.length);
        assertThat(engine.files(source).get(0).position()).isEqualTo(bytes.length);
        assertThat(Arrays.toString(counts(h2))).as("messages, recipients, attempts")
                .isEqualTo(Arrays.toString(oneShot()));
        keeper.close();
    }

    @Test
    void anUploadsFailureLostWithTheCommitsIsRecordedAgainAtTheNextWrite() throws Exception {
        JdbcDataSource h2 = h2OnFullDisk();
        Connection keeper = h2.getConnection();
        TestDatabase.migrate(h2);
        JdbcTemplate jdbc = new JdbcTemplate(h2);
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        int part = offsetOfLine((int) log.lines().count() / 2);

        // An upload whose storing fails half-way: the file row and the batches before are on the disk, the failure
        // and the upload's end are recorded after it, in H2's memory only (QA: an upload onto a full tmpfs said
        // "reading" after the disk had room and the next upload was stored, and at the next start "interrupted").
        IngestEngine engine = new IngestEngine(h2, RELAYS, 200);
        long source = engine.createSource("upload", "mail.log");
        InputStream in = new SequenceInputStream(new ByteArrayInputStream(bytes, 0, part), new InputStream() {
            @Override
            public int read() {
                jdbc.execute("CHECKPOINT");
                throw new IllegalStateException("cannot store mail.log: No space left on device");
            }
        });
        assertThatThrownBy(() -> engine.ingest(source, "mail.log", in, LogOptions.auto(), new Progress()))
                .hasMessageContaining("No space left on device");
        engine.finishSource(source, "mail.log: cannot store mail.log: No space left on device");
        String states = "SELECT s.state || ' ' || f.state FROM log_source s JOIN log_file f ON f.source_id = s.id "
                + "WHERE s.id = ?";
        assertThat(jdbc.queryForObject(states, String.class, source)).isEqualTo("failed failed");

        keeper = loseUnwrittenCommits(h2, keeper);
        assertThat(jdbc.queryForObject(states, String.class, source)).as("H2 lost them")
                .isEqualTo("running reading");

        engine.createSource("upload", "next.log"); // the next upload

        assertThat(jdbc.queryForObject(states, String.class, source)).isEqualTo("failed failed");
        assertThat(jdbc.queryForObject("SELECT error FROM log_file WHERE source_id = ?", String.class, source))
                .contains("No space left on device");
        keeper.close();
    }

    /**
     * {@code closedBeforeTheRest}: H2 fails its write (and closes the database) before the rest of the file is
     * stored, so that a batch's statement meets it rather than the CHECKPOINT at the end, as when H2's buffer fills
     * and it writes on its own (once in CI, the load then failed without saying its lines must be loaded again).
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aWholeFileWhoseRowsH2CouldNotWriteFailsWithTheLinesKeptInsteadOfSayingDone(boolean closedBeforeTheRest)
            throws Exception {
        JdbcDataSource h2 = h2OnFullDisk();
        Connection keeper = h2.getConnection();
        TestDatabase.migrate(h2);
        JdbcTemplate jdbc = new JdbcTemplate(h2);
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        // past the reader's first buffer (1 MB), so that the lines before it are parsed and stored meanwhile
        int part = log.indexOf('\n', (1 << 20) + 100_000) + 1;
        assertThat(part).isPositive().isLessThan(bytes.length);

        // An upload (or import): H2 writes its first rows to the file, then the disk fills while the rest are read.
        // Those are committed in H2's memory only, and H2 cannot write them: until now the load said "done" (and an
        // upload's file was deleted) over rows the file opened again did not hold.
        IngestEngine engine = new IngestEngine(h2, RELAYS, 200);
        long source = engine.createSource("upload", "mail.log");
        InputStream in = new SequenceInputStream(new ByteArrayInputStream(bytes, 0, part), new InputStream() {
            private InputStream rest;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (rest == null) {
                    try {
                        awaitIdlePipeline();
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                    assertThat(jdbc.queryForObject("SELECT MAX(lines) FROM log_file", Long.class)).isPositive();
                    jdbc.execute("CHECKPOINT");
                    FullDisk.full = true;
                    if (closedBeforeTheRest) {
                        // a commit of its own (the one before is written), which H2 then fails to write
                        assertThatThrownBy(() -> {
                            jdbc.execute("CREATE TABLE never_written (id INT)");
                            jdbc.execute("CHECKPOINT");
                        }).hasStackTraceContaining("No space left on device");
                    }
                    rest = new ByteArrayInputStream(bytes, part, bytes.length - part);
                }
                return rest.read(b, off, len);
            }
        });
        assertThatThrownBy(() -> engine.ingest(source, "mail.log", in, LogOptions.auto(), new Progress()))
                .hasMessageStartingWith("cannot store mail.log: ")
                .hasMessageContaining("No space left on device")
                .hasMessageEndingWith("(the lines read since the database last wrote its file are not stored; load "
                        + "the file again once it can write: the lines stored already are not added twice)");

        keeper.close(); // the database H2 closed is let go, as the server's pool does; then there is room again
        FullDisk.full = false;
        keeper = h2.getConnection();
        long kept = jdbc.queryForObject("SELECT lines FROM log_file WHERE source_id = ?", Long.class, source);
        assertThat(kept).isPositive().isLessThan(log.lines().count());

        engine.createSource("upload", "mail.log (again)"); // the next write records the failure, with what was kept
        assertThat(jdbc.queryForObject("SELECT state || ': ' || error FROM log_file WHERE source_id = ?",
                String.class, source)).startsWith("failed: cannot store mail.log: ")
                .endsWith("; the database kept its lines 1 to " + kept);

        // loaded again, it adds the rest: as one clean load
        long again = engine.createSource("upload", "mail.log");
        engine.ingest(again, "mail.log", new ByteArrayInputStream(bytes), LogOptions.auto(), new Progress());
        assertThat(Arrays.toString(counts(h2))).as("messages, recipients, attempts")
                .isEqualTo(Arrays.toString(oneShot()));
        keeper.close();
    }

    /**
     * Waits until the engine's correlating and writing threads have stored all they were handed and wait for more:
     * the reading thread, which hands them batches, is the caller, held in its read. Then the batches before the one
     * it holds are committed, whatever the machine's speed, and no transaction writes while H2 writes its file: H2
     * 2.4.240 may write part of a transaction that runs during a CHECKPOINT, so that the file opened again after a
     * failure holds some rows of a batch without its read position (about 1 in 10 tries in a loop of its own). The
     * test waited for the first stored batch only, so that on a slow machine its CHECKPOINT could meet the writer:
     * the likely cause of the load done again 3 attempts short once in CI (not met here, where the writer kept up).
     */
    private static void awaitIdlePipeline() throws InterruptedException {
        for (int i = 0; i < 6000; i++) {
            boolean busy = false;
            for (Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
                String name = t.getKey().getName();
                if ((name.equals("ingest-correlator") || name.equals("ingest-writer")) && !idle(t.getKey(),
                        t.getValue())) {
                    busy = true;
                }
            }
            if (!busy) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the engine's pipeline did not finish its batches in 60 s");
    }

    /** A pool's thread that waits for its next task. */
    private static boolean idle(Thread t, StackTraceElement[] stack) {
        if (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            return false;
        }
        for (StackTraceElement frame : stack) {
            if (frame.getClassName().equals("java.util.concurrent.ThreadPoolExecutor")
                    && frame.getMethodName().equals("getTask")) {
                return true;
            }
        }
        return false;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void anUpdateOfAMessageThatIsNotStoredFailsTheBatchAndTheNextRoundStoresIt(String kind) throws Exception {
        DataSource ds = TestDatabase.pooled(kind);
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
        int half = offsetOfLine((int) log.lines().count() / 2);

        IngestEngine engine = new IngestEngine(ds, RELAYS, 200);
        long source = engine.createSource("tail", dir.toString());
        engine.openFile(source, "mail.log_current", "", 0, null, null);
        tailRound(engine, source, bytes, half);
        // The rows of the messages stored last vanish, as lost commits do; the engine still remembers them.
        String recent = "SELECT id FROM message WHERE last_seen >= (SELECT MAX(last_seen) FROM message) "
                + "- INTERVAL '2' MINUTE";
        assertThat(jdbc.queryForList(recent, Long.class)).isNotEmpty();
        jdbc.update("DELETE FROM attempt WHERE message_ref IN (" + recent + ")");
        jdbc.update("DELETE FROM recipient WHERE message_ref IN (" + recent + ")");
        jdbc.update("DELETE FROM message WHERE id IN (" + recent + ")");
        long stored = engine.files(source).get(0).position();

        // Their next lines would update rows that are not there: that must not pass silently.
        assertThatThrownBy(() -> tailRound(engine, source, bytes, bytes.length))
                .hasMessageContaining("not stored");
        assertThat(engine.files(source).get(0).position()).isLessThan(bytes.length);

        // The next round trusts the database, not its memory: those messages are stored again from their new lines.
        engine.markFile(engine.files(source).get(0).id(), "tailing", null);
        tailRound(engine, source, bytes, bytes.length);
        assertThat(engine.files(source).get(0).position()).isEqualTo(bytes.length);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM message", Long.class)).isPositive();
        assertThat(stored).isEqualTo(half);
    }
}
