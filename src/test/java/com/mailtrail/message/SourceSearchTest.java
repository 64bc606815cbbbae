package com.mailtrail.message;

import com.mailtrail.ingest.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The search by log source, behind "Messages with lines from it" on the Sources page, on H2 and PostgreSQL: the
 * messages of each source, and only those, on a database of a few thousand messages.
 */
class SourceSearchTest {

    /** The PostgreSQL databases' pools closed and the databases dropped, test by test. */
    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    /**
     * H2 ran the union of the source's recipients and attempts again for every message it checked, so the search
     * grew with the square of the messages: 300 s for 8,000 messages, where PostgreSQL took 0.05 s. Its time is
     * measured by PageBenchmark (a search by source on the 1M-entry database), not here: this test took about 30 s
     * with the old query and takes well under one now.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void findsEachSourcesMessagesInTime(String kind) {
        DataSource ds = TestDatabase.pooled(kind);
        long day = source(ds, TestLogs.importGenerated(ds, 2500, 7).fileId());
        long seed = source(ds, TestLogs.importResource(ds, TestLogs.SEED).fileId());
        MessageQueries queries = new MessageQueries(JdbcClient.create(ds));
        long all = JdbcClient.create(ds).sql("SELECT COUNT(*) FROM message").query(Long.class).single();

        PageResult<MessageSummary> ofDay = queries.search(form(day).toCriteria());
        PageResult<MessageSummary> ofSeed = queries.search(form(seed).toCriteria());

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
                String.valueOf(source), null, null, null, null, null, null, null, null);
    }
}
