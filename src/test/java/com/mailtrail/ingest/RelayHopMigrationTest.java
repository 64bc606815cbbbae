package com.mailtrail.ingest;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.parse.LogOptions;
import com.mailtrail.store.SqlTimes;
import db.migration.V12__relay_hops_are_not_attempts;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database written before V12 counted a relay channel's D that handed a recipient on as one of its attempts: V12
 * gives its recipients and hourly counts what the write path now makes from the same log, the cap at 10 included.
 */
class RelayHopMigrationTest {

    /** The PostgreSQL databases' pools closed and the databases dropped, test by test. */
    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }


    /** @param page 0: by Flyway; else V12 called with pages of that many messages (a recipient never spans two) */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"h2, 0", "postgres, 0", "h2, 7", "postgres, 7"})
    void storedAttemptsAndCountsBecomeThoseOfTheWritePath(String database, int page) throws SQLException {
        DataSource ds = TestDatabase.empty(database);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("11").load().migrate();
        HandOffColumns.add(ds); // this version writes them; gone again before the migrations run
        RemoteSystemTable.add(ds);
        ClientSystemColumns.add(ds);
        StringWriter generated = new StringWriter();
        try {
            new LogGenerator(GeneratorConfig.of(1500, 11)).generate(generated, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);
        ingest(engine, "day.log", generated.toString());
        ingest(engine, "relay.log", relayLog());
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        Map<Long, Integer> attempts = attempts(jdbc);
        Map<String, Long> counts = counts(jdbc);
        // what the rows say is what the write path counted (the old way below is then written from rows alike)
        assertThat(fromRows(jdbc)).isEqualTo(counts);
        assertThat(attempts).containsEntry(recipient(jdbc, "q8"), 9).containsEntry(recipient(jdbc, "q9"), 10)
                .containsEntry(recipient(jdbc, "q10"), 11).containsEntry(recipient(jdbc, "once"), 1);

        // the old way: every outcome an attempt, the relay channel's D too
        int relayed = jdbc.update("UPDATE recipient SET attempts = (SELECT COUNT(*) FROM attempt a "
                + "WHERE a.recipient_ref = recipient.id AND a.outcome <> 'enqueued') "
                + "+ CASE WHEN last_code IS NULL THEN 0 ELSE 1 END WHERE attempts <> (SELECT COUNT(*) FROM attempt a "
                + "WHERE a.recipient_ref = recipient.id AND a.outcome <> 'enqueued') "
                + "+ CASE WHEN last_code IS NULL THEN 0 ELSE 1 END");
        jdbc.update("DELETE FROM rollup_recipient_hour");
        fromRows(jdbc).forEach((k, v) -> {
            String[] p = k.split(" ", -1);
            jdbc.update("INSERT INTO rollup_recipient_hour (bucket, status, outcomes, delay, recipients) "
                    + "VALUES (?, ?, ?, ?, ?)", LocalDateTime.parse(p[0]), p[1], Integer.parseInt(p[2]), p[3], v);
        });
        // the count of a recipient retention removed since: nothing is left to correct it from
        jdbc.update("INSERT INTO rollup_recipient_hour VALUES (?, 'delivered', 2, '<1m', 7)",
                Timestamp.valueOf(LocalDateTime.of(2026, 2, 1, 8, 0)));
        Map<Long, Integer> old = attempts(jdbc);
        assertThat(relayed).isGreaterThan(10);
        assertThat(old).containsEntry(recipient(jdbc, "q8"), 10).containsEntry(recipient(jdbc, "q9"), 11)
                .containsEntry(recipient(jdbc, "q10"), 12).containsEntry(recipient(jdbc, "once"), 2);
        assertThat(counts(jdbc)).isNotEqualTo(counts);

        HandOffColumns.drop(ds);
        RemoteSystemTable.drop(ds);
        ClientSystemColumns.drop(ds);
        if (page == 0) {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        } else {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                assertThat(V12__relay_hops_are_not_attempts.correct(c, page)).isEqualTo(relayed);
                c.commit();
            }
        }

        assertThat(attempts(jdbc)).isEqualTo(attempts);
        Map<String, Long> expected = new TreeMap<>(counts);
        expected.merge("2026-02-01T08:00 delivered 2 <1m", 7L, Long::sum);
        assertThat(counts(jdbc)).isEqualTo(expected);
    }

    /**
     * Recipients through conversion: delivered at once, and after 8, 9 and 10 deferrals on ims-ms (9, 10 and 11
     * attempts now; 10, 11 and 12 before: the first moves from the 10+ bucket to 9, the others stay in it).
     */
    private static String relayLog() {
        StringBuilder log = new StringBuilder();
        int minute = 0;
        for (String name : new String[]{"once", "q8", "q9", "q10"}) {
            int deferrals = name.equals("once") ? 0 : Integer.parseInt(name.substring(1));
            String id = " <" + name + "@siroe.test>";
            String to = " rfc822;" + name + "@sesta.test ";
            log.append(line(minute, "tcp_local    conversion   E", to + name + "@sesta.test", id));
            log.append(line(minute, "conversion   ims-ms       E", to + name + "@ims-ms-daemon", id));
            log.append(line(minute, "conversion                D", to + name + "@sesta.test", id));
            for (int i = 0; i < deferrals; i++) {
                log.append(line(minute + 1 + i, "ims-ms                    Q", to + name + "@ims-ms-daemon",
                        id + " 4.2.1 - Mailbox busy"));
            }
            log.append(line(minute + 1 + deferrals, "ims-ms                    D", to + name + "@ims-ms-daemon", id));
            minute += 15;
        }
        return log.toString();
    }

    private static String line(int minute, String channelsAndAction, String addresses, String rest) {
        return "03-Mar-2026 %02d:%02d:00.00 %s 9 amy@siroe.test%s%s\n".formatted(minute / 60, minute % 60,
                channelsAndAction, addresses, rest);
    }

    private static long recipient(JdbcTemplate jdbc, String name) {
        return jdbc.queryForObject("SELECT id FROM recipient WHERE original_recipient = ?", Long.class,
                name + "@sesta.test");
    }

    private static Map<Long, Integer> attempts(JdbcTemplate jdbc) {
        Map<Long, Integer> out = new TreeMap<>();
        jdbc.query("SELECT id, attempts FROM recipient", rs -> {
            out.put(rs.getLong(1), rs.getInt(2));
        });
        return out;
    }

    /** rollup_recipient_hour as "bucket status outcomes delay" to recipients, counts of zero left out. */
    private static Map<String, Long> counts(JdbcTemplate jdbc) {
        Map<String, Long> out = new TreeMap<>();
        jdbc.query("SELECT bucket, status, outcomes, delay, recipients FROM rollup_recipient_hour "
                + "WHERE recipients <> 0", rs -> {
            out.put(SqlTimes.get(rs, 1) + " " + rs.getString(2) + " " + rs.getInt(3) + " " + rs.getString(4),
                    rs.getLong(5));
        });
        return out;
    }

    /** The same counts made from the recipient rows as Rollups keys them, from their stored attempts. */
    private static Map<String, Long> fromRows(JdbcTemplate jdbc) {
        Map<String, Long> out = new TreeMap<>();
        jdbc.query("SELECT r.status, r.attempts, r.final_time, r.enqueued, m.first_seen, r.delay_seconds "
                + "FROM recipient r JOIN message m ON m.id = r.message_ref", rs -> {
            LocalDateTime at = SqlTimes.get(rs, 3);
            at = at != null ? at : SqlTimes.get(rs, 4) != null ? SqlTimes.get(rs, 4) : SqlTimes.get(rs, 5);
            long delay = rs.getLong(6);
            String bucket = Rollups.delayBucket(rs.wasNull() ? null : delay);
            out.merge(at.truncatedTo(ChronoUnit.HOURS) + " " + rs.getString(1) + " " + Math.min(rs.getInt(2), 10)
                    + " " + bucket, 1L, Long::sum);
        });
        return out;
    }

    /** A text log loaded as one file of a source of its own (the migration tests of V13 and V15 load theirs so too). */
    static void ingest(IngestEngine engine, String name, String log) {
        try {
            engine.ingest(engine.createSource("test", name), name,
                    new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), LogOptions.auto(), new Progress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
