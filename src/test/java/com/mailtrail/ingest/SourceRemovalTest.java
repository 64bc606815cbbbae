package com.mailtrail.ingest;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Removing a log source leaves the database as if the files that stay had been loaded alone, in the order they came:
 * whatever messages the removed lines shared with them, whatever lines of theirs the removed files had brought first.
 */
class SourceRemovalTest {

    /** The PostgreSQL databases' pools closed and the databases dropped, test by test. */
    @org.junit.jupiter.api.AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    private static String day1;
    private static String yesterdayAndToday;
    private static String otherHost;

    @BeforeAll
    static void generate() throws IOException {
        StringWriter w = new StringWriter();
        new LogGenerator(GeneratorConfig.of(600, 21)).generate(w, null);
        List<String> lines = w.toString().lines().toList();
        int cut = lines.size() / 2;
        day1 = String.join("\n", lines.subList(0, cut)) + "\n";
        // mail.log as the nightly job leaves it: the last third of the day before, then the new day
        yesterdayAndToday = String.join("\n", lines.subList(cut * 2 / 3, lines.size())) + "\n";
        StringWriter other = new StringWriter();
        new LogGenerator(GeneratorConfig.of(150, 22)).generate(other, null);
        otherHost = other + "this line is not a log entry\n";
    }

