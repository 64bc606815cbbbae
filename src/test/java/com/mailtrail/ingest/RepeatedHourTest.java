package com.mailtrail.ingest;

import com.mailtrail.message.MessageDetail;
import com.mailtrail.message.MessageQueries;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hour that repeats when the MTA's clocks go back (25 October 2026 in Europe: 03:00 summer time becomes 02:00
 * winter time): the log's times have no offset, so the second pass of 02:00-02:59 is told from the first by the line
 * order of the file. Times stay as logged; a recipient's entries are ordered, and its gaps and delay counted, as they
 * happened.
 */
class RepeatedHourTest {

    /** The PostgreSQL databases' pools closed and the databases dropped, test by test. */
    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    private static final Set<String> RELAYS = Set.of("conversion");

    /** m1: deferred at 02:59 (first pass), delivered at 02:10 (second pass), 40 minutes later. */
    static final String[] LINES = {
            line("02:30:00.00", "E", 1),
            line("02:31:00.00", "Q", 1),
            line("02:40:00.00", "E", 2),
            line("02:50:00.00", "Q", 2),
            line("02:59:00.00", "Q", 1),
            line("02:59:50.00", "E", 3),
            line("02:59:47.00", "E", 4), // a few seconds back: processes interleaving, not the clocks
            line("02:00:05.00", "E", 5), // the clocks went back an hour: the second pass of 02:00-02:59
            line("02:10:00.00", "D", 1),
            line("02:45:00.00", "Q", 2),
            line("02:59:59.00", "D", 5),
            line("03:05:00.00", "D", 2), // after the repeated hour
    };

    static String line(String time, String action, int n) {
        String channels = action.equals("E") ? "tcp_intranet tcp_local   " : "tcp_local                ";
        String tail = action.equals("Q") ? " TCP active open: Failed connect()    Error: Connection timed out" : "";
        return "25-Oct-2026 " + time + " " + channels + " " + action + " 3 s@sender.example rfc822;u" + n
                + "@a.example u" + n + "@a.example <m" + n + "@test>" + tail + "\n";
    }

    static String text(int from, int to, boolean messageIds) {
        StringBuilder sb = new StringBuilder();
        for (String l : Arrays.copyOfRange(LINES, from, to)) {
            sb.append(messageIds ? l : l.replaceFirst(" <m\\d@test>", ""));
        }
        return sb.toString();
    }

    /** Each recipient: status, delay, and its outcomes in the order shown, with the gap before each. */
    static Map<String, String> recipients(DataSource ds) {
        MessageQueries queries = new MessageQueries(JdbcClient.create(ds));
        Map<String, String> out = new TreeMap<>();
        for (Long id : new JdbcTemplate(ds).queryForList("SELECT id FROM message", Long.class)) {
            for (MessageDetail.Recipient r : queries.message(id).recipients()) {
                List<String> attempts = new ArrayList<>();
                for (MessageDetail.Attempt a : r.attempts()) {
                    attempts.add(a.code() + " " + a.time().toLocalTime() + " +" + a.gapSeconds());
                }
                String was = out.put(r.recipient(), r.status() + " delay " + r.delaySeconds() + " " + attempts);
                assertThat(was).as("one recipient %s", r.recipient()).isNull();
            }
        }
        return out;
    }

    static final Map<String, String> EXPECTED = Map.of(
            // 02:30 (summer time) to 02:10 (winter time): 40 minutes
            "u1@a.example", "delivered delay 2400 [Q 02:31 +60.0, Q 02:59 +1680.0, D 02:10 +660.0]",
            // 02:45 of the second pass to 03:05 is 20 minutes; counted 25 s short (see the README)
            "u2@a.example", "delivered delay 5075 [Q 02:50 +600.0, Q 02:45 +3300.0, D 03:05 +1175.0]",
            "u3@a.example", "queued delay null []",
            "u4@a.example", "queued delay null []",
            "u5@a.example", "delivered delay 3594 [D 02:59:59 +3594.0]");

    static IngestEngine engine(DataSource ds, int batch) {
        return new IngestEngine(ds, RELAYS, batch);
    }

    static long load(IngestEngine engine, String name, String text) throws IOException {
        long source = engine.createSource("test", name);
        engine.ingest(source, name, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                LogOptions.auto(), new Progress());
        return source;
    }

