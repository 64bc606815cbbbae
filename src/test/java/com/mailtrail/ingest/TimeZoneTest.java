package com.mailtrail.ingest;

import com.mailtrail.parse.LogOptions;
import com.mailtrail.store.SqlTimes;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;
import java.util.TimeZone;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Log times are stored and read back as written, whatever the JVM's time zone: here Europe/Berlin, where 02:00-03:00
 * on 29 March 2026 does not exist (the clocks go forward), for a log of an MTA elsewhere. Through java.sql.Timestamp
 * H2 stored 02:30 as 03:30, and every read through it moved such a time as well.
 */
@ExtendWith(BerlinTimeZone.class)
class TimeZoneTest {

    static final String ENQUEUED = "29-Mar-2026 02:30:05.18 tcp_local    tcp_intranet    E 3 adam@hosta.sesta.com "
            + "rfc822;user@some.org user@some.org <gap@sesta.com>\n";
    static final String DELIVERED = "29-Mar-2026 02:40:05.18 tcp_intranet                 D 3 adam@hosta.sesta.com "
            + "rfc822;user@some.org user@some.org <gap@sesta.com>\n";

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aTimeThatTheJvmsZoneSkipsIsStoredAndReadAsLogged(String kind) {
        assertThat(TimeZone.getDefault().getID()).isEqualTo("Europe/Berlin");
        DataSource ds = TestDatabase.of(kind);
        // in two imports, by two engines: the second reads the stored message back and writes it again
        importText(new IngestEngine(ds, Set.of("conversion"), 1000), "first.log", ENQUEUED);
        importText(new IngestEngine(ds, Set.of("conversion"), 1000), "second.log", DELIVERED);

        JdbcTemplate jdbc = new JdbcTemplate(ds);
        assertThat(jdbc.queryForObject("SELECT CAST(first_seen AS VARCHAR(40)) FROM message", String.class))
                .startsWith("2026-03-29 02:30:05.18");
        List<LocalDateTime> times = jdbc.query("SELECT enqueued, final_time FROM recipient",
                (rs, i) -> List.of(SqlTimes.get(rs, 1), SqlTimes.get(rs, 2))).get(0);
        assertThat(times).containsExactly(LocalDateTime.of(2026, 3, 29, 2, 30, 5, 180_000_000),
                LocalDateTime.of(2026, 3, 29, 2, 40, 5, 180_000_000));
        assertThat(jdbc.queryForObject("SELECT delay_seconds FROM recipient", Long.class)).isEqualTo(600);
        assertThat(jdbc.queryForObject("SELECT CAST(MIN(first_time) AS VARCHAR(40)) FROM log_file", String.class))
                .startsWith("2026-03-29 02:30:05.18");
        assertThat(jdbc.queryForObject("SELECT CAST(MIN(bucket) AS VARCHAR(40)) FROM rollup_recipient_hour",
                String.class)).startsWith("2026-03-29 02:00:00");
    }

    static void importText(IngestEngine engine, String name, String text) {
        try {
            engine.ingest(engine.createSource("test", name), name,
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), LogOptions.auto(), new Progress());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
