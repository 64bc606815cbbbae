package com.mailtrail.message;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.ingest.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A search by a remote host name or domain (or an IPv6 address with letters) finds the addresses of the matching hosts
 * in remote_system (V21) and reads only the outcomes at those addresses; on H2 and PostgreSQL, its results are those of
 * reading every row, which it still does when a matching host has an outcome without an address.
 */
class RemoteSystemsTest {

    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    /** Every (host, address) pair of a stored outcome, '' for a missing part, as V21 and the write path list them. */
    static final String PAIRS_OF_ROWS = "SELECT COALESCE(last_remote_host, '') || ' ' || COALESCE(last_remote_ip, '') "
            + "FROM recipient WHERE last_remote_host IS NOT NULL OR last_remote_ip IS NOT NULL "
            + "UNION SELECT COALESCE(remote_host, '') || ' ' || COALESCE(remote_ip, '') FROM attempt "
            + "WHERE outcome <> 'enqueued' AND (remote_host IS NOT NULL OR remote_ip IS NOT NULL)";

    static Set<String> pairs(JdbcClient jdbc) {
        List<String> listed = jdbc.sql("SELECT host || ' ' || ip FROM remote_system").query(String.class).list();
        assertThat(listed).as("each pair once").doesNotHaveDuplicates();
        return new TreeSet<>(listed);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void theWritePathListsEachRemoteSystemOfItsOutcomesOnce(String kind) {
        DataSource ds = TestDatabase.pooled(kind);
        JdbcClient jdbc = JdbcClient.create(ds);
        // two imports by one engine each: the second's pairs are mostly known already
        TestLogs.importResource(ds, "/logs/remote.log");
        TestLogs.importGenerated(ds, GeneratorConfig.of(600, 5));
        Set<String> ofRows = new TreeSet<>(jdbc.sql(PAIRS_OF_ROWS).query(String.class).list());
        assertThat(ofRows).hasSizeGreaterThan(20)
                .contains("mx1.bigisp.example 192.0.2.7", "MX1.BIGISP.EXAMPLE 192.0.2.7", "mx2.bigisp.example 192.0.2.8",
                        " 203.0.113.66");
        assertThat(pairs(jdbc)).isEqualTo(ofRows);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aHostOrDomainFindsWhatReadingEveryRowFinds(String kind) {
        DataSource ds = TestDatabase.pooled(kind);
        JdbcClient jdbc = JdbcClient.create(ds);
        TestLogs.importResource(ds, "/logs/remote.log");
        TestLogs.importGenerated(ds, GeneratorConfig.of(1500, 7));
        MessageQueries queries = new MessageQueries(jdbc);
        // the busiest hosts first
        List<String> hosts = jdbc.sql("SELECT last_remote_host FROM recipient WHERE last_remote_host IS NOT NULL "
                + "GROUP BY last_remote_host ORDER BY COUNT(*) DESC, last_remote_host").query(String.class).list();
        assertThat(hosts).hasSizeGreaterThan(10);
        List<Map<String, String>> searches = new ArrayList<>();
        for (String host : hosts.subList(0, 6)) {
            searches.add(Map.of("remote", host));
            searches.add(Map.of("remote", host.toUpperCase(java.util.Locale.ROOT), "outcome", "deferred"));
            searches.add(Map.of("remote", "." + host.substring(host.indexOf('.') + 1)));
        }
        searches.add(Map.of("remote", "mx1.bigisp.example"));
        searches.add(Map.of("remote", ".bigisp.example", "status", "delivered"));
        searches.add(Map.of("remote", "*.bigisp.example", "outcome", "deferred"));
        searches.add(Map.of("remote", ".example", "from", "2026-03-02T10:00", "to", "2026-03-02T11:00"));
        searches.add(Map.of("remote", "." + hosts.get(3).substring(hosts.get(3).indexOf('.') + 1), "page", "2",
                "size", "3", "sort", "time,asc"));
        searches.add(Map.of("remote", hosts.get(4), "category", "user_unknown", "channel", "tcp_local"));
        searches.add(Map.of("remote", hosts.get(5), "eventFrom", "2026-03-02T09:00", "eventTo",
                "2026-03-02T15:00", "status", "deferred"));
        searches.add(Map.of("remote", "no-such-host.example"));
        searches.add(Map.of("remote", ".nowhere.example", "client", ".example"));

        Map<Map<String, String>, List<Object>> narrowed = new LinkedHashMap<>();
        long found = 0;
        for (Map<String, String> s : searches) {
            MessageCriteria c = RemoteSearchTest.form(s).toCriteria();
            assertThat(queries.remoteAddresses(c.remote())).as("the addresses of %s", s).isNotNull();
            narrowed.put(s, results(queries, c));
            found += ((PageResult<?>) narrowed.get(s).get(0)).total();
        }
        assertThat(found).isGreaterThan(300);

        // An outcome of every host without an address (stale here: no such row): every search reads the rows again.
        jdbc.sql("INSERT INTO remote_system (host, ip) SELECT DISTINCT host, '' FROM remote_system WHERE host <> ''")
                .update();
        for (Map<String, String> s : searches) {
            MessageCriteria c = RemoteSearchTest.form(s).toCriteria();
            if (!s.get("remote").startsWith("no-such") && !s.get("remote").startsWith(".nowhere")) {
                assertThat(queries.remoteAddresses(c.remote())).as("the addresses of %s", s).isNull();
            }
            assertThat(results(queries, c)).as("%s", s).isEqualTo(narrowed.get(s));
        }
    }

    /**
     * A search's page, its counts and every message in the CSV's order (MessageQueries.after), ids in order: what two
     * ways of answering a search must agree on (ClientSystemsTest too).
     */
    static List<Object> results(MessageQueries queries, MessageCriteria c) {
        PageResult<MessageSummary> page = queries.search(c);
        List<Long> all = new ArrayList<>();
        MessageSummary last = null;
        while (true) {
            List<MessageSummary> next = queries.after(c, last, 7);
            next.forEach(m -> all.add(m.id()));
            if (next.size() < 7) {
                break;
            }
            last = next.get(next.size() - 1);
        }
        return List.of(new PageResult<>(page.total(), page.recipients(), page.outcomes(), page.page(), page.size(),
                page.items().stream().map(MessageSummary::id).toList()), all);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void stalePairsAndOutcomesWithoutAnAddressChangeNoResult(String kind) {
        DataSource ds = TestDatabase.pooled(kind);
        JdbcClient jdbc = JdbcClient.create(ds);
        TestLogs.importResource(ds, "/logs/remote.log");
        // a dns; host without an address (a failed connection): only reading the rows finds it
        TestLogs.importText(ds, "down.log", """
                02-Mar-2026 13:00:00.00 100.7.1 tcp_local    tcp_local    EE 3 s@in.example rfc822;g@down.example g@down.example /q/tcp_local/007/ZZg.00 <r7@test> client.example (client.example [10.0.0.9])  TCP|192.0.2.25|25|10.0.0.9|40007 SMTP
                02-Mar-2026 13:01:00.00 200.7.1 tcp_local                 Q 3 s@in.example rfc822;g@down.example g@down.example /q/tcp_local/007/ZZg.00 <r7@test> mx.down.example dns;mx.down.example (TCP active open: Failed connect()  Error: Connection refused)
                02-Mar-2026 13:02:00.00 100.8.1 tcp_local    tcp_local    EE 3 s@in.example rfc822;h@v6.example h@v6.example /q/tcp_local/008/ZZh.00 <r8@test> client.example (client.example [10.0.0.9])  TCP|192.0.2.25|25|10.0.0.9|40008 SMTP
                02-Mar-2026 13:03:00.00 200.8.1 tcp_local                 DES 3 s@in.example rfc822;h@v6.example h@v6.example /q/tcp_local/008/ZZh.00 <r8@test> mx.v6.example dns;mx.v6.example (TCP|2001:DB8::25|5008|2001:DB8::7|25) (mx.v6.example ESMTP) smtp;250 OK TCP|2001:DB8::25|5008|2001:DB8::7|25 SMTP
                """);
        MessageQueries queries = new MessageQueries(jdbc);
        // mx1.bigisp.example listed at mx1.other.example's address too: that outcome is read, and is not its
        jdbc.sql("INSERT INTO remote_system (host, ip) VALUES ('mx1.bigisp.example', '198.51.100.1')").update();
        assertThat(queries.remoteAddresses(RemoteSearchTest.form(Map.of("remote", "mx1.bigisp.example")).toCriteria()
                .remote())).containsExactlyInAnyOrder("192.0.2.7", "198.51.100.1");
        assertFound(queries, Map.of("remote", "mx1.bigisp.example"), "<r4@test>", "<r2@test>", "<r1@test>");
        assertFound(queries, Map.of("remote", ".bigisp.example"), "<r4@test>", "<r2@test>", "<r1@test>");

        assertThat(pairs(jdbc)).contains("mx.down.example ", "mx.v6.example 2001:DB8::7");
        assertThat(queries.remoteAddresses(RemoteSearchTest.form(Map.of("remote", ".down.example")).toCriteria()
                .remote())).isNull();
        assertFound(queries, Map.of("remote", "mx.down.example"), "<r7@test>");
        assertFound(queries, Map.of("remote", ".down.example", "outcome", "deferred"), "<r7@test>");
        // an IPv6 address logged in capitals, searched in lower case: its address as logged, through the index
        assertThat(queries.remoteAddresses(RemoteSearchTest.form(Map.of("remote", "2001:db8::7")).toCriteria()
                .remote())).containsExactly("2001:DB8::7");
        assertFound(queries, Map.of("remote", "2001:db8::7"), "<r8@test>");
        assertFound(queries, Map.of("remote", "[2001:DB8::7]"), "<r8@test>");
        assertFound(queries, Map.of("remote", ".v6.example"), "<r8@test>");
    }

    private static void assertFound(MessageQueries queries, Map<String, String> search, String... ids) {
        PageResult<MessageSummary> r = queries.search(RemoteSearchTest.form(search).toCriteria());
        assertThat(r.items()).extracting(MessageSummary::messageId).as("%s", search).containsExactly(ids);
        assertThat(r.total()).as("%s", search).isEqualTo(ids.length);
    }
}
