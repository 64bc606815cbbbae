package com.mailtrail.ingest;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.parse.LogOptions;
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
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

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

    /** Reads the file as the tailer does: from the stored position up to {@code end} bytes of it. */
    private static IngestEngine.FileResult tailRound(IngestEngine engine, long source, byte[] bytes, int end)
            throws IOException {
        IngestEngine.FileState state = engine.files(source).get(0);
        return engine.resume(state, "mail.log_current", new ByteArrayInputStream(bytes, (int) state.position(),
                end - (int) state.position()), LogOptions.auto(), (long) end, "tailing", new Progress());
    }

    @Test
    void commitsLostWhenH2ClosesOnAFullDiskAreReadAgainWhole() throws Exception {
        FullDisk.register();
        JdbcDataSource h2 = new JdbcDataSource();
        // H2 writes what was committed at CHECKPOINT only (and when its buffer fills), not within a second: the
        // commits since its last write are then certainly in memory alone when the disk fills, as some always are.
        h2.setURL("jdbc:h2:fulldisk:" + dir.resolve("mailtrail") + ";WRITE_DELAY=3600000");
        h2.setUser("sa");
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

        FullDisk.full = true;
        assertThatThrownBy(() -> jdbc.execute("CHECKPOINT")).hasStackTraceContaining("No space left on device");
        assertThatThrownBy(() -> engine.files(source)).hasMessageContaining("The database has been closed");
        keeper.close(); // what the server's pool does with its sessions of the closed database (ClosedDatabaseEviction)
        FullDisk.full = false; // room again; the next session opens the file again
        keeper = h2.getConnection();

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

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void anUpdateOfAMessageThatIsNotStoredFailsTheBatchAndTheNextRoundStoresIt(String kind) throws Exception {
        DataSource ds = TestDatabase.of(kind);
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
