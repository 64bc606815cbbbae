package com.mailtrail.ingest.tail;

import com.mailtrail.ingest.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rows recorded before V16: a truncation that lost nothing known becomes a notice, no longer an error, and a file
 * truncated or gone over a stop shows its lag as not known, as the rows recorded since.
 */
class TruncationNoticeMigrationTest {

    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }


    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void earlierTruncationsBecomeNoticesAndLostFilesLagsUnknown(String database) {
        DataSource ds = TestDatabase.empty(database);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("14").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.update("INSERT INTO log_source (id, kind, name, state, created) VALUES (1, 'tail', '/var/log', "
                + "'running', CURRENT_TIMESTAMP)");
        String[][] files = {
                {"truncated", "it shrank from 5000 to 300 bytes: read again from the start as a new file"},
                {"truncated", "its first bytes changed: read again from the start as a new file; the 25 bytes past "
                        + "its read position at the last look were not read"},
                {"gone", "left the directory: the lines written to it after its last look (2026-11-28 10:00:00) "
                        + "while Mailtrail was stopped were not read; the nightly rotation appends them to mail.log: "
                        + "upload or import that file to fill the gap (lines already stored are not stored twice)"},
                {"gone", null},
                {"tailing", null},
        };
        for (int i = 0; i < files.length; i++) {
            jdbc.update("INSERT INTO log_file (id, source_id, name, head_length, position, lines, size, entries, "
                    + "rejected, duplicates, state, error, updated) VALUES (?, 1, 'mail.log_current', 0, 5000, 50, "
                    + "5000, 50, 0, 0, ?, ?, CURRENT_TIMESTAMP)", i + 1, files[i][0], files[i][1]);
        }

        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();

        List<Sources.FileView> rows = new Sources(ds).all().get(0).files();
        assertThat(rows).extracting(Sources.FileView::notice).containsExactly(files[0][1], null, null, null, null);
        assertThat(rows).extracting(Sources.FileView::error).containsExactly(null, files[1][1], files[2][1], null,
                null);
        assertThat(rows).extracting(Sources.FileView::lagAtLeast).containsExactly(0L, 0L, 0L, null, null);
        assertThat(rows).extracting(Sources.FileView::lag).containsExactly(null, null, null, 0L, 0L);
    }
}
