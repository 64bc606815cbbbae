package com.mailtrail.ingest;

import com.mailtrail.store.SqlTimes;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;

import javax.sql.DataSource;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * V13 and V15 are applied migrations that call a shared helper (StoredHandOffs, and through it parse.RelayHops): a
 * change to either would change what they do to a database that has not run them yet, while RelayHandOffMigrationTest
 * and RelayHandOffRowsMigrationTest, which compare them with the write path, would follow such a change of the rule.
 * This pins what they do to one fixed database (migration/relay-hand-offs-before-v13.sql, rows written out rather than
 * through the write path): the hourly counts V13 leaves and the rows V15 marks, written out here. A change to the
 * helper that fails it changes an applied migration: write a new migration instead.
 */
class RelayHandOffPinTest {

    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    /** @param channels the relay channels handed to the migrations (the placeholder relaychannels), "" for none */
    @ParameterizedTest(name = "{0} [{1}]")
    @CsvSource({"h2, ''", "postgres, ''", "h2, process", "postgres, process"})
    void v13AndV15DoWhatTheyDidToAFixedDatabase(String database, String channels) {
        DataSource ds = TestDatabase.empty(database);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("12").load().migrate();
        new ResourceDatabasePopulator(new ClassPathResource("migration/relay-hand-offs-before-v13.sql")).execute(ds);
        JdbcTemplate jdbc = new JdbcTemplate(ds);

        flyway(ds, channels).target("13").load().migrate();
        Map<String, Long> afterV13 = counts(jdbc);
        if (channels.isEmpty()) {
            // the defaults, conversion among them: bert's, gus's, dora's and emil's first-pass D moved, fred's stays
            assertThat(afterV13).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                    entry("2026-02-01T08:00 conversion delivered", 7L),
                    entry("2026-03-03T09:00 conversion handoff", 1L),
                    entry("2026-03-03T10:00 conversion delivered", 1L),
                    entry("2026-03-03T10:00 conversion handoff", 1L),
                    entry("2026-03-03T10:00 ims-ms delivered", 1L),
                    entry("2026-03-03T11:00 process deferred other", 1L),
                    entry("2026-03-03T11:00 process delivered", 1L),
                    entry("2026-03-03T11:00 process handoff", 1L),
                    entry("2026-03-03T11:00 tcp_intranet delivered", 1L),
                    entry("2026-10-25T02:00 conversion delivered", 1L),
                    entry("2026-10-25T02:00 conversion handoff", 1L),
                    entry("2026-10-25T02:00 ims-ms delivered", 1L)));
        } else {
            // process alone: only dora's hand-off moves
            assertThat(afterV13).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                    entry("2026-02-01T08:00 conversion delivered", 7L),
                    entry("2026-03-03T09:00 conversion delivered", 1L),
                    entry("2026-03-03T10:00 conversion delivered", 2L),
                    entry("2026-03-03T10:00 ims-ms delivered", 1L),
                    entry("2026-03-03T11:00 process deferred other", 1L),
                    entry("2026-03-03T11:00 process delivered", 1L),
                    entry("2026-03-03T11:00 process handoff", 1L),
                    entry("2026-03-03T11:00 tcp_intranet delivered", 1L),
                    entry("2026-10-25T02:00 conversion delivered", 2L),
                    entry("2026-10-25T02:00 ims-ms delivered", 1L)));
        }

        flyway(ds, channels).load().migrate();
        assertThat(counts(jdbc)).as("V15 leaves the counts alone").isEqualTo(afterV13);
        assertThat(marked(jdbc)).isEqualTo(channels.isEmpty()
                ? Set.of("attempt 101", "recipient 13", "attempt 106", "attempt 109")
                : Set.of("attempt 106"));
    }

    private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(DataSource ds, String channels) {
        return Flyway.configure().dataSource(ds).locations("classpath:db/migration")
                .placeholders(channels.isEmpty() ? Map.of() : Map.of("relaychannels", channels));
    }

    /** rollup_hour as "bucket channel outcome [category]" to events. */
    private static Map<String, Long> counts(JdbcTemplate jdbc) {
        Map<String, Long> out = new TreeMap<>();
        jdbc.query("SELECT bucket, channel, outcome, category, events FROM rollup_hour", rs -> {
            out.put(SqlTimes.get(rs, 1) + " " + rs.getString(2) + " " + rs.getString(3)
                    + (rs.getString(4).isEmpty() ? "" : " " + rs.getString(4)), rs.getLong(5));
        });
        return out;
    }

    /** The rows marked as a hand-off: "attempt ID" and "recipient ID" (its last outcome). */
    private static Set<String> marked(JdbcTemplate jdbc) {
        return new TreeSet<>(jdbc.queryForList("SELECT 'attempt ' || id FROM attempt WHERE hand_off = TRUE "
                + "UNION ALL SELECT 'recipient ' || id FROM recipient WHERE last_hand_off = TRUE", String.class));
    }
}
