package com.mailtrail.ingest;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention keeps the last days of log time: two generated days four days apart and a message deferred across the
 * gap; keeping two days removes the first day but not the deferred message, nor any line or count it is made of.
 */
class RetentionTest {

    /** The PostgreSQL databases' pools closed and the databases dropped, test by test. */
    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    private static final String STRADDLE = """
            02-Mar-2026 10:00:00.00 tcp_intranet tcp_local    E 3 adam@hosta.sesta.com rfc822;user@some.org \
            user@some.org imta/queue/tcp_local/ZZ01STRADDLE.00 <straddle@sesta.com>
            02-Mar-2026 10:30:00.00 tcp_local                 Q 3 adam@hosta.sesta.com rfc822;user@some.org \
            user@some.org imta/queue/tcp_local/ZZ01STRADDLE.00 <straddle@sesta.com> TCP active open: Failed \
            connect()    Error: no route to host
            06-Mar-2026 09:00:00.00 tcp_local                 D 3 adam@hosta.sesta.com rfc822;user@some.org \
            user@some.org imta/queue/tcp_local/ZZ01STRADDLE.00 <straddle@sesta.com> dns;host.some.org \
            (TCP|206.184.139.12|2788|192.1.1.1|25) (All set, fire away) smtp; 250 Ok
            """;

    private static String day(LocalDate day, long seed) throws IOException {
        StringWriter w = new StringWriter();
        new LogGenerator(new GeneratorConfig(150, seed, null, 1, day)).generate(w, null);
        return w.toString();
    }

