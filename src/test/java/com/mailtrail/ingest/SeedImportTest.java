package com.mailtrail.ingest;

import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.InputStream;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SeedImportTest {

    /** The PostgreSQL databases' pools closed and the databases dropped, test by test. */
    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void seedDocumentIsOneDeliveredRecipientWithThreeDeferrals(String database) throws Exception {
        DataSource ds = TestDatabase.pooled(database);
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);
        long source = engine.createSource("import", "seed");
        try (InputStream in = getClass().getResourceAsStream("/logs/seed-multiple-delivery-attempts.txt")) {
            IngestEngine.FileResult r = engine.ingest(source, "seed.txt", in, LogOptions.auto(), new Progress());
            assertThat(r.entries()).isEqualTo(5);
            assertThat(r.rejected()).isZero();
        }
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM message", Long.class)).isEqualTo(1);
        Map<String, Object> rcpt = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        rcpt.putAll(jdbc.queryForMap("SELECT * FROM recipient"));
        assertThat(rcpt.get("RECIPIENT")).isEqualTo("user@some.org");
        assertThat(rcpt.get("STATUS")).isEqualTo("delivered");
        assertThat(rcpt.get("DEFERRALS")).isEqualTo(3);
        assertThat(rcpt.get("ATTEMPTS")).isEqualTo(4);
        assertThat(((Timestamp) rcpt.get("ENQUEUED")).toLocalDateTime())
                .isEqualTo(LocalDateTime.of(1998, 1, 15, 10, 31, 5, 180_000_000));
        assertThat(((Timestamp) rcpt.get("FINAL_TIME")).toLocalDateTime())
                .isEqualTo(LocalDateTime.of(1998, 1, 15, 20, 45, 51, 550_000_000));
        // The deferrals are attempt rows; the delivery is the recipient's last outcome, kept in its own row.
        List<Map<String, Object>> attempts = jdbc.queryForList("SELECT code AS \"CODE\", category AS \"CATEGORY\" FROM attempt ORDER BY time");
        assertThat(attempts).extracting(a -> a.get("CODE")).containsExactly("Q", "Q", "Q");
        assertThat(attempts).extracting(a -> a.get("CATEGORY")).containsExactly("network", "network", "refused");
        assertThat(rcpt.get("LAST_CODE")).isEqualTo("D");
        assertThat(rcpt.get("LAST_REMOTE_HOST")).isEqualTo("host.some.org");
        assertThat(rcpt.get("LAST_SMTP_CODE")).isEqualTo(250);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM raw_block", Long.class)).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT position FROM log_file", Long.class))
                .isEqualTo((long) getClass().getResourceAsStream("/logs/seed-multiple-delivery-attempts.txt")
                        .readAllBytes().length);
    }
}