    private static IngestEngine engine(DataSource ds) {
        // Small batches: every batch seals a block of text, and a file read again then spans many fetches of blocks.
        return new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 40);
    }

    private static long load(IngestEngine engine, String name, String text) throws IOException {
        long source = engine.createSource("upload", name);
        engine.ingest(source, name, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                LogOptions.auto(), new Progress());
        engine.finishSource(source, null);
        return source;
    }

    /** Everything the pages and charts show, in comparable form (ids and file ids aside). */
    private static Map<String, Object> everything(DataSource ds) {
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("recipients", IngestInvariantsTest.snapshot(ds));
        for (String table : Rebuild.DERIVED) {
            if (!table.equals("search_bucket")) { // which buckets of ids are in use: the ids go on growing
                out.put(table, IngestInvariantsTest.count(ds, table));
            }
        }
        out.put("messages", jdbc.queryForList("SELECT message_key, sender, status, recipients, first_seen, last_seen "
                + "FROM message ORDER BY message_key"));
        out.put("attempts", jdbc.queryForList("SELECT time, code, recipient, diagnostic, line FROM attempt "
                + "ORDER BY time, code, recipient, line"));
        out.put("connection hours", jdbc.queryForList("SELECT bucket, channel, inbound, remote_ip, opens, closes "
                + "FROM connection_hour ORDER BY bucket, channel, inbound, remote_ip"));
        out.put("rollups", jdbc.queryForList("SELECT bucket, channel, domain, outcome, category, events "
                + "FROM rollup_hour ORDER BY bucket, channel, domain, outcome, category"));
        out.put("recipient rollups", jdbc.queryForList("SELECT * FROM rollup_recipient_hour ORDER BY 1, 2, 3, 4"));
        out.put("rejected", jdbc.queryForList("SELECT line, reason, text FROM rejected_line ORDER BY line"));
        out.put("files", jdbc.queryForList("SELECT name, lines, entries, rejected, duplicates, state FROM log_file "
                + "ORDER BY id"));
        return out;
    }

    private static void assertSame(Map<String, Object> actual, Map<String, Object> expected) {
        assertThat(actual.keySet()).isEqualTo(expected.keySet());
        for (String key : expected.keySet()) {
            assertThat(actual.get(key)).as(key).isEqualTo(expected.get(key));
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void removingASourceLeavesWhatTheOthersMakeAlone(String database) throws IOException {
        DataSource reference = TestDatabase.pooled(database);
        IngestEngine alone = engine(reference);
        load(alone, "mail.log", yesterdayAndToday);
        load(alone, "other-host.log", otherHost);

        DataSource ds = TestDatabase.pooled(database);
        IngestEngine engine = engine(ds);
        long yesterday = load(engine, "mail.log_yesterday", day1);
        load(engine, "mail.log", yesterdayAndToday); // its first part came with mail.log_yesterday: duplicates
        load(engine, "other-host.log", otherHost);
        assertThat(new JdbcTemplate(ds).queryForObject("SELECT duplicates FROM log_file WHERE name = 'mail.log'",
                Long.class)).isPositive();
        assertThat(new JdbcTemplate(ds).queryForObject("SELECT COUNT(*) FROM raw_block b JOIN log_file f "
                + "ON f.id = b.file_id WHERE f.name = 'mail.log'", Long.class))
                .as("blocks of text, more than one fetch of them").isGreaterThan(64);

        String lastRead = "SELECT name, position, lines, size, state, updated FROM log_file ORDER BY id";
        List<Map<String, Object>> filesBefore = new JdbcTemplate(ds).queryForList(lastRead);
        engine.removeSources(List.of(yesterday));

        assertThat(engine.rebuildPending()).isFalse();
        // what the files are as files (their read position, when they were last read) is not the rebuild's to change
        assertThat(new JdbcTemplate(ds).queryForList(lastRead)).isEqualTo(filesBefore.subList(1, 3));
        assertSame(everything(ds), everything(reference));
        assertThat(IngestInvariantsTest.count(ds, "log_source")).isEqualTo(2);
        assertThat(new JdbcTemplate(ds).queryForObject("SELECT COUNT(*) FROM log_file WHERE replayed IS NOT NULL",
                Long.class)).isZero();

        // and the engine goes on as before: a file loaded again adds nothing
        IngestEngine.FileResult again = engine.ingest(engine.createSource("upload", "again"), "mail.log",
                new ByteArrayInputStream(yesterdayAndToday.getBytes(StandardCharsets.UTF_8)), LogOptions.auto(),
                new Progress());
        assertThat(again.entries()).isZero();
    }

    /**
     * The stored text of a line cut at 64 KiB is exactly 64 KiB long, not over: a rebuild reading it again keeps the
     * count the file's own read made, rather than finding no line cut.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void aRebuildKeepsTheLinesAFileStoredCut(String database) throws IOException {
        DataSource ds = TestDatabase.pooled(database);
        IngestEngine engine = engine(ds);
        List<String> lines = new java.util.ArrayList<>(otherHost.lines().toList());
        lines.add(4, "20-Nov-2026 00:03:30.31 38ee.b.0 tcp_local    +            O TCP|192.0.2.25|25|203.0.113.29|55802 "
                + "SMTP " + "x".repeat(70_000));
        load(engine, "long.log", String.join("\n", lines) + "\n");
        long removed = load(engine, "mail.log_yesterday", day1);
        String cut = "SELECT cut || ' ' || cut_lines FROM log_file WHERE name = 'long.log'";
        assertThat(new JdbcTemplate(ds).queryForObject(cut, String.class)).isEqualTo("1 5");

        engine.removeSources(List.of(removed));

        assertThat(engine.rebuildPending()).isFalse();
        assertThat(new JdbcTemplate(ds).queryForObject(cut, String.class)).isEqualTo("1 5");
    }

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"h2, fails", "h2, stops", "postgres, fails", "postgres, stops"})
    void aRebuildThatFailsOrIsStoppedGoesOnFromWhereItStoppedAtTheNextStart(String database, String how)
            throws IOException {
        DataSource reference = TestDatabase.pooled(database);
        IngestEngine alone = engine(reference);
        load(alone, "mail.log_yesterday", day1);
        load(alone, "mail.log", yesterdayAndToday);

        DataSource ds = TestDatabase.pooled(database);
        IngestEngine engine = engine(ds);
        load(engine, "mail.log_yesterday", day1);
        long other = load(engine, "other-host.log", otherHost);
        load(engine, "mail.log", yesterdayAndToday);

        // The fifth batch read again fails at its commit, or Mailtrail is stopped then: the rebuild stops half way,
        // with four or more batches stored.
        IngestEngine failing;
        if (how.equals("fails")) {
            failing = engine(CrashingDataSource.failingBatch(ds, 5));
            assertThatThrownBy(() -> failing.removeSources(List.of(other)))
                    .isInstanceOf(IngestException.class)
                    .hasMessageStartingWith("the database is being rebuilt after a log source was removed, and the "
                            + "rebuild failed");
        } else {
            IngestEngine[] stopping = new IngestEngine[1];
            failing = engine(CrashingDataSource.atBatch(ds, 5, () -> stopping[0].stopReads()));
            stopping[0] = failing;
            assertThatThrownBy(() -> failing.removeSources(List.of(other)))
                    .isInstanceOf(IngestException.Stopped.class)
                    .hasMessage("the rebuild after removing a log source stopped with Mailtrail; it goes on from where "
                            + "it stopped at the next start");
        }
        assertThat(failing.rebuildPending()).isTrue();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        assertThat(jdbc.queryForObject("SELECT SUM(replayed) FROM log_file", Long.class)).isPositive();

        IngestEngine restarted = engine(ds);
        assertThat(restarted.rebuildPending()).isTrue();
        restarted.finishRebuild();
        assertThat(restarted.rebuildPending()).isFalse();
        assertSame(everything(ds), everything(reference));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void removingTheOnlySourceEmptiesEverythingAtOnce(String database) throws IOException {
        DataSource ds = TestDatabase.pooled(database);
        IngestEngine engine = engine(ds);
        long only = load(engine, "mail.log", otherHost);
        assertThat(IngestInvariantsTest.count(ds, "message")).isPositive();

        // The rows made of lines go in the source's own transaction: no file is left to mark as to be read again.
        engine.removeSources(List.of(only));
        for (String table : Rebuild.DERIVED) {
            assertThat(IngestInvariantsTest.count(ds, table)).as(table).isZero();
        }
        for (String table : List.of("raw_block", "log_file", "log_source")) {
            assertThat(IngestInvariantsTest.count(ds, table)).as(table).isZero();
        }
        assertThat(engine(ds).rebuildPending()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void anUnknownSourceIsRefusedAndNothingChanges(String database) throws IOException {
        DataSource ds = TestDatabase.pooled(database);
        IngestEngine engine = engine(ds);
        load(engine, "mail.log", yesterdayAndToday);
        Map<String, Object> before = everything(ds);

        assertThatThrownBy(() -> engine.removeSources(List.of(424242L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("there is no log source 424242");
        assertThat(engine.rebuildPending()).isFalse();
        assertSame(everything(ds), before);
    }
}
