package com.mailtrail.ingest;

import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A field longer than its column (a hostile Message-ID, a garbled address) failed the whole file: "Value too long for
 * column", nothing of it stored, and a followed file stuck on that line.
 */
class LongFieldsTest {

    /** The PostgreSQL databases' pools closed and the databases dropped, test by test. */
    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    private static final String A = "a".repeat(1100);

    private static String entry(String time, String dst, String code, String to, String queue, String id, String diag) {
        return "03-Mar-2026 " + time + " tcp_local    " + String.format("%-12s", dst) + " " + code
                + " 5 s@x.test rfc822;" + to + " " + to + " /q/tcp_local/" + queue + ".00 " + id
                + (diag.isEmpty() ? "" : " " + diag) + "\n";
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void overlongFieldsAreRejectedLinesAndTheRestIsStored(String database) throws Exception {
        String log = entry("09:00:00.00", "tcp_local", "E", "ok@y.test", "ZZok", "<ok@x.test>", "")
                + entry("09:00:01.00", "tcp_local", "E", A + "@y.test", "ZZaddr", "<addr@x.test>", "")
                + entry("09:00:02.00", "tcp_local", "E", "id@y.test", "ZZid", "<" + A + "@x.test>", "")
                // The remote host and address come out of the diagnostic's free text: cut, the entry kept.
                + entry("09:00:03.00", "", "Q", "ok@y.test", "ZZok", "<ok@x.test>",
                "dns;" + A + ".test (TCP|192.0.2.1|1025|" + "9".repeat(150) + "|25) (banner) smtp;452 4.2.2 full")
                + "03-Mar-2026 09:00:04.00 tcp_local    +            X TCP|192.0.2.1|25|" + "1".repeat(150)
                + "|41001 SMTP Connection rejected\n"
                + entry("09:00:05.00", "", "D", "ok@y.test", "ZYok", "<ok@x.test>",
                "dns;mx.y.test (TCP|192.0.2.1|1026|198.51.100.9|25) (banner) smtp;250 2.0.0 Ok");
        DataSource ds = TestDatabase.pooled(database);
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);
        long source = engine.createSource("upload", "long");
        IngestEngine.FileResult r = engine.ingest(source, "long.log",
                new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)),
                LogOptions.parse("filename,message_id"), new Progress());

        assertThat(r.entries()).isEqualTo(3);
        assertThat(r.rejected()).isEqualTo(3);
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        assertThat(jdbc.queryForObject("SELECT state FROM log_file", String.class)).isEqualTo("done");
        List<Map<String, Object>> rejected = jdbc.queryForList(
                "SELECT line AS \"LINE\", reason AS \"REASON\" FROM rejected_line ORDER BY line");
        assertThat(rejected).extracting(m -> ((Number) m.get("LINE")).longValue()).containsExactly(2L, 3L, 5L);
        assertThat(rejected).extracting(m -> m.get("REASON")).containsExactly(
                "the recipient is 1107 characters long; Mailtrail stores at most 1000",
                "the Message-ID is 1109 characters long; Mailtrail stores at most 1000",
                "the remote address is 150 characters long; Mailtrail stores at most 100");
        assertThat(jdbc.queryForObject("SELECT status FROM recipient WHERE recipient = 'ok@y.test'", String.class))
                .isEqualTo("delivered");
        Map<String, Object> q = jdbc.queryForMap("SELECT remote_host AS \"HOST\", remote_ip AS \"IP\" FROM attempt "
                + "WHERE code = 'Q'");
        assertThat((String) q.get("HOST")).hasSize(1000).startsWith("aaa");
        assertThat((String) q.get("IP")).hasSize(100);
    }
}
