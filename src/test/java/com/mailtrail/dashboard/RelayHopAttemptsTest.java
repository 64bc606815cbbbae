package com.mailtrail.dashboard;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.ingest.TestDatabase;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recipient routed through a relay channel (conversion here) is handed to it and enqueued out of it again: the
 * relay channel's D is that hand-off, not a delivery attempt. Until QA found it, every such recipient counted at
 * least two attempts (no conversion recipient was "delivered at the first attempt"). A deferral on the channel it
 * went on to, or on the relay channel itself, is a real failed attempt and still counts.
 */
class RelayHopAttemptsTest {

    /** The PostgreSQL databases' pools closed and the databases dropped, test by test. */
    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    private static final String LOG = """
            02-Mar-2026 09:00:00.00 tcp_local    conversion   E 9 amy@siroe.test rfc822;bert@sesta.test bert@sesta.test /q/conversion/ZZa1.00 <one@siroe.test>
            02-Mar-2026 09:00:01.00 conversion   ims-ms       E 9 amy@siroe.test rfc822;bert@sesta.test bert@ims-ms-daemon /q/ims-ms/ZZa2.00 <one@siroe.test>
            02-Mar-2026 09:00:01.10 conversion                D 9 amy@siroe.test rfc822;bert@sesta.test bert@sesta.test /q/conversion/ZZa1.00 <one@siroe.test>
            02-Mar-2026 09:00:02.00 ims-ms                    D 9 amy@siroe.test rfc822;bert@sesta.test bert@ims-ms-daemon /q/ims-ms/ZZa2.00 <one@siroe.test>
            02-Mar-2026 09:10:00.00 tcp_local    conversion   E 9 amy@siroe.test rfc822;carl@sesta.test carl@sesta.test /q/conversion/ZZb1.00 <two@siroe.test>
            02-Mar-2026 09:10:01.00 conversion   ims-ms       E 9 amy@siroe.test rfc822;carl@sesta.test carl@ims-ms-daemon /q/ims-ms/ZZb2.00 <two@siroe.test>
            02-Mar-2026 09:10:01.10 conversion                D 9 amy@siroe.test rfc822;carl@sesta.test carl@sesta.test /q/conversion/ZZb1.00 <two@siroe.test>
            02-Mar-2026 09:10:02.00 ims-ms                    Q 9 amy@siroe.test rfc822;carl@sesta.test carl@ims-ms-daemon /q/ims-ms/ZZb2.00 <two@siroe.test> 4.2.1 - Mailbox busy
            02-Mar-2026 09:20:00.00 ims-ms                    D 9 amy@siroe.test rfc822;carl@sesta.test carl@ims-ms-daemon /q/ims-ms/ZZb2.00 <two@siroe.test>
            02-Mar-2026 09:30:00.00 tcp_local    conversion   E 9 amy@siroe.test rfc822;dora@sesta.test dora@sesta.test /q/conversion/ZZc1.00 <three@siroe.test>
            02-Mar-2026 09:30:01.00 conversion                Q 9 amy@siroe.test rfc822;dora@sesta.test dora@sesta.test /q/conversion/ZZc1.00 <three@siroe.test> Temporary conversion failure
            02-Mar-2026 09:40:01.00 conversion   ims-ms       E 9 amy@siroe.test rfc822;dora@sesta.test dora@ims-ms-daemon /q/ims-ms/ZZc2.00 <three@siroe.test>
            02-Mar-2026 09:40:01.10 conversion                D 9 amy@siroe.test rfc822;dora@sesta.test dora@sesta.test /q/conversion/ZZc1.00 <three@siroe.test>
            02-Mar-2026 09:40:02.00 ims-ms                    D 9 amy@siroe.test rfc822;dora@sesta.test dora@ims-ms-daemon /q/ims-ms/ZZc2.00 <three@siroe.test>
            02-Mar-2026 09:50:00.00 tcp_local    ims-ms       E 9 amy@siroe.test rfc822;emil@sesta.test emil@ims-ms-daemon /q/ims-ms/ZZd1.00 <four@siroe.test>
            02-Mar-2026 09:50:01.00 ims-ms                    D 9 amy@siroe.test rfc822;emil@sesta.test emil@ims-ms-daemon /q/ims-ms/ZZd1.00 <four@siroe.test>
            """;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void theRelayChannelsDequeueIsNotADeliveryAttempt(String database) throws IOException {
        check(database, LOG);
    }

    /** Without LOG_MESSAGE_ID entries are grouped by sender, recipient and day, and legs tied by enqueue. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void alsoInALogWithoutMessageIds(String database) throws IOException {
        check(database, LOG.replaceAll(" <[a-z]+@siroe\\.test>", ""));
    }

    private static void check(String database, String log) throws IOException {
        DataSource ds = TestDatabase.pooled(database);
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);
        engine.ingest(engine.createSource("test", "relay.log"), "relay.log",
                new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), LogOptions.auto(), new Progress());

        JdbcTemplate jdbc = new JdbcTemplate(ds);
        assertThat(jdbc.query("SELECT r.original_recipient, r.status, r.attempts, r.deferrals FROM recipient r "
                        + "ORDER BY r.enqueued",
                (rs, i) -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getInt(3) + " " + rs.getInt(4)))
                .containsExactly(
                        "bert@sesta.test delivered 1 0",
                        "carl@sesta.test delivered 2 1",
                        "dora@sesta.test delivered 2 1",
                        "emil@sesta.test delivered 1 0");
        assertThat(jdbc.query("SELECT status, outcomes, SUM(recipients) FROM rollup_recipient_hour "
                        + "GROUP BY status, outcomes HAVING SUM(recipients) <> 0 ORDER BY status, outcomes",
                (rs, i) -> rs.getString(1) + " " + rs.getInt(2) + " " + rs.getLong(3)))
                .isEqualTo(List.of("delivered 1 2", "delivered 2 2"));

        DashboardQueries dashboard = new DashboardQueries(JdbcClient.create(ds));
        TimeRange range = dashboard.dataRange().orElseThrow();
        assertThat(dashboard.kpis(range).firstAttemptPercent()).isEqualTo(50.0);
        assertThat(dashboard.attempts(range).series().get(0).values().subList(0, 3)).containsExactly(2L, 2L, 0L);
    }
}
