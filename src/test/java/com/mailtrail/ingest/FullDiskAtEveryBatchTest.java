package com.mailtrail.ingest;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.parse.LogOptions;
import com.mailtrail.store.FullDisk;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An upload whose rows H2 could not write (the disk filled while it was read) fails and says so on its file's row, and
 * loading the file again then gives what one clean load gives, recipient by recipient and attempt by attempt:
 * whichever commit of the load the disk filled at, with the batch size of the tests and an odd one. The disk fills at
 * a chosen commit, not at a moment, so that every cut is tried and a failure names its cut (LostCommitsTest's
 * whole-file test met only the cut its timing gave, and failed now and then).
 */
class FullDiskAtEveryBatchTest {

    private static final Set<String> RELAYS = Set.of("conversion", "reprocess", "process");
    private static byte[] log;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() throws IOException {
        StringWriter w = new StringWriter();
        new LogGenerator(GeneratorConfig.of(500, 7)).generate(w, null);
        log = w.toString().getBytes(StandardCharsets.UTF_8);
    }

    @AfterEach
    void roomAgain() {
        FullDisk.full = false;
    }

    /**
     * The H2 file of {@code name}, behind a data source whose disk fills at its {@code cut}-th commit (counted from
     * {@link #count}): H2 writes what it holds, then its writes fail, so that what comes after stays in its memory.
     * That is right after the commit, or ({@code beforeCommit}) just before it, with the transaction's rows written
     * but not committed. With {@code failedWrite} above zero, H2 tries to write once more (and fails) that many commits
     * later, in the middle of the load, as its background writer does on its own: the next statement or commit of any
     * session is then handed the failure.
     */
    private final class FillingDisk {
        final JdbcDataSource h2 = new JdbcDataSource();
        final AtomicInteger commits = new AtomicInteger(Integer.MIN_VALUE);
        final int cut;
        final int failedWrite;
        final boolean beforeCommit;
        final DataSource dataSource;
        // Each state the file's row had at a commit, with its lines: "done" must come with all of them.
        final Set<String> fileStates = ConcurrentHashMap.newKeySet();
        boolean watchFile;

        FillingDisk(String name, int cut, int failedWrite, boolean beforeCommit) {
            FullDisk.register();
            // H2 writes commits at CHECKPOINT (and when its buffer fills) only, not within a second: where the disk
            // fills decides alone what the file keeps.
            h2.setURL("jdbc:h2:fulldisk:" + dir.resolve(name) + ";WRITE_DELAY=3600000");
            h2.setUser("sa");
            this.cut = cut;
            this.failedWrite = failedWrite;
            this.beforeCommit = beforeCommit;
            this.dataSource = (DataSource) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[]{DataSource.class}, (proxy, method, args) -> {
                        Object out = invoke(h2, method, args);
                        return out instanceof Connection c ? counting(c) : out;
                    });
        }

        void count() {
            commits.set(0);
        }

