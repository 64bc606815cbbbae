package com.mailtrail.message;

import com.mailtrail.ingest.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The search by log source, behind "Messages with lines from it" on the Sources page, on H2 and PostgreSQL: the
 * messages of each source, found in time on a database of a few thousand messages.
 */
class SourceSearchTest {

    /**
     * H2 ran the union of the source's recipients and attempts again for every message it checked, so the search
     * grew with the square of the messages: 300 s for 8,000 messages, where PostgreSQL took 0.05 s. The deadline is
     * far above what reading the tables once takes (well under a second here), and far below the old time (about
     * 30 s for the two queries of a page on this database).
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void findsEachSourcesMessagesInTime(String kind) {
        DataSource ds = TestDatabase.of(kind);
        long day = source(ds, TestLogs.importGenerated(ds, 2500, 7).fileId());
        long seed = source(ds, TestLogs.importResource(ds, TestLogs.SEED).fileId());
        MessageQueries queries = new MessageQueries(JdbcClient.create(ds));
        long all = JdbcClient.create(ds).sql("SELECT COUNT(*) FROM message").query(Long.class).single();

        PageResult<MessageSummary> ofDay = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> queries.search(form(day).toCriteria()));
        PageResult<MessageSummary> ofSeed = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> queries.search(form(seed).toCriteria()));

        assertThat(all).isGreaterThan(2500);
        assertThat(ofDay.total()).isEqualTo(all - 1);
        assertThat(ofDay.items()).hasSize(50).noneMatch(m -> "<01IRUD7SVA3Q9UN2D4@sesta.com>".equals(m.messageId()));
        assertThat(ofSeed.total()).isEqualTo(1);
        assertThat(ofSeed.items()).extracting(MessageSummary::messageId)
                .containsExactly("<01IRUD7SVA3Q9UN2D4@sesta.com>");
    }

    private static long source(DataSource ds, long fileId) {
        return JdbcClient.create(ds).sql("SELECT source_id FROM log_file WHERE id = ?").param(fileId)
                .query(Long.class).single();
    }

    private static SearchForm form(long source) {
        return new SearchForm(null, null, null, null, null, null, null, null, null, null, null,
                String.valueOf(source), null, null);
    }
}
