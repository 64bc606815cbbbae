package com.mailtrail.message;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.ingest.ClientSystems;
import com.mailtrail.ingest.TestDatabase;
import db.migration.V22__client_systems;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A search by client (client=) finds the addresses of the matching clients in client_system (V22) and reads only the
 * recipients enqueued from those addresses (recipient.client_ip); an address without letters is sought directly. On
 * H2 and PostgreSQL its results are those of reading every row of the range, which it still does for a matching client
 * without an address.
 */
class ClientSystemsTest {

    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void theWritePathListsEachClientOnceAndItsAddressOnEveryRow(String kind) {
        DataSource ds = TestDatabase.pooled(kind);
        // two imports by one engine each: the second's clients partly known already
        TestLogs.importResource(ds, "/logs/remote.log");
        TestLogs.importGenerated(ds, GeneratorConfig.of(600, 5));
        List<String> ofRows = ClientSystems.ofRows(ds);
        assertThat(ofRows).hasSizeGreaterThan(50).contains("host.spammer.example|203.0.113.5|",
                "badhelo.example|203.0.113.6|", "client.example|10.0.0.9|");
        assertThat(ClientSystems.listed(ds)).isEqualTo(ofRows);
        assertThat(ClientSystems.assertClientIps(ds)).isGreaterThan(500);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aClientFindsWhatReadingEveryRowFinds(String kind) {
        DataSource ds = TestDatabase.pooled(kind);
        JdbcClient jdbc = JdbcClient.create(ds);
        TestLogs.importResource(ds, "/logs/remote.log");
        TestLogs.importGenerated(ds, GeneratorConfig.of(1500, 7));
        MessageQueries byIndex = new MessageQueries(jdbc);
        MessageQueries byRows = byIndex.withoutClientIndex();
        // the busiest clients first, by host and by address
        List<String> hosts = jdbc.sql("SELECT host FROM client_system WHERE host <> '' AND ip <> '' GROUP BY host "
                + "ORDER BY COUNT(*) DESC, host").query(String.class).list();
        List<String> ips = jdbc.sql("SELECT client_ip FROM recipient WHERE client_ip IS NOT NULL GROUP BY client_ip "
                + "ORDER BY COUNT(*) DESC, client_ip").query(String.class).list();
        assertThat(hosts).hasSizeGreaterThan(10);
        assertThat(ips).hasSizeGreaterThan(10);
        List<Map<String, String>> searches = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String host = hosts.get(i);
            String domain = "." + host.substring(host.indexOf('.') + 1);
            searches.add(Map.of("client", host));
            searches.add(Map.of("client", host.toUpperCase(Locale.ROOT), "status", "delivered"));
            searches.add(Map.of("client", domain));
            searches.add(Map.of("client", "*" + domain, "recipient", "@" + domain.substring(1), "size", "5"));
            searches.add(Map.of("client", ips.get(i)));
            searches.add(Map.of("client", "[" + ips.get(i) + "]", "outcome", "deferred"));
        }
        searches.add(Map.of("client", ".pinecrest-realty.example"));
        searches.add(Map.of("client", ".pinecrest-realty.example", "from", "2026-03-02T10:00", "to",
                "2026-03-02T11:00"));
        searches.add(Map.of("client", hosts.get(0), "page", "2", "size", "3", "sort", "time,asc"));
        searches.add(Map.of("client", ".example", "channel", "tcp_local", "size", "10"));
        searches.add(Map.of("client", ips.get(1), "remote", ".example", "category", "user_unknown"));
        searches.add(Map.of("client", hosts.get(2), "eventFrom", "2026-03-02T09:00", "eventTo",
                "2026-03-02T15:00", "status", "deferred"));
        searches.add(Map.of("client", hosts.get(3), "sender", "<>"));
        searches.add(Map.of("client", "host.spammer.example"));
        searches.add(Map.of("client", ".spammer.example", "status", "rejected"));
        searches.add(Map.of("client", "badhelo.example"));
        searches.add(Map.of("client", "203.0.113.66"));
        searches.add(Map.of("client", "no-such-client.example"));
        searches.add(Map.of("client", "198.51.100.254"));

        Map<Map<String, String>, List<Object>> narrowed = new LinkedHashMap<>();
        long found = 0;
        for (Map<String, String> s : searches) {
            MessageCriteria c = RemoteSearchTest.form(s).toCriteria();
            assertThat(byIndex.clientAddresses(c.client())).as("the addresses of %s", s).isNotNull();
            List<Object> r = RemoteSystemsTest.results(byIndex, c);
            assertThat(r).as("%s", s).isEqualTo(RemoteSystemsTest.results(byRows, c));
            narrowed.put(s, r);
            found += ((PageResult<?>) r.get(0)).total();
        }
        assertThat(found).isGreaterThan(500);
        assertThat(((PageResult<?>) narrowed.get(Map.of("client", ".pinecrest-realty.example")).get(0)).total())
                .isPositive();

        // A client of every host without an address (stale here: no such row): every search by name reads the rows.
        jdbc.sql("INSERT INTO client_system (host, ip, source) SELECT DISTINCT host, '', '' FROM client_system "
                + "WHERE host <> ''").update();
        for (Map<String, String> s : searches) {
            MessageCriteria c = RemoteSearchTest.form(s).toCriteria();
            if (c.client().kind() != RemoteMatch.Kind.IP && !s.get("client").startsWith("no-such")) {
                assertThat(byIndex.clientAddresses(c.client())).as("the addresses of %s", s).isNull();
            }
            assertThat(RemoteSystemsTest.results(byIndex, c)).as("%s", s).isEqualTo(narrowed.get(s));
        }
    }

