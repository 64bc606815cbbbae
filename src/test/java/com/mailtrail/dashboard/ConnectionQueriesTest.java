package com.mailtrail.dashboard;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.ingest.TestDatabase;
import com.mailtrail.message.LogFileQueries;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Connections page's figures from a small log of every kind of connection entry (opens, closes, rejected,
 * failed, authentication, ETRN), on H2 and on a real PostgreSQL: the right counts, and the same on both.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectionQueriesTest {

    private static final TimeRange MORNING = new TimeRange(LocalDateTime.of(2026, 3, 2, 10, 0),
            LocalDateTime.of(2026, 3, 2, 12, 0));

    private ConnectionQueries h2;
    private ConnectionQueries postgres;

    @BeforeAll
    void load() throws IOException {
        DataSource a = TestDatabase.h2();
        DataSource b = TestDatabase.postgres();
        for (DataSource ds : new DataSource[]{a, b}) {
            IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);
            try (InputStream in = getClass().getResourceAsStream("/logs/connections.log")) {
                engine.ingest(engine.createSource("test", "connections"), "connections.log", in, LogOptions.auto(),
                        new Progress());
            }
        }
        h2 = new ConnectionQueries(JdbcClient.create(a), new LogFileQueries(JdbcClient.create(a)));
        postgres = new ConnectionQueries(JdbcClient.create(b), new LogFileQueries(JdbcClient.create(b)));
    }

    @Test
    void summaryCountsOpensPerDirectionAndEachKindOfEntry() {
        ConnectionQueries.Summary s = h2.summary(MORNING);
        assertThat(s.inbound()).isEqualTo(2);
        assertThat(s.outbound()).isEqualTo(1);
        assertThat(s.events()).containsExactly(Map.entry("X", 1L), Map.entry("U", 3L), Map.entry("Y", 1L),
                Map.entry("I", 1L));
        assertThat(postgres.summary(MORNING)).isEqualTo(s);
        // the hour before 11:00 only
        TimeRange ten = new TimeRange(MORNING.from(), MORNING.from().plusHours(1));
        assertThat(h2.summary(ten).events()).containsEntry("U", 2L).containsEntry("Y", 0L);
    }

    @Test
    void busiestAndRefusedAddresses() {
        assertThat(h2.busiest(MORNING, 20)).containsExactly(
                new ConnectionQueries.Address("203.0.113.7", 2, 1, 0, 0, 0));
        assertThat(h2.refused(MORNING, 20)).containsExactly(
                new ConnectionQueries.Address("198.51.100.9", 0, 0, 0, 0, 3),
                new ConnectionQueries.Address("203.0.113.66", 0, 0, 1, 0, 0));
        assertThat(postgres.busiest(MORNING, 20)).isEqualTo(h2.busiest(MORNING, 20));
        assertThat(postgres.refused(MORNING, 20)).isEqualTo(h2.refused(MORNING, 20));
    }

    @Test
    void entriesNewestFirstFilteredByAddressAndCode() {
        ConnectionQueries.Events all = h2.events(MORNING, null, null, 0);
        assertThat(all.total()).isEqualTo(6);
        assertThat(all.items()).extracting(ConnectionQueries.Event::code).containsExactly("I", "Y", "U", "U", "U", "X");
        ConnectionQueries.Event rejected = all.items().get(5);
        assertThat(rejected.meaning()).isEqualTo("rejected");
        assertThat(rejected.remoteIp()).isEqualTo("203.0.113.66");
        assertThat(rejected.remotePort()).isEqualTo(41001);
        assertThat(rejected.localPort()).isEqualTo(25);
        assertThat(rejected.diagnostic()).startsWith("Connection rejected: 203.0.113.66 is listed");
        assertThat(rejected.line()).isEqualTo(4);
        assertThat(all.items().get(1).remoteIp()).as("Y: nothing was connected").isNull();
        assertThat(h2.events(MORNING, "198.51.100.9", "U", 0).total()).isEqualTo(3);
        assertThat(h2.events(MORNING, "198.51.100.9", "X", 0).total()).isZero();
        assertThat(postgres.events(MORNING, null, null, 0)).isEqualTo(all);
        assertThat(h2.lines(all.items()).get(rejected.file() + ":4").text()).startsWith(
                "02-Mar-2026 10:00:01.20 tcp_local    +            X TCP|192.0.2.25|25|203.0.113.66|41001 SMTP");
        assertThat(postgres.lines(all.items())).isEqualTo(h2.lines(all.items()));
    }

    @Test
    void chartHasConnectionsAndEntriesPerHour() {
        Chart chart = h2.chart(MORNING);
        assertThat(chart.labels()).containsExactly("2026-03-02T10:00:00", "2026-03-02T11:00:00");
        assertThat(chart.series()).extracting(Chart.Series::name).containsExactly("inbound connections",
                "outbound connections", "rejected (X)", "failed before it was established (Y)",
                "authentication (U)");
        assertThat(chart.series().get(0).values()).containsExactly(2L, 0L);
        assertThat(chart.series().get(1).values()).containsExactly(0L, 1L);
        assertThat(chart.series().get(4).values()).containsExactly(2L, 1L);
        assertThat(chart.series().get(4).links().get(0))
                .isEqualTo("/connections?from=2026-03-02T10:00:00&to=2026-03-02T11:00:00&code=U");
        assertThat(postgres.chart(MORNING)).isEqualTo(chart);
    }
}
