package com.mailtrail.ingest;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import db.migration.V15__relay_hand_offs_on_rows;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A database written before V15 has no hand-off on its rows: V15 marks those the write path marks from the same logs,
 * by the same rule, over pages of messages.
 */
class RelayHandOffRowsMigrationTest {

    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    private static final Set<String> RELAY = Set.of("conversion", "reprocess", "process");

    /**
     * bert's conversion D logged before the enqueue out of it; fred's trail ending on conversion (a delivery there);
     * gus's message enqueued into conversion again by conversion (a loop), whose D there is then his last outcome and
     * the hop of that enqueue, kept in his recipient row.
     */
    private static final String RELAY_LOG = """
            03-Mar-2026 09:00:00.00 tcp_local    conversion   E 9 amy@siroe.test rfc822;bert@sesta.test bert@sesta.test /q/conversion/ZZa1.00 <one@siroe.test>
            03-Mar-2026 09:00:01.00 conversion                D 9 amy@siroe.test rfc822;bert@sesta.test bert@sesta.test /q/conversion/ZZa1.00 <one@siroe.test>
            03-Mar-2026 09:00:01.10 conversion   ims-ms       E 9 amy@siroe.test rfc822;bert@sesta.test bert@ims-ms-daemon /q/ims-ms/ZZa2.00 <one@siroe.test>
            03-Mar-2026 10:00:02.00 ims-ms                    D 9 amy@siroe.test rfc822;bert@sesta.test bert@ims-ms-daemon /q/ims-ms/ZZa2.00 <one@siroe.test>
            03-Mar-2026 10:10:00.00 tcp_local    conversion   E 9 amy@siroe.test rfc822;fred@sesta.test fred@sesta.test /q/conversion/ZZe1.00 <five@siroe.test>
            03-Mar-2026 10:10:01.00 conversion                D 9 amy@siroe.test rfc822;fred@sesta.test fred@sesta.test /q/conversion/ZZe1.00 <five@siroe.test>
            03-Mar-2026 10:20:00.00 tcp_local    conversion   E 9 amy@siroe.test rfc822;gus@sesta.test gus@sesta.test /q/conversion/ZZf1.00 <six@siroe.test>
            03-Mar-2026 10:20:01.00 conversion   conversion   E 9 amy@siroe.test rfc822;gus@sesta.test gus@sesta.test /q/conversion/ZZf2.00 <six@siroe.test>
            03-Mar-2026 10:20:02.00 conversion                D 9 amy@siroe.test rfc822;gus@sesta.test gus@sesta.test /q/conversion/ZZf2.00 <six@siroe.test>
            """;


