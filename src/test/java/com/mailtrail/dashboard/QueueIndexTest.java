package com.mailtrail.dashboard;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.ingest.TestDatabase;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Queue page finds the waiting recipients through the index on status (V17) rather than by reading every recipient
 * row of the history kept, and still lists exactly those recipients.
 */
class QueueIndexTest {

    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    private static DataSource generatedDay(String kind, int messages) throws IOException {
        DataSource ds = TestDatabase.pooled(kind);
        StringWriter text = new StringWriter();
        new LogGenerator(GeneratorConfig.of(messages, 11)).generate(text, null);
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);
        engine.ingest(engine.createSource("test", "day"), "day.log",
                new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)), LogOptions.auto(),
                new Progress());
        return ds;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void listsExactlyTheWaitingRecipients(String kind) throws IOException {
        DataSource ds = generatedDay(kind, 600);
        JdbcClient jdbc = JdbcClient.create(ds);
        // every row read and filtered here, not by the database: what the index must give back
        List<String> expected = jdbc.sql("SELECT message_ref, recipient, status FROM recipient")
                .query((rs, i) -> List.of(rs.getString("status"), rs.getLong("message_ref") + " " + rs.getString("recipient")))
                .list().stream()
                .filter(r -> r.get(0).equals("deferred") || r.get(0).equals("queued"))
                .map(r -> r.get(1)).toList();
        long others = jdbc.sql("SELECT COUNT(*) FROM recipient").query(Long.class).single() - expected.size();
        assertThat(expected).isNotEmpty().hasSizeLessThan(QueueQueries.LIST_LIMIT);
        assertThat(others).isGreaterThan(expected.size());

        QueueQueries.Queue queue = new QueueQueries(jdbc).queue();
        assertThat(queue.total()).isEqualTo(expected.size());
        assertThat(queue.oldest().stream().map(w -> w.messageId() + " " + w.recipient()).toList())
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void findsTheWaitingThroughTheIndexOnH2() throws IOException {
        // enough rows that reading them all costs more than seeking (H2 plans by the table's size)
        DataSource ds = generatedDay("h2", 3000);
        JdbcClient jdbc = JdbcClient.create(ds);
        jdbc.sql("ANALYZE").update();
        String plan = jdbc.sql("EXPLAIN " + QueueQueries.WAITING).query(String.class).single();
        assertThat(plan).containsIgnoringCase("RECIPIENT_STATUS");
    }

    /**
     * A small table is cheaper read whole, which PostgreSQL's planner knows from its statistics: with sequential
     * scans priced out, the plan shows that the query can be answered through the index; whether the planner picks
     * it by itself on a large history is its statistics' call (recipients waiting are a small fraction there).
     */
    @Test
    void canFindTheWaitingThroughTheIndexOnPostgres() throws IOException, SQLException {
        DataSource ds = generatedDay("postgres", 600);
        StringBuilder plan = new StringBuilder();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("ANALYZE recipient");
            s.execute("SET enable_seqscan = off");
            try (ResultSet rs = s.executeQuery("EXPLAIN " + QueueQueries.WAITING)) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            s.execute("RESET enable_seqscan");
        }
        assertThat(plan.toString()).contains("recipient_status");
    }
}