        private Connection counting(Connection c) {
            return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{Connection.class},
                    (proxy, method, args) -> {
                        boolean commit = method.getName().equals("commit");
                        if (commit && beforeCommit && commits.get() + 1 == cut) {
                            fill();
                        } else if (commit && beforeCommit && failedWrite > 0
                                && commits.get() + 1 == cut + failedWrite) {
                            failToWrite();
                        }
                        Object out = invoke(c, method, args);
                        if (commit) {
                            committed(commits.incrementAndGet());
                        }
                        return out;
                    });
        }

        private void committed(int n) throws SQLException {
            if (watchFile) {
                fileStates.addAll(new JdbcTemplate(h2).queryForList("SELECT state || ' ' || lines FROM log_file",
                        String.class));
            }
            if (!beforeCommit && n == cut) {
                fill();
            } else if (!beforeCommit && failedWrite > 0 && n == cut + failedWrite) {
                failToWrite();
            }
        }

        /** H2 writes what it holds (with the rows of a transaction not committed yet), then the disk is full. */
        private void fill() throws SQLException {
            try (Connection c = h2.getConnection(); Statement st = c.createStatement()) {
                st.execute("CHECKPOINT");
            }
            FullDisk.full = true;
        }

        private void failToWrite() {
            try (Connection c = h2.getConnection(); Statement st = c.createStatement()) {
                st.execute("CHECKPOINT");
            } catch (SQLException refused) {
                // what H2's background writer meets on the full disk
            }
        }
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static IngestEngine.FileResult load(IngestEngine engine, String name) throws IOException {
        return engine.ingest(engine.createSource("upload", name), name, new ByteArrayInputStream(log),
                LogOptions.auto(), new Progress());
    }

    /**
     * Every recipient with its message, status, counts and times, and every attempt row with its recipient, in one
     * sorted list: what a load gives, apart from the ids and the file each fact was read from.
     */
    static List<String> contents(DataSource ds) {
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        List<String> rows = new ArrayList<>(jdbc.queryForList("SELECT 'message ' || m.message_key || ' ' || m.status "
                + "|| ' ' || m.recipients || ' ' || m.first_seen || ' ' || m.last_seen FROM message m", String.class));
        rows.addAll(jdbc.queryForList("SELECT 'recipient ' || m.message_key || ' ' || r.recipient || ' ' "
                + "|| r.original_recipient || ' ' || r.status || ' attempts ' || r.attempts || ' deferrals ' "
                + "|| r.deferrals || ' ' || COALESCE(CAST(r.enqueued AS VARCHAR), '-') || ' ' "
                + "|| COALESCE(CAST(r.last_time AS VARCHAR), '-') || ' ' || COALESCE(r.last_code, '-') "
                + "FROM recipient r JOIN message m ON m.id = r.message_ref", String.class));
        rows.addAll(jdbc.queryForList("SELECT 'attempt ' || m.message_key || ' ' || r.recipient || ' ' || a.time "
                + "|| ' ' || a.code || ' ' || COALESCE(a.channel, '-') || ' ' || COALESCE(a.queue_file, '-') "
                + "FROM attempt a JOIN recipient r ON r.id = a.recipient_ref JOIN message m ON m.id = a.message_ref",
                String.class));
        rows.sort(null);
        return rows;
    }

    @ParameterizedTest(name = "batches of {0} entries; H2 fails to write again {1} commits later (0: not); before the commit: {2}")
    @CsvSource({"200, 0, false", "137, 0, false", "200, 0, true", "137, 0, true", "200, 2, false", "137, 1, true"})
    void aLoadCutAtAnyCommitByAFullDiskFailsAndLoadedAgainGivesWhatOneCleanLoadGives(int batch, int failedWrite,
                                                                                     boolean beforeCommit)
            throws Exception {
        FillingDisk clean = new FillingDisk("clean", Integer.MAX_VALUE, 0, false);
        long lines = new String(log, StandardCharsets.UTF_8).lines().count();
        try (Connection keeper = clean.h2.getConnection()) {
            TestDatabase.migrate(clean.h2);
            IngestEngine engine = new IngestEngine(clean.dataSource, RELAYS, batch);
            clean.count();
            clean.watchFile = true;
            assertThat(load(engine, "mail.log").lines()).isEqualTo(lines);
        }
        int loadCommits = clean.commits.get();
        assertThat((long) loadCommits).as("commits of one load").isGreaterThan(lines / batch);
        assertThat(clean.fileStates).as("what the file's row said at each commit, with its lines")
                .filteredOn(state -> state.startsWith("done")).containsExactly("done " + lines);
        List<String> expected = contents(clean.h2);
        FillingDisk empty = new FillingDisk("empty", 0, 0, false);
        TestDatabase.migrate(empty.h2); // closed after it: each cut starts from a copy of its file

        List<String> failures = new ArrayList<>();
        for (int cut = 1; cut < loadCommits; cut++) {
            String failure = cutAt(cut, batch, failedWrite, beforeCommit, expected);
            if (failure != null) {
                failures.add("disk full after commit " + cut + " of " + loadCommits + ": " + failure);
            }
        }
        assertThat(failures).isEmpty();
    }

    /** Loads the file onto a disk that fills after the {@code cut}-th commit, then again: null, or what went wrong. */
    private String cutAt(int cut, int batch, int failedWrite, boolean beforeCommit, List<String> expected)
            throws Exception {
        FillingDisk disk = new FillingDisk("cut" + cut, cut, failedWrite, beforeCommit);
        Files.copy(dir.resolve("empty.mv.db"), dir.resolve("cut" + cut + ".mv.db"));
        Connection keeper = disk.h2.getConnection(); // keeps the database open between the engine's sessions
        try {
            IngestEngine engine = new IngestEngine(disk.dataSource, RELAYS, batch);
            disk.count();
            long source = engine.createSource("upload", "mail.log");
            try {
                engine.ingest(source, "mail.log", new ByteArrayInputStream(log), LogOptions.auto(), new Progress());
                return "the load said done";
            } catch (RuntimeException | IOException e) {
                if (!String.valueOf(e.getMessage()).startsWith("cannot ")
                        || !String.valueOf(e.getMessage()).contains("No space left on device")) {
                    StringWriter trace = new StringWriter();
                    e.printStackTrace(new PrintWriter(trace));
                    return "the load failed for another reason: " + trace;
                }
            }
            keeper.close(); // the database H2 closed is let go, as the server's pool does; then there is room again
            FullDisk.full = false;
            keeper = disk.h2.getConnection();

            JdbcTemplate jdbc = new JdbcTemplate(disk.h2);
            Long kept = jdbc.queryForObject("SELECT MAX(lines) FROM log_file", Long.class);
            engine.createSource("upload", "mail.log (again)"); // the next write records the failure
            String file = jdbc.queryForObject("SELECT MAX(state || ': ' || COALESCE(error, '')) FROM log_file",
                    String.class);
            String keptLines = kept == null || kept == 0 ? "none of its lines" : "its lines 1 to " + kept;
            // Failed, in the full disk's words; when the rows were lost after they were committed (the failure came
            // at the file's end), with how much of the file the database kept.
            String problem = null;
            if (kept != null && (!file.startsWith("failed: cannot ") || !file.contains("No space left on device")
                    || file.contains("load the file again once it can write")
                    && !file.endsWith("; the database kept " + keptLines))) {
                problem = "the file's row says " + file + " with " + kept + " lines kept";
            }

            load(engine, "mail.log");
            List<String> got = contents(disk.h2);
            if (!got.equals(expected)) {
                List<String> missing = new ArrayList<>(expected);
                got.forEach(missing::remove);
                List<String> extra = new ArrayList<>(got);
                expected.forEach(extra::remove);
                problem = (problem == null ? "" : problem + "; ") + "loaded again, missing " + missing + ", extra "
                        + extra;
            }
            return problem;
        } finally {
            try {
                keeper.close();
            } catch (SQLException closed) {
                // H2 closed the database itself after a failed write: nothing is left to let go, and what went
                // wrong is what this returned (a failure here used to hide it)
            }
        }
    }
}
