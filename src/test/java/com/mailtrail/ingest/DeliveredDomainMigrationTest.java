package com.mailtrail.ingest;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.parse.Entry;
import com.mailtrail.parse.LogOptions;
import com.mailtrail.parse.LogReader;
import com.mailtrail.parse.MessageEntry;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database whose hourly counts were written before V5, each failure under its original address's domain, gets the
 * counts the write path now makes (each under the domain it was for): a list's members at another domain move from
 * the list's domain to theirs, and nothing else changes.
 */
class DeliveredDomainMigrationTest {

    /** The PostgreSQL databases' pools closed and the databases dropped, test by test. */
    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }


    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void countsWrittenBeforeMoveToTheDomainDeliveredTo(String database) throws SQLException {
        DataSource ds = TestDatabase.empty(database);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("4").load().migrate();
        // This version's write path also writes the columns of later migrations: there while it writes, gone again
        // before the migrations from V4 on run.
        laterColumns(ds, "ADD COLUMN %s %s");
        RemoteSystemTable.add(ds);
        ClientSystemColumns.add(ds);
        byte[] list = resource("/logs/list-expansion.log");
        StringWriter generated = new StringWriter();
        try {
            new LogGenerator(GeneratorConfig.of(300, 7)).generate(generated, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] day = generated.toString().getBytes(StandardCharsets.UTF_8);
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);
        ingest(engine, "list-expansion.log", list);
        ingest(engine, "day.log", day);
        Map<String, Long> now = counts(ds);
        assertThat(now).containsEntry("2026-03-03T09:00 tcp_local list.test deferred greylisted", 2L)
                .containsEntry("2026-03-03T09:00 tcp_local other.test deferred refused", 1L)
                .containsEntry("2026-03-03T10:00 tcp_local other.test deferred refused", 1L);
        assertThat(now.keySet()).noneMatch(k -> k.contains(" lists.test "));

        writeTheOldWay(ds, database.equals("postgres"), list, day);
        // the counts of a message retention removed since: nothing says where it was delivered, so they stay
        new JdbcTemplate(ds).update("INSERT INTO rollup_hour VALUES (?, 'tcp_local', 'gone.example', 'deferred', "
                + "'dns', 5)", Timestamp.valueOf(LocalDateTime.of(2026, 2, 1, 8, 0)));
        Map<String, Long> before = counts(ds);
        assertThat(before).containsEntry("2026-03-03T09:00 tcp_local lists.test deferred greylisted", 2L)
                .containsEntry("2026-03-03T09:00 tcp_local lists.test deferred refused", 1L)
                .containsEntry("2026-03-03T10:00 tcp_local lists.test deferred refused", 1L)
                .doesNotContainKey("2026-03-03T09:00 tcp_local list.test deferred greylisted");
        // the generated day's it-ops@example.com greylisted at mx1.maplegrove-school.example
        assertThat(before.keySet()).filteredOn(k -> k.contains(" maplegrove-school.example deferred greylisted"))
                .isEmpty();
        assertThat(now.keySet()).filteredOn(k -> k.contains(" maplegrove-school.example deferred greylisted"))
                .hasSize(1);

        laterColumns(ds, "DROP COLUMN %s");
        RemoteSystemTable.drop(ds);
        ClientSystemColumns.drop(ds);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();

        Map<String, Long> expected = new TreeMap<>(now);
        expected.put("2026-02-01T08:00 tcp_local gone.example deferred dns", 5L);
        assertThat(counts(ds)).isEqualTo(expected);
    }

    /**
     * Replaces the hourly counts of failures by those the write path made before V5, through the same Rollups, from
     * every entry of the logs: the domain of the entry's original address (MessageStore.domainOf).
     */
    private static void writeTheOldWay(DataSource ds, boolean postgres, byte[]... logs) throws SQLException {
        Rollups old = new Rollups();
        Strings strings = new Strings();
        for (byte[] log : logs) {
            try {
                new LogReader(LogOptions.auto()).read(new ByteArrayInputStream(log), new LogReader.Sink() {
                    @Override
                    public void entry(Entry entry) {
                        if (entry instanceof MessageEntry m) {
                            Fact f = FileIngest.fact(m, 1, strings, 0);
                            old.fact(f, MessageStore.domainOf(f));
                        }
                    }

                    @Override
                    public void rejected(LogReader.Rejection rejection) {
                    }
                });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            c.createStatement().executeUpdate("DELETE FROM rollup_hour");
            old.write(c, postgres);
            c.commit();
        }
    }

    /** The columns V6 adds, added or dropped by {@code alter} ("ADD COLUMN %s %s": name and type). */
    private static void laterColumns(DataSource ds, String alter) {
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        for (String[] column : new String[][]{{"attempt", "order_shift", "INTEGER"},
                {"recipient", "enqueue_shift", "INTEGER"}, {"recipient", "last_shift", "INTEGER"},
                {"log_file", "clock_latest", "TIMESTAMP"}, {"log_file", "clock_step", "INTEGER"},
                {"log_file", "clock_until", "TIMESTAMP"}, {"log_file", "cut", "BIGINT"},
                {"log_file", "cut_lines", "VARCHAR(400)"}, {"attempt", "hand_off", "BOOLEAN"},
                {"recipient", "last_hand_off", "BOOLEAN"}}) {
            jdbc.execute("ALTER TABLE " + column[0] + " " + alter.formatted(column[1], column[2]));
        }
    }

    /** rollup_hour as "bucket channel domain outcome category" to events. */
    private static Map<String, Long> counts(DataSource ds) {
        Map<String, Long> out = new TreeMap<>();
        new JdbcTemplate(ds).query("SELECT bucket, channel, domain, outcome, category, events FROM rollup_hour", rs -> {
            String key = rs.getTimestamp(1).toLocalDateTime() + " " + rs.getString(2) + " " + rs.getString(3) + " "
                    + rs.getString(4) + " " + rs.getString(5);
            out.put(key.strip(), rs.getLong(6));
        });
        return out;
    }

    private static void ingest(IngestEngine engine, String name, byte[] log) {
        try {
            engine.ingest(engine.createSource("test", name), name, new ByteArrayInputStream(log), LogOptions.auto(),
                    new Progress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = DeliveredDomainMigrationTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
