package com.mailtrail.ingest;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.message.MessageDetail;
import com.mailtrail.message.MessageQueries;
import com.mailtrail.message.MessageSummary;
import com.mailtrail.message.SearchForm;
import com.mailtrail.parse.LogOptions;
import com.mailtrail.store.SearchKeys;
import db.migration.V7__message_id_hashes_in_any_case;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Message-IDs are searched in any case (message.key_hash and original_hash hash them in lower case), while the writer
 * keeps telling apart ids that differ only in case, as the MTA logged them; a database written before V7 gets its
 * hashes recomputed.
 */
class MessageIdCaseTest {

    /** The PostgreSQL databases' pools closed and the databases dropped, test by test. */
    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }


    private static final String FIRST = """
            15-Jan-1998 23:00:00.00 tcp_case     ims-ms       E 1 dora@x.test rfc822;eve@z.test eve@z.test imta/queue/ims-ms/ZZ01CASE.00 <Ab12.Cd34@Case.X.Test>
            15-Jan-1998 23:10:00.00 tcp_case     ims-ms       E 1 dora@x.test rfc822;fay@z.test fay@z.test imta/queue/ims-ms/ZZ01TWIN1.00 <Twin@x.test>
            15-Jan-1998 23:30:00.00 tcp_case     process      E 1  rfc822;dora@x.test dora@x.test imta/queue/process/ZZ01NTF1.00 <ntf1@x.test>,<AB12.CD34@CASE.X.TEST>
            """;

    /** Read by an engine of its own (an empty message cache): the writer finds the stored messages by their keys. */
    private static final String SECOND = """
            15-Jan-1998 23:20:00.00 tcp_case     ims-ms       E 1 dora@x.test rfc822;gus@z.test gus@z.test imta/queue/ims-ms/ZZ01TWIN2.00 <twin@x.test>
            15-Jan-1998 23:50:00.00 ims-ms                    D 1 dora@x.test rfc822;eve@z.test eve@z.test imta/queue/ims-ms/ZZ01CASE.00 <Ab12.Cd34@Case.X.Test>
            15-Jan-1998 23:51:00.00 ims-ms                    D 1 dora@x.test rfc822;fay@z.test fay@z.test imta/queue/ims-ms/ZZ01TWIN1.00 <Twin@x.test>
            """;


    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void theWriterKeepsIdsThatDifferOnlyInCaseApart(String database) {
        DataSource ds = TestDatabase.pooled(database);
        ingest(ds, "first.log", FIRST);
        ingest(ds, "second.log", SECOND);

        assertThat(messages(ds)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "<Ab12.Cd34@Case.X.Test>", "delivered 1", "<Twin@x.test>", "delivered 1", "<twin@x.test>", "queued 1",
                "<ntf1@x.test>", "queued 1"));
        MessageQueries queries = new MessageQueries(JdbcClient.create(ds));
        assertThat(found(queries, "<TWIN@X.TEST>")).containsExactlyInAnyOrder("<Twin@x.test>", "<twin@x.test>");
        assertThat(found(queries, "ab12.cd34@case.x.test")).containsExactly("<Ab12.Cd34@Case.X.Test>");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void hashesWrittenBeforeV7AreRecomputedAndFindIdsInAnyCase(String database) {
        DataSource ds = TestDatabase.empty(database);
        // The engine writes today's schema (later migrations add columns it fills), so the database is brought to
        // the latest version, the hashes are put back as before V7, and V7 is taken out of the history to run again.
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        ingest(ds, "first.log", FIRST);
        ingest(ds, "day.log", generated(300, 11));
        writeTheOldWay(ds);
        new JdbcTemplate(ds).update("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '7'");
        MessageQueries queries = new MessageQueries(JdbcClient.create(ds));
        // the hashes of the ids as logged: not what the search looks for, even in the logged case
        assertThat(found(queries, "<Ab12.Cd34@Case.X.Test>")).isEmpty();

        Flyway.configure().dataSource(ds).locations("classpath:db/migration").outOfOrder(true).load().migrate();

        assertThat(wrongHashes(ds)).isZero();
        for (String typed : List.of("<Ab12.Cd34@Case.X.Test>", "<ab12.cd34@case.x.test>", "AB12.CD34@CASE.X.TEST")) {
            assertThat(found(queries, typed)).as(typed).containsExactly("<Ab12.Cd34@Case.X.Test>");
        }
        long original = queries.search(form("<Ab12.Cd34@Case.X.Test>").toCriteria()).items().get(0).id();
        long notification = queries.search(form("<ntf1@x.test>").toCriteria()).items().get(0).id();
        assertThat(queries.message(notification).original().id()).isEqualTo(original);
        assertThat(queries.message(original).notifications()).extracting(MessageDetail.Notification::id)
                .containsExactly(notification);
        // every message of the generated day by its id in upper case, and the writer goes on with the same messages
        List<String> ids = new JdbcTemplate(ds).queryForList("SELECT message_id FROM message WHERE message_id IS NOT "
                + "NULL", String.class);
        assertThat(ids).hasSizeGreaterThan(250);
        for (String id : ids) {
            assertThat(found(queries, id.toUpperCase(java.util.Locale.ROOT))).as(id).contains(id);
        }
        ingest(ds, "second.log", SECOND);
        assertThat(messages(ds)).containsEntry("<Ab12.Cd34@Case.X.Test>", "delivered 1")
                .containsEntry("<Twin@x.test>", "delivered 1").containsEntry("<twin@x.test>", "queued 1");
        assertThat(wrongHashes(ds)).isZero();
    }

    @Test
    void theRecomputationGoesThroughTheTableInPagesOfAnySize() throws SQLException {
        DataSource ds = TestDatabase.empty("h2");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        ingest(ds, "first.log", FIRST);
        ingest(ds, "day.log", generated(100, 5));
        writeTheOldWay(ds);
        assertThat(wrongHashes(ds)).isPositive();
        try (Connection c = ds.getConnection()) {
            V7__message_id_hashes_in_any_case.recompute(c, 7);
        }
        assertThat(wrongHashes(ds)).isZero();
    }

    /** The hashes as the write path computed them before V7: of the ids as logged. */
    private static void writeTheOldWay(DataSource ds) {
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.query("SELECT id, message_key, original_message_id FROM message", rs -> {
            jdbc.update("UPDATE message SET key_hash = ?, original_hash = ? WHERE id = ?",
                    SearchKeys.hash(rs.getString(2)), SearchKeys.hashOrNull(rs.getString(3)), rs.getLong(1));
        });
        assertThat(wrongHashes(ds)).as("ids in upper case in the test's logs").isPositive();
    }

    /** Messages whose key_hash or original_hash is not what the write path now computes. */
    private static long wrongHashes(DataSource ds) {
        long[] wrong = {0};
        new JdbcTemplate(ds).query("SELECT message_key, key_hash, original_message_id, original_hash FROM message",
                rs -> {
                    long keyHash = rs.getLong(2);
                    long originalHash = rs.getLong(4);
                    Long original = rs.wasNull() ? null : originalHash;
                    if (keyHash != SearchKeys.idHash(rs.getString(1))
                            || !java.util.Objects.equals(original, SearchKeys.idHashOrNull(rs.getString(3)))) {
                        wrong[0]++;
                    }
                });
        return wrong[0];
    }

    private static Map<String, String> messages(DataSource ds) {
        Map<String, String> out = new java.util.TreeMap<>();
        new JdbcTemplate(ds).query("SELECT message_key, status, recipients FROM message", rs -> {
            assertThat(out.put(rs.getString(1), rs.getString(2) + " " + rs.getInt(3))).isNull();
        });
        return out;
    }

    private static List<String> found(MessageQueries queries, String typed) {
        return queries.search(form(typed).toCriteria()).items().stream().map(MessageSummary::messageId).toList();
    }

    private static SearchForm form(String messageId) {
        return new SearchForm(messageId, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null);
    }

    private static String generated(int messages, long seed) {
        StringWriter out = new StringWriter();
        try {
            new LogGenerator(GeneratorConfig.of(messages, seed)).generate(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void ingest(DataSource ds, String name, String text) {
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);
        try {
            engine.ingest(engine.createSource("test", name), name,
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), LogOptions.auto(), new Progress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