    @org.junit.jupiter.api.Test
    void theNarrowingSeeksTheIndexOnH2() {
        DataSource ds = TestDatabase.pooled("h2");
        // enough rows that reading them all costs more than seeking in each bucket (H2 plans by the table's size)
        TestLogs.importGenerated(ds, 3000, 7);
        JdbcClient.create(ds).sql("ANALYZE").update();
        String plan = JdbcClient.create(ds).sql("EXPLAIN " + MessageQueries.CLIENT_IP_MESSAGES)
                .param("clientIps", List.of("203.0.113.27", "203.0.113.28")).query(String.class).single();
        assertThat(plan).containsIgnoringCase("RECIPIENT_CLIENT_IP");
    }

    /** PostgreSQL's planner, with sequential scans priced out (a test database is too small for it to choose an index). */
    @org.junit.jupiter.api.Test
    void theNarrowingCanSeekTheIndexOnPostgres() throws Exception {
        DataSource ds = TestDatabase.pooled("postgres");
        TestLogs.importGenerated(ds, 600, 7);
        StringBuilder plan = new StringBuilder();
        try (Connection c = ds.getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute("ANALYZE recipient");
            s.execute("SET enable_seqscan = off");
            try (java.sql.ResultSet rs = s.executeQuery("EXPLAIN " + MessageQueries.CLIENT_IP_MESSAGES
                    .replace(":clientIps", "'203.0.113.27', '203.0.113.28'"))) {
                while (rs.next()) {
                    plan.append(rs.getString(1)).append('\n');
                }
            }
            s.execute("RESET enable_seqscan");
        }
        assertThat(plan.toString()).contains("recipient_client_ip");
    }

