package com.mailtrail.ingest;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.store.SqlTimes;
import db.migration.V13__relay_hand_offs_in_hourly_counts;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database written before V13 counted a relay channel's hand-off as a delivery on that channel in rollup_hour: V13
 * gives it the counts the write path now makes from the same logs.
 */
class RelayHandOffMigrationTest {

    /** The PostgreSQL databases' pools closed and the databases dropped, test by test. */
    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    private static final Set<String> RELAY = Set.of("conversion", "reprocess", "process");

    /** A recipient through conversion, whose conversion D is logged before the enqueue out of it. */
    private static final String RELAY_LOG = """
            03-Mar-2026 09:00:00.00 tcp_local    conversion   E 9 amy@siroe.test rfc822;bert@sesta.test bert@sesta.test /q/conversion/ZZa1.00 <one@siroe.test>
            03-Mar-2026 09:00:01.00 conversion                D 9 amy@siroe.test rfc822;bert@sesta.test bert@sesta.test /q/conversion/ZZa1.00 <one@siroe.test>
            03-Mar-2026 09:00:01.10 conversion   ims-ms       E 9 amy@siroe.test rfc822;bert@sesta.test bert@ims-ms-daemon /q/ims-ms/ZZa2.00 <one@siroe.test>
            03-Mar-2026 09:59:59.00 ims-ms                    Q 9 amy@siroe.test rfc822;bert@sesta.test bert@ims-ms-daemon /q/ims-ms/ZZa2.00 <one@siroe.test> 4.2.1 - Mailbox busy
            03-Mar-2026 10:00:02.00 ims-ms                    D 9 amy@siroe.test rfc822;bert@sesta.test bert@ims-ms-daemon /q/ims-ms/ZZa2.00 <one@siroe.test>
            03-Mar-2026 10:10:00.00 tcp_local    conversion   E 9 amy@siroe.test rfc822;fred@sesta.test fred@sesta.test /q/conversion/ZZe1.00 <five@siroe.test>
            03-Mar-2026 10:10:01.00 conversion                D 9 amy@siroe.test rfc822;fred@sesta.test fred@sesta.test /q/conversion/ZZe1.00 <five@siroe.test>
            """;


    /** @param page 0: by Flyway; else V13 called with pages of that many messages */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"h2, 0", "postgres, 0", "h2, 7", "postgres, 7"})
    void storedCountsBecomeThoseOfTheWritePath(String database, int page) throws SQLException {
        DataSource ds = TestDatabase.empty(database);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("12").load().migrate();
        HandOffColumns.add(ds); // this version writes them; gone again before the migrations run
        RemoteSystemTable.add(ds);
        ClientSystemColumns.add(ds);
        StringWriter generated = new StringWriter();
        try {
            new LogGenerator(GeneratorConfig.of(1500, 11)).generate(generated, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        IngestEngine engine = new IngestEngine(ds, RELAY, 1000);
        RelayHopMigrationTest.ingest(engine, "day.log", generated.toString());
        RelayHopMigrationTest.ingest(engine, "relay.log", RELAY_LOG);
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        Map<String, Long> counts = counts(jdbc);
        assertThat(counts).containsEntry("2026-03-03T09:00 conversion handoff", 1L)
                .containsEntry("2026-03-03T10:00 conversion delivered", 1L)
                .doesNotContainKey("2026-03-03T09:00 conversion delivered");
        long handOffs = jdbc.queryForObject("SELECT SUM(events) FROM rollup_hour WHERE outcome = 'handoff'",
                Long.class);
        assertThat(handOffs).isGreaterThan(20);

        // the old way: every hand-off counted as delivered on its channel
        jdbc.update("UPDATE rollup_hour SET events = events + (SELECT h.events FROM rollup_hour h "
                + "WHERE h.bucket = rollup_hour.bucket AND h.channel = rollup_hour.channel AND h.domain = '' "
                + "AND h.category = '' AND h.outcome = 'handoff') WHERE outcome = 'delivered' AND domain = '' "
                + "AND category = '' AND EXISTS (SELECT 1 FROM rollup_hour h WHERE h.bucket = rollup_hour.bucket "
                + "AND h.channel = rollup_hour.channel AND h.domain = '' AND h.category = '' "
                + "AND h.outcome = 'handoff')");
        jdbc.update("INSERT INTO rollup_hour (bucket, channel, domain, outcome, category, events) "
                + "SELECT bucket, channel, '', 'delivered', '', events FROM rollup_hour h WHERE outcome = 'handoff' "
                + "AND NOT EXISTS (SELECT 1 FROM rollup_hour d WHERE d.bucket = h.bucket AND d.channel = h.channel "
                + "AND d.domain = '' AND d.category = '' AND d.outcome = 'delivered')");
        jdbc.update("DELETE FROM rollup_hour WHERE outcome = 'handoff'");
        // the count of a message retention removed since: nothing is left to correct it from
        jdbc.update("INSERT INTO rollup_hour VALUES (?, 'conversion', '', 'delivered', '', 7)",
                Timestamp.valueOf(LocalDateTime.of(2026, 2, 1, 8, 0)));
        assertThat(counts(jdbc)).containsEntry("2026-03-03T09:00 conversion delivered", 1L)
                .doesNotContainKey("2026-03-03T09:00 conversion handoff");

        HandOffColumns.drop(ds);
        RemoteSystemTable.drop(ds);
        ClientSystemColumns.drop(ds);
        if (page == 0) {
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        } else {
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                assertThat(V13__relay_hand_offs_in_hourly_counts.correct(c, RELAY, page)).isEqualTo(handOffs);
                c.commit();
            }
        }

        Map<String, Long> expected = new TreeMap<>(counts);
        expected.put("2026-02-01T08:00 conversion delivered", 7L);
        assertThat(counts(jdbc)).isEqualTo(expected);
    }

    /** rollup_hour of successes as "bucket channel outcome" to events, with those of failures as they are; no zeros. */
    private static Map<String, Long> counts(JdbcTemplate jdbc) {
        Map<String, Long> out = new TreeMap<>();
        jdbc.query("SELECT bucket, channel, domain, outcome, category, events FROM rollup_hour "
                + "WHERE events <> 0", rs -> {
            String key = SqlTimes.get(rs, 1) + " " + rs.getString(2) + " " + rs.getString(4)
                    + (rs.getString(5).isEmpty() ? "" : " " + rs.getString(3) + " " + rs.getString(5));
            out.put(key, rs.getLong(6));
        });
        return out;
    }

}
