package com.mailtrail.dashboard;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.ingest.TestDatabase;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's "all data" range holds every message loaded. */
class DashboardRangeTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void allDataStartsAtTheFirstMessageNotAtItsDelivery(String database) throws Exception {
        DataSource ds = TestDatabase.of(database);
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);
        try (InputStream in = getClass().getResourceAsStream("/logs/seed-multiple-delivery-attempts.txt")) {
            engine.ingest(engine.createSource("test", "seed"), "seed.txt", in, LogOptions.auto(), new Progress());
        }
        DashboardQueries queries = new DashboardQueries(JdbcClient.create(ds));
        // The seed's one message came at 10:31 and was delivered at 20:45: the range began at 20:00, without it.
        TimeRange all = queries.dataRange().orElseThrow();
        assertThat(all.from()).isEqualTo(LocalDateTime.of(1998, 1, 15, 10, 0));
        assertThat(all.to()).isEqualTo(LocalDateTime.of(1998, 1, 15, 21, 0));
        Kpis kpis = queries.kpis(all);
        assertThat(kpis.messages()).isEqualTo(1);
        assertThat(kpis.recipients()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void allDataEndsAtTheLastRetryOfARecipientStillDeferred(String database) throws Exception {
        DataSource ds = TestDatabase.of(database);
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);
        // The seed's message enqueued at 10:31 and deferred at 10:31, 12:45 and 16:45, with no delivery yet.
        String log = """
                15-Jan-1998 10:31:05.18 tcp_internal   tcp_local   E 3
                 adam@hosta.sesta.com rfc822;user@some.org user@some.org
                 imta/queue/tcp_local/ZZ01IS3D2ZP7FQ9UN54R.00
                 <01IRUD7SVA3Q9UN2D4@sesta.com>

                15-Jan-1998 10:31:10.37 tcp_local                  Q 3
                 adam@hosta.sesta.com rfc822;user@some.org user@some.org
                 imta/queue/tcp_local/ZZ01IS3D2ZP7FQ9UN54R.00
                 <01IRUD7SVA3Q9UN2D4@sesta.com>
                 TCP active open: Failed connect()    Error: no route to host

                15-Jan-1998 12:45:39.48 tcp_local                  Q 3
                 adam@hosta.sesta.com rfc822;user@some.org user@some.org
                 imta/queue/tcp_local/ZY01IS3D2ZP7FQ9UN54R.00
                 <01IRUD7SVA3Q9UN2D4@sesta.com>
                 TCP active open: Failed connect()    Error: no route to host

                15-Jan-1998 16:45:24.72 tcp_local                  Q 3
                 adam@hosta.sesta.com rfc822;user@some.org user@some.org
                 imta/queue/tcp_local/ZX01IS67NY4RRK9UN7GP.00
                 <01IRUD7SVA3Q9UN2D4@sesta.com>
                 TCP active open: Failed connect() Error: connection refused

                """;
        engine.ingest(engine.createSource("test", "deferred"), "deferred.txt",
                new ByteArrayInputStream(log.getBytes(StandardCharsets.US_ASCII)),
                LogOptions.auto(), new Progress());
        DashboardQueries queries = new DashboardQueries(JdbcClient.create(ds));
        // The recipient counts in its enqueue hour (10:00); the range ended at 11:00, without the later two deferrals.
        TimeRange all = queries.dataRange().orElseThrow();
        assertThat(all.from()).isEqualTo(LocalDateTime.of(1998, 1, 15, 10, 0));
        assertThat(all.to()).isEqualTo(LocalDateTime.of(1998, 1, 15, 17, 0));
        long deferrals = queries.failures(all).series().stream()
                .flatMap(s -> s.values().stream()).mapToLong(Long::longValue).sum();
        assertThat(deferrals).isEqualTo(3);
    }
}
