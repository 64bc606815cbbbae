package com.mailtrail.dashboard;

import com.mailtrail.ingest.BerlinTimeZone;
import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.ingest.TestDatabase;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard and the queue show an hour that the JVM's time zone skips (02:00 on 29 March 2026 in Europe/Berlin)
 * as the log has it, on H2 and PostgreSQL: their rows are read as local date-times, not through java.sql.Timestamp.
 */
@ExtendWith(BerlinTimeZone.class)
class DashboardTimeZoneTest {

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void anHourTheJvmsZoneSkipsIsShownAsLogged(String kind) throws Exception {
        DataSource ds = TestDatabase.of(kind);
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion"), 1000);
        String log = "29-Mar-2026 02:30:05.18 tcp_local    tcp_intranet    E 3 adam@hosta.sesta.com "
                + "rfc822;user@some.org user@some.org <gap@sesta.com>\n";
        engine.ingest(engine.createSource("test", "gap"), "gap.log",
                new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), LogOptions.auto(), new Progress());

        JdbcClient jdbc = JdbcClient.create(ds);
        TimeRange range = new DashboardQueries(jdbc).dataRange().orElseThrow();
        assertThat(range.from()).isEqualTo(LocalDateTime.of(2026, 3, 29, 2, 0));
        assertThat(new DashboardQueries(jdbc).kpis(range)).isNotNull();
        QueueQueries.Queue queue = new QueueQueries(jdbc).queue();
        assertThat(queue.asOf()).isEqualTo(LocalDateTime.of(2026, 3, 29, 2, 30, 5, 180_000_000));
        assertThat(queue.oldest()).singleElement()
                .satisfies(w -> assertThat(w.enqueued()).isEqualTo(LocalDateTime.of(2026, 3, 29, 2, 30, 5, 180_000_000)));
    }
}
