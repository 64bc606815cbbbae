package com.mailtrail.dashboard;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.ingest.TestDatabase;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.AfterEach;
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

    /** The PostgreSQL databases' pools closed and the databases dropped, test by test. */
    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void allDataStartsAtTheFirstMessageNotAtItsDelivery(String database) throws Exception {
        DataSource ds = TestDatabase.pooled(database);
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
        DataSource ds = TestDatabase.pooled(database);
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

    /**
     * The times to delivery count the hours the other figures count: from 10:30 to 10:45 no hour begins, so the
     * dashboard read "0 recipients, – delivered" beside a median time to delivery of 9 min, taken from the deliveries
     * between 10:30 and 10:45 themselves; from 10:30 to 11:30 it counts the deliveries of 11:00 to 12:00 as the
     * recipients figure does, not the one at 10:40 that no other figure counts.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void timesToDeliveryCountTheSameHoursAsTheRecipients(String database) throws Exception {
        DataSource ds = TestDatabase.pooled(database);
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);
        String log = """
                15-Jan-1998 10:31:00.00 tcp_local    tcp_local    E 1 ann@x.test rfc822;bob@y.test bob@y.test imta/queue/tcp_local/ZZ01A.00 <a@x.test>
                15-Jan-1998 10:40:00.00 tcp_local                 D 1 ann@x.test rfc822;bob@y.test bob@y.test imta/queue/tcp_local/ZZ01A.00 <a@x.test> mx.y.test dns;mx.y.test (TCP|192.0.2.1|1|192.0.2.2|25) (ok) smtp;250 ok
                15-Jan-1998 11:10:00.00 tcp_local    tcp_local    E 1 ann@x.test rfc822;carl@y.test carl@y.test imta/queue/tcp_local/ZZ01B.00 <b@x.test>
                15-Jan-1998 11:10:30.00 tcp_local                 D 1 ann@x.test rfc822;carl@y.test carl@y.test imta/queue/tcp_local/ZZ01B.00 <b@x.test> mx.y.test dns;mx.y.test (TCP|192.0.2.1|1|192.0.2.2|25) (ok) smtp;250 ok
                """;
        engine.ingest(engine.createSource("test", "two"), "two.txt",
                new ByteArrayInputStream(log.getBytes(StandardCharsets.US_ASCII)), LogOptions.auto(), new Progress());
        DashboardQueries queries = new DashboardQueries(JdbcClient.create(ds));

        Kpis withinAnHour = queries.kpis(new TimeRange(LocalDateTime.of(1998, 1, 15, 10, 30),
                LocalDateTime.of(1998, 1, 15, 10, 45)));
        assertThat(withinAnHour.messages()).isEqualTo(1);
        assertThat(withinAnHour.recipients()).isZero();
        assertThat(withinAnHour.medianDelay()).isNull();
        assertThat(withinAnHour.p90Delay()).isNull();

        Kpis halfPast = queries.kpis(new TimeRange(LocalDateTime.of(1998, 1, 15, 10, 30),
                LocalDateTime.of(1998, 1, 15, 11, 30)));
        assertThat(halfPast.recipients()).isEqualTo(1);
        assertThat(halfPast.medianDelay()).isEqualTo(30L);
        assertThat(halfPast.p90Delay()).isEqualTo(30L);
    }

    /**
     * A hostile or broken log whose entries are dated from year 0000 to 9999: its loaded range spans ten thousand
     * years, drawn per year as 10,000 bars (the failures chart was 11 MB and took 11 s). Per decade it is 1,000, with
     * every deferral in them.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void tenThousandYearsOfLogAreDrawnInAThousandBars(String database) throws Exception {
        DataSource ds = TestDatabase.pooled(database);
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);
        String log = """
                01-Jan-0000 00:00:00.00 tcp_local    tcp_local    E 1 ann@x.test rfc822;bob@y.test bob@y.test imta/queue/tcp_local/ZZ01OLD.00 <old@x.test>
                01-Jan-0000 00:10:00.00 tcp_local                 Q 1 ann@x.test rfc822;bob@y.test bob@y.test imta/queue/tcp_local/ZZ01OLD.00 <old@x.test> TCP active open: Failed connect()    Error: no route to host
                02-Mar-2026 10:00:00.00 tcp_local    tcp_local    E 1 ann@x.test rfc822;carl@y.test carl@y.test imta/queue/tcp_local/ZZ01NOW.00 <now@x.test>
                02-Mar-2026 10:10:00.00 tcp_local                 Q 1 ann@x.test rfc822;carl@y.test carl@y.test imta/queue/tcp_local/ZZ01NOW.00 <now@x.test> TCP active open: Failed connect()    Error: no route to host
                31-Dec-9999 22:00:00.00 tcp_local    tcp_local    E 1 ann@x.test rfc822;dan@y.test dan@y.test imta/queue/tcp_local/ZZ01NEW.00 <new@x.test>
                31-Dec-9999 22:10:00.00 tcp_local                 Q 1 ann@x.test rfc822;dan@y.test dan@y.test imta/queue/tcp_local/ZZ01NEW.00 <new@x.test> TCP active open: Failed connect()    Error: no route to host
                """;
        engine.ingest(engine.createSource("test", "hostile"), "hostile.txt",
                new ByteArrayInputStream(log.getBytes(StandardCharsets.US_ASCII)), LogOptions.auto(), new Progress());
        DashboardQueries queries = new DashboardQueries(JdbcClient.create(ds));
        TimeRange all = queries.dataRange().orElseThrow();
        assertThat(all.from()).isEqualTo(LocalDateTime.of(0, 1, 1, 0, 0));
        assertThat(all.to()).isEqualTo(LocalDateTime.of(9999, 12, 31, 23, 0));
        assertThat(all.unit()).isEqualTo("decade");
        Chart failures = queries.failures(all);
        assertThat(failures.labels()).hasSize(1000).startsWith("0000-01-01T00:00:00").endsWith("9990-01-01T00:00:00");
        long[] perBar = new long[1000];
        failures.series().forEach(s -> {
            for (int i = 0; i < s.values().size(); i++) {
                perBar[i] += s.values().get(i);
            }
        });
        assertThat(perBar[0]).isEqualTo(1);
        assertThat(perBar[202]).isEqualTo(1); // 2020 to 2029
        assertThat(perBar[999]).isEqualTo(1);
        assertThat(java.util.Arrays.stream(perBar).sum()).isEqualTo(3);
        assertThat(queries.volume(all).labels()).hasSize(1000);
    }
}