    /** @param page 0: by Flyway; else V15's marking called with pages of that many messages */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"h2, 0", "postgres, 0", "h2, 7", "postgres, 7"})
    void storedRowsGetTheHandOffsOfTheWritePath(String database, int page) throws SQLException {
        DataSource ds = TestDatabase.empty(database);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        Set<String> written = writeDay(ds);
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        assertThat(written).as("gus's hop in his recipient row").contains("recipient " + jdbc.queryForObject(
                "SELECT id FROM recipient WHERE original_recipient = 'gus@sesta.test'", Long.class));
        assertThat(written).as("fred's D, where his trail ends, is a delivery").doesNotContain("recipient "
                + jdbc.queryForObject("SELECT id FROM recipient WHERE original_recipient = 'fred@sesta.test'",
                Long.class));
        // as many as the hourly counts' hand-offs
        assertThat(jdbc.queryForObject("SELECT SUM(events) FROM rollup_hour WHERE outcome = 'handoff'", Long.class))
                .isEqualTo(written.size());

        // a database before V15: no such columns, and V15 not run
        jdbc.update("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '15'");
        HandOffColumns.drop(ds);
        if (page == 0) {
            // out of order: V16, which does not touch these rows, stays applied after V15's row is taken away
            Flyway.configure().dataSource(ds).locations("classpath:db/migration").outOfOrder(true).load().migrate();
        } else {
            HandOffColumns.add(ds);
            try (Connection c = ds.getConnection()) {
                c.setAutoCommit(false);
                assertThat(V15__relay_hand_offs_on_rows.mark(c, RELAY, page)).isEqualTo(written.size());
                c.commit();
            }
        }

        assertThat(marked(jdbc)).isEqualTo(written);
    }

    /**
     * V15 stopped half-way: on H2 its ALTER TABLEs were committed by themselves while the marks went with the rest of
     * its transaction, so the next start finds the columns there, nothing marked and V15 still to run (on PostgreSQL,
     * whose DDL is transactional, the same state is one a stop cannot leave, but V15 must mark it the same). The next
     * migrate marks exactly the rows the write path marked from the same logs, and V16 and V17 run after it.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"h2", "postgres"})
    void aRunAfterAStopHalfWayMarksTheRowsOfTheWritePath(String database) {
        DataSource ds = TestDatabase.empty(database);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("14").load().migrate();
        HandOffColumns.add(ds); // what the first run of V15 left: its columns, committed before it stopped
        RemoteSystemTable.add(ds); // this version's write path writes it; dropped below, as before V21
        ClientSystemColumns.add(ds);
        Set<String> written = writeDay(ds);
        JdbcTemplate jdbc = new JdbcTemplate(ds);

        // the rows as the first run left them: the marks it made rolled back with its transaction
        jdbc.update("UPDATE attempt SET hand_off = NULL");
        jdbc.update("UPDATE recipient SET last_hand_off = NULL");
        assertThat(marked(jdbc)).isEmpty();
        RemoteSystemTable.drop(ds);
        ClientSystemColumns.drop(ds);

        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();

        assertThat(marked(jdbc)).isEqualTo(written);
        assertThat(jdbc.queryForList("SELECT \"version\" FROM \"flyway_schema_history\" WHERE \"success\" "
                + "AND \"version\" IN ('15', '16', '17') ORDER BY \"installed_rank\"", String.class))
                .containsExactly("15", "16", "17");
    }

    /**
     * The stop itself, on an H2 file: the database closed at once (SHUTDOWN IMMEDIATELY, as a killed process leaves it)
     * after V15 marked the rows and before Flyway committed them. Opened again, V15 is still to run, with its columns
     * there or not; the next start marks the rows the write path marked.
     */
    @Test
    void anH2StoppedInV15IsMarkedAtTheNextStart(@TempDir Path dir) throws SQLException {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:file:" + dir.resolve("mailtrail").toAbsolutePath());
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("14").load().migrate();
        HandOffColumns.add(ds); // this version's write path writes them; dropped again below, as before V15
        RemoteSystemTable.add(ds);
        ClientSystemColumns.add(ds);
        Set<String> written = writeDay(ds);
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        HandOffColumns.drop(ds);
        RemoteSystemTable.drop(ds);
        ClientSystemColumns.drop(ds);

        Callback stop = new Callback() {
            @Override
            public boolean supports(Event event, Context context) {
                return event == Event.AFTER_EACH_MIGRATE && context.getMigrationInfo() != null
                        && context.getMigrationInfo().getVersion().getVersion().equals("15");
            }

            @Override
            public boolean canHandleInTransaction(Event event, Context context) {
                return true;
            }

            @Override
            public void handle(Event event, Context context) {
                try (Statement s = context.getConnection().createStatement()) {
                    s.execute("SHUTDOWN IMMEDIATELY");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public String getCallbackName() {
                return "stop in V15";
            }
        };
        assertThatThrownBy(() -> Flyway.configure().dataSource(ds).locations("classpath:db/migration")
                .callbacks(stop).load().migrate()).as("stopped in V15").isNotNull();

        // Which of V15's ALTER TABLEs outlive the stop varies: H2 writes commits to its file in the background, and
        // a stop can lose the last of them (one run here kept both columns, another attempt.hand_off alone). Either
        // way its marks are gone with its transaction, and the next start runs it again.
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM \"flyway_schema_history\" "
                + "WHERE \"version\" IN ('15', '16', '17')", Long.class)).as("V15 still to run").isZero();

        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        assertThat(marked(jdbc)).isEqualTo(written);
        try (Statement s = ds.getConnection().createStatement()) {
            s.execute("SHUTDOWN");
        }
    }

    /** A generated day and RELAY_LOG, written by this version's write path: the rows it marked, more than 20. */
    private static Set<String> writeDay(DataSource ds) {
        StringWriter generated = new StringWriter();
        try {
            new LogGenerator(GeneratorConfig.of(1500, 11)).generate(generated, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        IngestEngine engine = new IngestEngine(ds, RELAY, 1000);
        RelayHopMigrationTest.ingest(engine, "day.log", generated.toString());
        RelayHopMigrationTest.ingest(engine, "relay.log", RELAY_LOG);
        Set<String> written = marked(new JdbcTemplate(ds));
        assertThat(written).hasSizeGreaterThan(20);
        return written;
    }

    /** The rows marked as a hand-off: "attempt ID" and "recipient ID" (its last outcome). */
    private static Set<String> marked(JdbcTemplate jdbc) {
        List<String> rows = jdbc.queryForList("SELECT 'attempt ' || id FROM attempt WHERE hand_off = TRUE "
                + "UNION ALL SELECT 'recipient ' || id FROM recipient WHERE last_hand_off = TRUE", String.class);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM attempt WHERE hand_off = FALSE", Long.class)
                + jdbc.queryForObject("SELECT COUNT(*) FROM recipient WHERE last_hand_off = FALSE", Long.class))
                .as("no FALSE: a row that is no hand-off says NULL").isZero();
        return new TreeSet<>(rows);
    }

}
