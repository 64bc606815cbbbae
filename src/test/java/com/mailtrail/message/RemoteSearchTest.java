package com.mailtrail.message;

import com.mailtrail.ingest.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The search by remote system, on H2 and PostgreSQL: the server an outcome was with (remote) and the client an
 * enqueue came from (client), alone and with the other criteria, over logs/remote.log (five messages: see there).
 */
class RemoteSearchTest {

    /** The PostgreSQL databases' pools closed and the databases dropped, test by test. */
    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void findsMessagesByTheServerOfAnOutcomeAndTheClientOfTheEnqueue(String kind) {
        DataSource ds = TestDatabase.pooled(kind);
        TestLogs.importResource(ds, "/logs/remote.log");
        MessageQueries queries = new MessageQueries(JdbcClient.create(ds));

        // an address: the last outcome (a's D, c's Q) and a host logged in capitals (e's D); not 192.0.2.70
        assertFound(queries, Map.of("remote", "192.0.2.7"), 3, 3, 3, "<r4@test>", "<r2@test>", "<r1@test>");
        assertFound(queries, Map.of("remote", "[192.0.2.7]"), 3, 3, 3, "<r4@test>", "<r2@test>", "<r1@test>");
        // an earlier outcome, kept as an attempt row (b deferred there, then delivered elsewhere)
        assertFound(queries, Map.of("remote", "192.0.2.8"), 1, 1, 1, "<r1@test>");
        assertFound(queries, Map.of("remote", "mx1.bigisp.example"), 3, 3, 3, "<r4@test>", "<r2@test>", "<r1@test>");
        assertFound(queries, Map.of("remote", "MX2.BigISP.example"), 1, 1, 1, "<r1@test>");
        // every host in the domain, not mx.notbigisp.example
        assertFound(queries, Map.of("remote", ".bigisp.example"), 3, 4, 4, "<r4@test>", "<r2@test>", "<r1@test>");
        assertFound(queries, Map.of("remote", "*.bigisp.example"), 3, 4, 4, "<r4@test>", "<r2@test>", "<r1@test>");
        // the same outcome: deferred by bigisp (b, c), not delivered there
        assertFound(queries, Map.of("remote", ".bigisp.example", "outcome", "deferred"), 2, 2, 2, "<r2@test>",
                "<r1@test>");
        // the recipient's status, and an outcome of it from there: b was delivered after bigisp deferred it
        assertFound(queries, Map.of("remote", ".bigisp.example", "status", "delivered"), 2, 3, 3, "<r4@test>",
                "<r1@test>");
        assertFound(queries, Map.of("remote", ".bigisp.example", "status", "deferred"), 1, 1, 1, "<r2@test>");
        assertFound(queries, Map.of("remote", ".bigisp.example", "from", "2026-03-02T10:00",
                "to", "2026-03-02T10:03"), 1, 2, 2, "<r1@test>");
        assertFound(queries, Map.of("remote", "192.0.2.7", "channel", "tcp_local", "eventFrom", "2026-03-02T10:02",
                "eventTo", "2026-03-02T11:00"), 1, 1, 1, "<r2@test>");
        assertFound(queries, Map.of("remote", ".bigisp.example", "category", "user_unknown"), 0, 0, 0);
        assertFound(queries, Map.of("remote", "mx.notbigisp.example", "category", "user_unknown"), 1, 1, 1, "<r5@test>");
        assertFound(queries, Map.of("remote", "192.0.2.9"), 0, 0, 0);

        // the client: the address in the last brackets (not m4's HELO literal, not 203.0.113.50)
        assertFound(queries, Map.of("client", "203.0.113.5"), 1, 2, null, "<r1@test>");
        assertFound(queries, Map.of("client", "host.spammer.example"), 1, 2, null, "<r1@test>");
        assertFound(queries, Map.of("client", ".spammer.example"), 1, 2, null, "<r1@test>");
        // the HELO name where the address has no reverse name
        assertFound(queries, Map.of("client", "badhelo.example"), 1, 1, null, "<r2@test>");
        assertFound(queries, Map.of("client", "203.0.113.6"), 1, 1, null, "<r2@test>");
        assertFound(queries, Map.of("client", "client.example"), 1, 1, null, "<r4@test>");
        // '_' is a letter of the name, not LIKE's any character
        assertFound(queries, Map.of("client", "mx_5.notspammer.example"), 1, 1, null, "<r5@test>");
        assertFound(queries, Map.of("client", "mxx5.notspammer.example"), 0, 0, null);
        assertFound(queries, Map.of("client", "spamhelo"), 0, 0, null);
        assertFound(queries, Map.of("client", ".example"), 5, 6, null, "<r5@test>", "<r4@test>", "<r3@test>",
                "<r2@test>", "<r1@test>");
        assertFound(queries, Map.of("client", "mail.partner.example", "remote", "mx.partner.example"), 1, 1, 1,
                "<r3@test>");
        assertFound(queries, Map.of("client", "203.0.113.5", "remote", "192.0.2.8"), 1, 1, 1, "<r1@test>");
        assertFound(queries, Map.of("client", "203.0.113.5", "status", "bounced"), 0, 0, null);
    }