    @ParameterizedTest(name = "{0}, batches of {1}, message ids {2}")
    @CsvSource({"h2, 1000, true", "h2, 2, true", "h2, 1000, false", "h2, 3, false",
            "postgres, 1000, true", "postgres, 2, true", "postgres, 1000, false", "postgres, 3, false"})
    void theSecondPassOfTheRepeatedHourComesAfterTheFirst(String database, int batch, boolean messageIds)
            throws IOException {
        DataSource ds = TestDatabase.pooled(database);
        load(engine(ds, batch), "mail.log", text(0, LINES.length, messageIds));
        assertThat(recipients(ds)).isEqualTo(EXPECTED);

        // loaded again, as another source: the same entries, nothing doubled
        long attempts = IngestInvariantsTest.count(ds, "attempt");
        load(engine(ds, batch), "again.log", text(0, LINES.length, messageIds));
        assertThat(recipients(ds)).isEqualTo(EXPECTED);
        assertThat(IngestInvariantsTest.count(ds, "attempt")).isEqualTo(attempts);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void aFileThatEndsInTheFirstPassIsCompletedByOneThatStartsBeforeIt(String database) throws IOException {
        // the rest of the file, imported on its own later, with the lines it shares with the first import
        DataSource ds = TestDatabase.pooled(database);
        load(engine(ds, 2), "part.log", text(0, 6, true));
        load(engine(ds, 2), "whole.log", text(0, LINES.length, true));
        assertThat(recipients(ds)).isEqualTo(EXPECTED);
    }

    @ParameterizedTest(name = "{0}, restarted before line {1}")
    @CsvSource({"h2, 8", "h2, 9", "h2, 11", "postgres, 8", "postgres, 9", "postgres, 11"})
    void aFollowedFileReadOnAfterARestartKnowsTheClocksWentBack(String database, int restartAt) throws IOException {
        DataSource ds = TestDatabase.pooled(database);
        byte[] bytes = text(0, LINES.length, true).getBytes(StandardCharsets.UTF_8);
        int cut = text(0, restartAt - 1, true).getBytes(StandardCharsets.UTF_8).length;
        IngestEngine first = engine(ds, 2);
        long source = first.createSource("directory", "/var/log/imta");
        first.openFile(source, "mail.log_current", "fp", 0, 1L, 1L);
        tailRound(first, source, bytes, cut);
        // a new engine, as after a restart: what it knows of the file is what is stored
        tailRound(engine(ds, 2), source, bytes, bytes.length);
        assertThat(recipients(ds)).isEqualTo(EXPECTED);
    }

    private static void tailRound(IngestEngine engine, long source, byte[] bytes, int end) throws IOException {
        IngestEngine.FileState state = engine.files(source).get(0);
        engine.resume(state, "mail.log_current", new ByteArrayInputStream(bytes, (int) state.position(),
                end - (int) state.position()), LogOptions.auto(), Arrays.copyOf(bytes, end), (long) end, "tailing",
                new Progress());
    }

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"h2, whole", "h2, stopped", "postgres, whole", "postgres, stopped"})
    void aRebuildGivesTheSameResult(String database, String how) throws IOException {
        DataSource ds = TestDatabase.pooled(database);
        long other = load(engine(ds, 2), "other.log", line("01:00:00.00", "E", 9));
        load(engine(ds, 2), "mail.log", text(0, LINES.length, true));
        if (how.equals("whole")) {
            engine(ds, 2).removeSources(List.of(other));
        } else {
            // stopped at the sixth batch of one entry read again (the reading is a batch or two ahead, near the
            // step back), then finished by a new engine from the state stored with the lines read again
            IngestEngine[] stopping = new IngestEngine[1];
            stopping[0] = engine(CrashingDataSource.atBatch(ds, 6, () -> stopping[0].stopReads()), 1);
            try {
                stopping[0].removeSources(List.of(other));
            } catch (IngestException.Stopped expected) {
                // goes on at the next start
            }
            IngestEngine restarted = engine(ds, 2);
            assertThat(new JdbcTemplate(ds).queryForObject("SELECT MAX(replayed) FROM log_file", Long.class))
                    .isBetween(1L, (long) LINES.length - 1);
            restarted.finishRebuild();
        }
        assertThat(recipients(ds)).isEqualTo(EXPECTED);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void timesAFewSecondsOrMinutesBackChangeNothing(String database) throws IOException {
        DataSource ds = TestDatabase.pooled(database);
        load(engine(ds, 2), "mail.log", line("10:00:00.00", "E", 1) + line("10:30:05.00", "Q", 1)
                + line("10:30:03.00", "E", 2) + line("10:15:00.00", "E", 3) + line("10:31:00.00", "D", 2)
                + line("11:00:00.00", "D", 1));
        assertThat(recipients(ds)).isEqualTo(Map.of(
                "u1@a.example", "delivered delay 3600 [Q 10:30:05 +1805.0, D 11:00 +1795.0]",
                "u2@a.example", "delivered delay 57 [D 10:31 +57.0]",
                "u3@a.example", "queued delay null []"));
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM attempt WHERE order_shift IS NOT NULL", Long.class))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM recipient WHERE enqueue_shift IS NOT NULL "
                + "OR last_shift IS NOT NULL", Long.class)).isZero();
    }
}
