package com.mailtrail.dashboard;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.ingest.TestDatabase;
import com.mailtrail.message.LogFileQueries;
import com.mailtrail.parse.LogOptions;
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
 * The figures of the one remote address the Connections page is filtered by, whether or not it is among the busiest,
 * with the recipients refused at SMTP (J) from it, on H2 and on a real PostgreSQL (found by QA: filtered by an
 * address that had 10 connections and 22 refused recipients, the page showed the day's totals, the 20 busiest
 * others, and "0 ... entries of" it).
 */
public class AddressFiguresTest {

    /** A log with connections from three addresses; 203.0.113.66 connects twice and has two recipients refused. */
    static final String LOG = """
            02-Mar-2026 10:00:00.10 tcp_local    +            O TCP|192.0.2.25|25|203.0.113.7|41000 SMTP
            02-Mar-2026 10:00:00.90 tcp_local    +            C TCP|192.0.2.25|25|203.0.113.7|41000 SMTP
            02-Mar-2026 10:00:01.10 tcp_local    +            O TCP|192.0.2.25|25|203.0.113.7|41003 SMTP
            02-Mar-2026 10:00:01.90 tcp_local    +            C TCP|192.0.2.25|25|203.0.113.7|41003 SMTP
            02-Mar-2026 10:00:02.10 tcp_local    +            O TCP|192.0.2.25|25|198.51.100.4|41010 SMTP
            02-Mar-2026 10:00:02.20 tcp_local    +            C TCP|192.0.2.25|25|198.51.100.4|41010 SMTP
            02-Mar-2026 10:00:03.10 tcp_local    +            O TCP|192.0.2.25|25|198.51.100.4|41011 SMTP
            02-Mar-2026 10:00:03.20 tcp_local    +            C TCP|192.0.2.25|25|198.51.100.4|41011 SMTP
            02-Mar-2026 10:10:00.00 tcp_local    +            O TCP|192.0.2.25|25|203.0.113.66|14782 SMTP
            02-Mar-2026 10:10:01.00 tcp_local                 JE 0 info@corp.example.net rfc822; tyilmaz@example.net   WIN-45WTI8PY ([203.0.113.66]) 550 5.7.1 Relaying not permitted: tyilmaz@example.net TCP|192.0.2.25|25|203.0.113.66|14782 SMTP
            02-Mar-2026 10:10:02.00 tcp_local                 JE 0 info@corp.example.net rfc822; ann@example.org   WIN-45WTI8PY ([203.0.113.66]) 550 5.7.1 Relaying not permitted: ann@example.org TCP|192.0.2.25|25|203.0.113.66|14782 SMTP
            02-Mar-2026 10:10:03.00 tcp_local    +            C TCP|192.0.2.25|25|203.0.113.66|14782 SMTP
            02-Mar-2026 11:10:00.00 tcp_local    -            O TCP|192.0.2.25|5900|203.0.113.66|25 SMTP
            02-Mar-2026 11:10:01.00 tcp_local    -            C TCP|192.0.2.25|5900|203.0.113.66|25 SMTP
            """;

    public static void load(IngestEngine engine) throws Exception {
        engine.ingest(engine.createSource("test", "address"), "address.log",
                new ByteArrayInputStream(LOG.getBytes(StandardCharsets.US_ASCII)), LogOptions.auto(), new Progress());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void anAddressOutsideTheBusiestHasItsOwnFigures(String database) throws Exception {
        DataSource ds = TestDatabase.of(database);
        load(new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000));
        ConnectionQueries queries = new ConnectionQueries(JdbcClient.create(ds), new LogFileQueries(JdbcClient.create(ds)));
        TimeRange morning = new TimeRange(LocalDateTime.of(2026, 3, 2, 10, 0), LocalDateTime.of(2026, 3, 2, 12, 0));

        assertThat(queries.busiest(morning, 1)).extracting(ConnectionQueries.Address::ip).doesNotContain("203.0.113.66");
        ConnectionQueries.AddressFigures figures = queries.address(morning, "203.0.113.66");
        assertThat(figures.address()).isEqualTo(new ConnectionQueries.Address("203.0.113.66", 1, 1, 0, 0, 0));
        assertThat(figures.refusedRecipients()).isEqualTo(2);
        // the hour from 11:00: the outbound connection, no refusal
        ConnectionQueries.AddressFigures eleven = queries.address(
                new TimeRange(LocalDateTime.of(2026, 3, 2, 11, 0), LocalDateTime.of(2026, 3, 2, 12, 0)), "203.0.113.66");
        assertThat(eleven.address()).isEqualTo(new ConnectionQueries.Address("203.0.113.66", 0, 1, 0, 0, 0));
        assertThat(eleven.refusedRecipients()).isZero();
        assertThat(queries.address(morning, "192.0.2.99").refusedRecipients()).isZero();
    }
}