    private static IngestEngine engine(DataSource ds) {
        return new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 500);
    }

    private static void load(IngestEngine engine, String name, String text) throws IOException {
        engine.ingest(engine.createSource("test", name), name,
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), LogOptions.auto(), new Progress());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void keepsTheLastDaysAndEveryLineOfAMessageThatReachesIntoThem(String database) throws IOException {
        String first = day(LocalDate.of(2026, 3, 2), 21);
        String last = day(LocalDate.of(2026, 3, 6), 22);
        DataSource reference = TestDatabase.pooled(database);
        IngestEngine referenceEngine = engine(reference);
        load(referenceEngine, "straddle.log", STRADDLE);
        load(referenceEngine, "mail.log_current", last);

        DataSource ds = TestDatabase.pooled(database);
        IngestEngine engine = engine(ds);
        load(engine, "mail.log_yesterday", first);
        load(engine, "straddle.log", STRADDLE);
        load(engine, "mail.log_current", last);
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        String purgedKey = jdbc.queryForObject("SELECT MIN(message_key) FROM message WHERE last_seen < ?",
                String.class, LocalDateTime.of(2026, 3, 3, 0, 0));
        long messagesBefore = IngestInvariantsTest.count(ds, "message");
        long oldConnections = jdbc.queryForObject("SELECT COUNT(*) FROM connection WHERE time < ?", Long.class,
                LocalDateTime.of(2026, 3, 2, 10, 0));
        long connections = IngestInvariantsTest.count(ds, "connection");

        Retention retention = new Retention(engine, new RetentionProperties(2, Duration.ofHours(1)), () -> { });
        Retention.Run run = retention.runOnce();

        assertThat(run.error()).isNull();
        LocalDateTime newest = jdbc.queryForObject("SELECT MAX(first_seen) FROM message", LocalDateTime.class);
        assertThat(run.newest()).isEqualTo(newest);
        Purge.Result removed = run.removed();
        assertThat(removed.cutoff()).isEqualTo(newest.minusDays(2));
        // the deferred message began before the cutoff: its lines and counts from then on stay
        assertThat(removed.keptFrom()).isEqualTo(LocalDateTime.of(2026, 3, 2, 10, 0));
        assertThat(removed.messages()).isEqualTo(messagesBefore - IngestInvariantsTest.count(reference, "message"));
        assertThat(IngestInvariantsTest.snapshot(ds)).isEqualTo(IngestInvariantsTest.snapshot(reference));
        assertThat(IngestInvariantsTest.count(ds, "attempt")).isEqualTo(IngestInvariantsTest.count(reference, "attempt"));
        assertThat(removed.rawBlocks()).isPositive();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM raw_block WHERE last_time < ?", Long.class,
                removed.keptFrom())).isZero();
        assertThat(jdbc.queryForObject("SELECT SUM(b.line_count) FROM raw_block b JOIN log_file f ON f.id = b.file_id "
                + "WHERE f.name = 'straddle.log'", Long.class)).isEqualTo(3);
        assertThat(removed.connections()).isEqualTo(oldConnections);
        assertThat(IngestInvariantsTest.count(ds, "connection")).isEqualTo(connections - oldConnections);
        for (String table : List.of("rollup_hour", "rollup_recipient_hour", "connection_hour")) {
            assertThat(jdbc.queryForObject("SELECT MIN(bucket) FROM " + table, LocalDateTime.class))
                    .as(table).isEqualTo(LocalDateTime.of(2026, 3, 2, 10, 0));
        }
        // the charts' counts of what is kept are untouched: the last day's are as in the reference
        assertThat(jdbc.queryForObject("SELECT SUM(recipients) FROM rollup_recipient_hour WHERE bucket >= ?",
                Long.class, LocalDateTime.of(2026, 3, 6, 0, 0)))
                .isEqualTo(new JdbcTemplate(reference).queryForObject("SELECT SUM(recipients) FROM "
                        + "rollup_recipient_hour WHERE bucket >= ?", Long.class, LocalDateTime.of(2026, 3, 6, 0, 0)));

        Retention.Run again = retention.runOnce();
        assertThat(again.removed().messages() + again.removed().rawBlocks() + again.removed().connections()
                + again.removed().hourlyCounts()).isZero();

        // The writer forgot what it had cached: a line of a removed message makes it anew, and the kept message
        // takes a new recipient as a stored one.
        String late = STRADDLE.lines().findFirst().orElseThrow().replace("user@some.org", "other@some.org")
                .replace("02-Mar-2026 10:00", "06-Mar-2026 10:00") + "\n"
                + STRADDLE.lines().findFirst().orElseThrow().replace("<straddle@sesta.com>", purgedKey)
                .replace("02-Mar-2026", "06-Mar-2026") + "\n";
        load(engine, "late.log", late);
        assertThat(jdbc.queryForObject("SELECT recipients FROM message WHERE message_key = '<straddle@sesta.com>'",
                Integer.class)).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM message WHERE message_key = ?", Long.class, purgedKey))
                .isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void anEmptyDatabaseHasNothingToRemove(String database) {
        Retention.Run run = new Retention(engine(TestDatabase.pooled(database)),
                new RetentionProperties(30, Duration.ofHours(1)), () -> { }).runOnce();
        assertThat(run.error()).isNull();
        assertThat(run.newest()).isNull();
        assertThat(run.removed()).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void aMessageDatedInTheFutureDoesNotMakeEverythingElseOld(String database) throws IOException {
        // One line from an MTA with a wrong clock, or garbled by a damaged gzip: 2099. Counted from it, the days
        // kept would have removed every other message.
        String future = STRADDLE.lines().findFirst().orElseThrow().replace("02-Mar-2026", "01-Jan-2099")
                .replace("<straddle@sesta.com>", "<future@sesta.com>") + "\n";
        DataSource ds = TestDatabase.pooled(database);
        IngestEngine engine = engine(ds);
        load(engine, "mail.log_current", day(LocalDate.of(2026, 3, 6), 22));
        load(engine, "future.log", future);
        long messages = IngestInvariantsTest.count(ds, "message");

        Retention.Run run = new Retention(engine, new RetentionProperties(2, Duration.ofHours(1)), () -> { })
                .runOnce();

        assertThat(run.error()).isNull();
        assertThat(run.newest()).isBefore(LocalDateTime.of(2026, 3, 7, 0, 0));
        assertThat(run.removed().messages()).isZero();
        assertThat(IngestInvariantsTest.count(ds, "message")).isEqualTo(messages);
    }
}