    /** Each enqueue names the client it came from on the message page, by the rules the search by client uses. */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void theMessageNamesTheClientOfEachEnqueue(String kind) {
        DataSource ds = TestDatabase.pooled(kind);
        TestLogs.importResource(ds, "/logs/remote.log");
        MessageQueries queries = new MessageQueries(JdbcClient.create(ds));
        JdbcClient jdbc = JdbcClient.create(ds);
        // the reverse name; the HELO name where the address has none; not the HELO's address literal
        assertClient(queries, jdbc, "<r1@test>", "host.spammer.example", "203.0.113.5");
        assertClient(queries, jdbc, "<r2@test>", "badhelo.example", "203.0.113.6");
        assertClient(queries, jdbc, "<r4@test>", "client.example", "10.0.0.9");
    }

    private static void assertClient(MessageQueries queries, JdbcClient jdbc, String messageId, String host,
                                     String ip) {
        long id = jdbc.sql("SELECT id FROM message WHERE message_id = ?").param(messageId).query(Long.class).single();
        MessageDetail.Leg first = queries.message(id).recipients().get(0).legs().get(0);
        assertThat(first.clientHost()).as(messageId).isEqualTo(host);
        assertThat(first.clientIp()).as(messageId).isEqualTo(ip);
    }

    @Test
    void refusesWhatIsNeitherAnAddressNorAHostName() {
        for (String bad : new String[]{"192.0.2", "192.0.2.256", "1.2.3.4.5", "2001:db8::7::1", "2001:dg8::1",
                "mx1.bigisp.example;drop", "mx*.bigisp.example", "a b", ".", "*.", "host..example", "%", "bob@x"}) {
            assertThatThrownBy(() -> form(Map.of("remote", bad)).toCriteria()).as(bad)
                    .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("remote");
            assertThatThrownBy(() -> form(Map.of("client", bad)).toCriteria()).as(bad)
                    .isInstanceOf(InvalidParameterException.class).hasMessageStartingWith("client");
        }
        assertThat(form(Map.of("remote", " 2001:DB8::7 ")).toCriteria().remote())
                .isEqualTo(new RemoteMatch(RemoteMatch.Kind.IP, "2001:db8::7"));
        assertThat(form(Map.of("remote", "::ffff:192.0.2.7")).toCriteria().remote().kind())
                .isEqualTo(RemoteMatch.Kind.IP);
        assertThat(form(Map.of("client", "*.Spammer.example")).toCriteria().client())
                .isEqualTo(new RemoteMatch(RemoteMatch.Kind.DOMAIN, "spammer.example"));
    }

    private static void assertFound(MessageQueries queries, Map<String, String> search, long messages,
                                    long recipients, Integer outcomes, String... ids) {
        PageResult<MessageSummary> r = queries.search(form(search).toCriteria());
        assertThat(r.total()).as("messages of %s", search).isEqualTo(messages);
        assertThat(r.recipients()).as("recipients of %s", search).isEqualTo(recipients);
        assertThat(r.outcomes()).as("outcomes of %s", search).isEqualTo(outcomes == null ? null : (long) outcomes);
        assertThat(r.items()).extracting(MessageSummary::messageId).as("%s", search).containsExactly(ids);
    }

    static SearchForm form(Map<String, String> p) {
        Map<String, String> v = new LinkedHashMap<>(p);
        return new SearchForm(null, null, null, v.get("from"), v.get("to"), v.get("status"), v.get("channel"),
                v.get("category"), v.get("page"), v.get("size"), v.get("sort"), null, null, null, v.get("outcome"),
                v.get("eventFrom"), v.get("eventTo"), null, null, null, v.get("remote"), v.get("client"));
    }
}
