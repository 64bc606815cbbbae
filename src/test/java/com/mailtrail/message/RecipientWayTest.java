package com.mailtrail.message;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.ingest.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recipient address is searched either through its indexes (its recipients first) or by time (the messages of the
 * time searched, each tested through its recipients), whichever reads less: both ways give the same page, counts and
 * CSV for every kind of address and range, with the other conditions on the same recipient; and the choice follows
 * the counts, by time for the site's own domain over an hour, by address for a rare address.
 */
class RecipientWayTest {

    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    /** A search form from its parameters (the recipient's among them). */
    private static MessageCriteria criteria(Map<String, String> v) {
        return new SearchForm(null, v.get("recipient"), null, v.get("from"), v.get("to"), v.get("status"),
                v.get("channel"), v.get("category"), null, v.get("size"), v.get("sort"), null, null, null,
                v.get("outcome"), v.get("eventFrom"), v.get("eventTo"), null, null, null).toCriteria();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void bothWaysFindTheSameAndTheCountsChooseTheCheaper(String kind) {
        DataSource ds = TestDatabase.pooled(kind);
        TestLogs.importGenerated(ds, GeneratorConfig.of(400, 3));
        JdbcClient jdbc = JdbcClient.create(ds);
        MessageQueries auto = new MessageQueries(jdbc);
        MessageQueries byAddress = auto.recipientsBy(MessageQueries.RecipientWay.BY_ADDRESS);
        MessageQueries byTime = auto.recipientsBy(MessageQueries.RecipientWay.BY_TIME);
        String busiest = jdbc.sql("SELECT active_search FROM recipient WHERE active_search IS NOT NULL "
                + "GROUP BY active_search ORDER BY COUNT(*) DESC, active_search").query(String.class).list().get(0);
        String rare = jdbc.sql("SELECT address_search FROM recipient WHERE address_search IS NOT NULL "
                + "GROUP BY address_search ORDER BY COUNT(*), address_search").query(String.class).list().get(0);
        List<String> recipients = List.of("@example.com", "@example.org", busiest, rare, "a*", "liam*");
        List<Map<String, String>> ranges = List.of(Map.of(),
                Map.of("from", "2026-03-02T10:00", "to", "2026-03-02T11:00"),
                Map.of("from", "2026-03-02T00:00", "to", "2026-03-03T00:00"),
                Map.of("from", "2026-03-02T12:00", "sort", "time,asc"),
                Map.of("eventFrom", "2026-03-02T06:00", "eventTo", "2026-03-02T12:00"));
        List<Map<String, String>> others = List.of(Map.of(), Map.of("status", "deferred", "channel", "tcp_local"),
                Map.of("category", "timeout"),
                Map.of("outcome", "deferred", "eventFrom", "2026-03-02T09:00", "eventTo", "2026-03-02T15:00"));
        int found = 0;
        for (String recipient : recipients) {
            for (Map<String, String> range : ranges) {
                for (Map<String, String> other : others) {
                    Map<String, String> search = new HashMap<>(range);
                    search.putAll(other);
                    search.put("recipient", recipient);
                    search.put("size", "10");
                    MessageCriteria c = criteria(search);
                    List<Object> expected = RemoteSystemsTest.results(byAddress, c);
                    assertThat(RemoteSystemsTest.results(byTime, c)).as("%s by time", search).isEqualTo(expected);
                    assertThat(RemoteSystemsTest.results(auto, c)).as("%s", search).isEqualTo(expected);
                    found += auto.search(c).total() > 0 ? 1 : 0;
                }
            }
        }
        assertThat(found).as("searches that found messages").isGreaterThan(25);

        // the site's own domain over an hour: by time; a rare address over the day, or a domain over all: by address
        assertThat(auto.statements(criteria(Map.of("recipient", "@example.com", "from", "2026-03-02T10:00",
                "to", "2026-03-02T11:00")), true).page()).contains(TESTED);
        assertThat(auto.statements(criteria(Map.of("recipient", "@example.com", "eventFrom", "2026-03-02T06:00",
                "eventTo", "2026-03-02T07:00")), true).page()).as("a dashboard bar's hour").contains(TESTED);
        for (Map<String, String> search : List.of(Map.of("recipient", rare, "from", "2026-03-02T00:00",
                "to", "2026-03-03T00:00"), Map.of("recipient", "@example.org"))) {
            assertThat(auto.statements(criteria(search), true).page()).as("%s", search).doesNotContain(TESTED)
                    .contains("m.id IN (SELECT x.message_ref");
        }
        MessageCriteria hour = criteria(Map.of("recipient", "@example.com", "from", "2026-03-02T10:00",
                "to", "2026-03-02T11:00"));
        assertThat(auto.afterStatement(hour, null, 500).page()).contains(TESTED);
        // the CSV chooses once for all its pages
        assertThat(auto.choosingOnceFor(hour).afterStatement(hour, null, 500).page()).contains(TESTED);
        assertThat(auto.choosingOnceFor(criteria(Map.of("recipient", rare))).afterStatement(
                criteria(Map.of("recipient", rare)), null, 500).page()).doesNotContain(TESTED);
    }

    private static final String TESTED = "EXISTS (SELECT 1 FROM recipient r WHERE r.message_ref = m.id AND";
}
