package com.mailtrail.ingest;

import com.mailtrail.parse.LogOptions;
import com.mailtrail.parse.LogReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rejected lines an upload's status lists are the ones its file counts as rejected, in the file's order. Loaded a second time, a file's
 * bad lines are duplicates of the first load's (counted so, not stored again), yet the status of the second upload
 * said "rejected": 0 and listed them all the same.
 */
class ProgressRejectionsTest {

    /** The PostgreSQL databases' pools closed and the databases dropped, test by test. */
    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    private static final String LOG = """
            03-Mar-2026 09:00:00.00 tcp_local    tcp_local    E 5 s@x.test rfc822;a@y.test a@y.test /q/tcp_local/ZZa.00 <a@x.test>
            this line is not an MTA log entry
            03-Mar-2026 09:00:01.00 tcp_local                 D 5 s@x.test rfc822;a@y.test a@y.test /q/tcp_local/ZZa.00 <a@x.test> dns;mx.y.test (TCP|192.0.2.1|1026|198.51.100.9|25) (banner) smtp;250 2.0.0 Ok
            03-Mar-2026 99:99:99.99 tcp_local    tcp_local    E 5 s@x.test rfc822;b@y.test b@y.test /q/tcp_local/ZZb.00 <b@x.test>
            """;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void aFileLoadedAgainListsNoneOfTheLinesItCountsAsDuplicatesAmongItsRejections(String database) throws Exception {
        DataSource ds = TestDatabase.pooled(database);
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);

        Progress first = new Progress();
        IngestEngine.FileResult once = engine.ingest(engine.createSource("upload", "first"), "mail.log", in(LOG),
                LogOptions.parse("filename,message_id"), first);
        assertThat(once.rejected()).isEqualTo(2);
        assertThat(first.rejected()).isEqualTo(2);
        // In the order of the file: line 2 is held until the file shows what it is (prose around an example?), line 4
        // is refused at once; the status listed line 4 first.
        assertThat(first.rejections()).extracting(LogReader.Rejection::line).containsExactly(2L, 4L);

        Progress again = new Progress();
        IngestEngine.FileResult twice = engine.ingest(engine.createSource("upload", "again"), "mail.log.copy",
                in(LOG), LogOptions.parse("filename,message_id"), again);
        assertThat(twice.entries()).isZero();
        assertThat(twice.rejected()).isZero();
        assertThat(twice.duplicates()).isEqualTo(4);
        assertThat(again.rejected()).isZero();
        assertThat(again.rejections()).isEmpty();
        assertThat(new JdbcTemplate(ds).queryForObject("SELECT COUNT(*) FROM rejected_line", Long.class))
                .isEqualTo(2);
    }

    private static ByteArrayInputStream in(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