    /**
     * Texts of no form the log writes, a name without an address, an address too long for its column, capitals and
     * letters outside ASCII: each client is found exactly when reading its rows finds it, by V22's backfill as by the
     * write path (the same function).
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void oddClientsAreFoundAsReadingTheRowsFindsThem(String kind) throws Exception {
        DataSource ds = TestDatabase.pooled(kind);
        JdbcClient jdbc = JdbcClient.create(ds);
        TestLogs.importGenerated(ds, GeneratorConfig.of(200, 11));
        String longIp = "192.0.2.90" + "0".repeat(120);
        // each in a domain of its own, so that no other client's missing address sends its search to the rows
        List<String> odd = List.of("helo.odd.example", "[192.0.2.77]",
                "odd (helo (mx.paren.example [192.0.2.78])",
                "x(mx.x.example [192.0.2.79]) (rdns.x.example [192.0.2.80])",
                "[foo.lit.example ([192.0.2.81])",
                "UPPER.ODD.EXAMPLE (MX.CAPS.EXAMPLE [2001:DB8::AB])",
                "h (mx.trail.example [192.0.2.82]) trailing",
                "h (mx.two.example [192.0.2.83] [192.0.2.84])",
                "mx.lone.example ([192.0.2.85])",
                "h\u00e9lo.utf.example ([192.0.2.86])",
                "h (a.long.example [" + longIp + "])",
                "[192.0.2.87] ([192.0.2.87])",
                "h (mx.sp.example  [192.0.2.88])",
                "h  (mx.sp2.example [192.0.2.89])");
        List<Long> ids = jdbc.sql("SELECT id FROM recipient WHERE enqueue_source IS NOT NULL ORDER BY id")
                .query(Long.class).list();
        assertThat(ids).hasSizeGreaterThan(odd.size() * 3);
        for (int i = 0; i < odd.size(); i++) {
            jdbc.sql("UPDATE recipient SET enqueue_source = ? WHERE id IN (?, ?)")
                    .params(odd.get(i), ids.get(i * 3), ids.get(i * 3 + 1)).update();
        }
        // what V22 makes of stored rows, here of these
        jdbc.sql("DELETE FROM client_system").update();
        jdbc.sql("UPDATE recipient SET client_ip = NULL").update();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            V22__client_systems.fill(c, 7);
            c.commit();
        }
        assertThat(ClientSystems.listed(ds)).isEqualTo(ClientSystems.ofRows(ds));
        ClientSystems.assertClientIps(ds);

        MessageQueries byIndex = new MessageQueries(jdbc);
        MessageQueries byRows = byIndex.withoutClientIndex();
        long found = 0;
        List<String> byAddress = new ArrayList<>();
        for (String term : List.of(".odd.example", "helo.odd.example", "upper.odd.example", ".paren.example",
                "mx.paren.example", "helo", "mx.x.example", ".x.example", "rdns.x.example", "x", ".lit.example",
                "foo.lit.example", "mx.caps.example", ".caps.example", "mx.trail.example", ".trail.example",
                "mx.two.example", ".two.example", "mx.lone.example", ".lone.example", ".utf.example",
                "a.long.example", ".long.example", "mx.sp.example", ".sp.example", ".sp2.example", "h", ".h",
                ".example", "192.0.2.77", "192.0.2.78", "192.0.2.79", "192.0.2.80", "192.0.2.81", "192.0.2.82",
                "192.0.2.83", "192.0.2.84", "192.0.2.85", "192.0.2.86", "192.0.2.87", "192.0.2.88", "192.0.2.89",
                "2001:db8::ab", "[2001:DB8::AB]")) {
            MessageCriteria c = RemoteSearchTest.form(Map.of("client", term)).toCriteria();
            List<Object> r = RemoteSystemsTest.results(byIndex, c);
            assertThat(r).as(term).isEqualTo(RemoteSystemsTest.results(byRows, c));
            found += ((PageResult<?>) r.get(0)).total();
            if (byIndex.clientAddresses(c.client()) != null) {
                byAddress.add(term);
            }
        }
        // the domains with no client without an address are all answered through the index
        assertThat(byAddress).contains(".paren.example", ".x.example", ".lit.example", ".caps.example",
                ".trail.example", ".two.example", ".lone.example", ".utf.example", ".sp.example", ".sp2.example");
        assertThat(found).isGreaterThan(20);
        // the direct address search, and one looked up: found by the index
        assertThat(byIndex.clientAddresses(RemoteSearchTest.form(Map.of("client", "2001:db8::ab")).toCriteria()
                .client())).containsExactly("2001:DB8::AB");
        assertThat(byIndex.clientAddresses(RemoteSearchTest.form(Map.of("client", "rdns.x.example")).toCriteria()
                .client())).containsExactly("192.0.2.80");
        // a name without an address, and one whose address is too long to index: read row by row
        assertThat(byIndex.clientAddresses(RemoteSearchTest.form(Map.of("client", "helo.odd.example")).toCriteria()
                .client())).isNull();
        assertThat(byIndex.clientAddresses(RemoteSearchTest.form(Map.of("client", "a.long.example")).toCriteria()
                .client())).isNull();
    }
}
