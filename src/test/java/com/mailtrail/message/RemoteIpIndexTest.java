package com.mailtrail.message;

import com.mailtrail.ingest.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The search by a remote server's address goes through the indexes on the addresses (V14) where it can, and still
 * finds an IPv6 address logged in capitals, which those indexes hold as logged.
 */
class RemoteIpIndexTest {

    /** The PostgreSQL databases' pools closed and the databases dropped, test by test. */
    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    private static final String LOG = """
            02-Mar-2026 10:00:00.00 100.1.1 tcp_local    tcp_local    EE 3 s@in.example rfc822;a@far.example a@far.example /q/tcp_local/001/ZZa.00 <v1@test> in.example (in.example [198.51.100.9])  TCP|192.0.2.25|25|198.51.100.9|40001 SMTP
            02-Mar-2026 10:00:01.00 100.1.1 tcp_local    tcp_local    EE 3 s@in.example rfc822;b@far.example b@far.example /q/tcp_local/001/ZZb.00 <v2@test> in.example (in.example [198.51.100.9])  TCP|192.0.2.25|25|198.51.100.9|40001 SMTP
            02-Mar-2026 10:01:00.00 200.1.1 tcp_local                 Q 3 s@in.example rfc822;a@far.example a@far.example /q/tcp_local/001/ZZa.00 <v1@test> mx1.far.example dns;mx1.far.example (TCP|192.0.2.25|5001|192.0.2.7|25) (mx1.far.example ESMTP) smtp;451 4.7.1 Greylisted TCP|192.0.2.25|5001|192.0.2.7|25 SMTP
            02-Mar-2026 10:11:00.00 200.1.2 tcp_local                 DES 3 s@in.example rfc822;a@far.example a@far.example /q/tcp_local/001/ZZa.00 <v1@test> mx2.far.example dns;mx2.far.example (TCP|192.0.2.25|5002|192.0.2.8|25) (mx2.far.example ESMTP) smtp;250 OK TCP|192.0.2.25|5002|192.0.2.8|25 SMTP
            02-Mar-2026 10:12:00.00 200.1.3 tcp_local                 DES 3 s@in.example rfc822;b@far.example b@far.example /q/tcp_local/001/ZZb.00 <v2@test> mx6.far.example dns;mx6.far.example (TCP|2001:DB8::25|5003|2001:DB8::7|25) (mx6.far.example ESMTP) smtp;250 OK TCP|2001:DB8::25|5003|2001:DB8::7|25 SMTP
            """;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void findsAnAddressThroughTheIndexesAndAnIpv6AddressInAnyCase(String kind) {
        DataSource ds = TestDatabase.pooled(kind);
        TestLogs.importText(ds, "mail.log", LOG);
        MessageQueries queries = new MessageQueries(JdbcClient.create(ds));

        // an earlier outcome (an attempt row) and a last one (the recipient's row)
        assertThat(ids(queries, Map.of("remote", "192.0.2.7"))).containsExactly("<v1@test>");
        assertThat(ids(queries, Map.of("remote", "192.0.2.8"))).containsExactly("<v1@test>");
        assertThat(ids(queries, Map.of("remote", "192.0.2.8", "outcome", "deferred"))).isEmpty();
        // logged in capitals, typed in lower case (or the other way): found, its address as logged taken from
        // remote_system (V21)
        assertThat(ids(queries, Map.of("remote", "2001:db8::7"))).containsExactly("<v2@test>");
        assertThat(ids(queries, Map.of("remote", "[2001:DB8::7]"))).containsExactly("<v2@test>");
    }

    @Test
    void theNarrowingSeeksTheIndexesOnH2() {
        DataSource ds = TestDatabase.pooled("h2");
        // enough rows that reading them all costs more than seeking in each bucket (H2 plans by the table's size)
        TestLogs.importGenerated(ds, 3000, 7);
        JdbcClient.create(ds).sql("ANALYZE").update();
        String plan = JdbcClient.create(ds).sql("EXPLAIN " + MessageQueries.REMOTE_IP_MESSAGES)
                .param("remoteIps", java.util.List.of("192.0.2.7", "192.0.2.8")).query(String.class).single();
        assertThat(plan).containsIgnoringCase("RECIPIENT_REMOTE_IP").containsIgnoringCase("ATTEMPT_REMOTE_IP");
    }

    private static java.util.List<String> ids(MessageQueries queries, Map<String, String> search) {
        return queries.search(RemoteSearchTest.form(search).toCriteria()).items().stream()
                .map(MessageSummary::messageId).toList();
    }
}
