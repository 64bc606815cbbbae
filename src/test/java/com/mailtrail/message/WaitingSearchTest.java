package com.mailtrail.message;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.ingest.TestDatabase;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A search for waiting mail (status deferred, queued or waiting) finds its messages through the index on
 * recipient.status (V17) and returns what the search led by the messages' time returned: the same messages, totals,
 * order and pages, alone and with every other condition.
 */
class WaitingSearchTest {

    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    private static DataSource generated(String kind, int messages) {
        DataSource ds = TestDatabase.pooled(kind);
        TestLogs.importGenerated(ds, messages, 11);
        // the next day from another seed, as another source: the search by source tells them apart
        TestLogs.importGenerated(ds, new GeneratorConfig(messages / 4, 12, null, 1, LocalDate.of(2026, 3, 3)));
        // Recipients still queued at the log's end, which a generated day hardly has: beside a delivered one (the
        // message's status is queued) and beside a bounced one (the message's status is bounced, its recipient's
        // queued all the same).
        TestLogs.importText(ds, "queued.log", """
                03-Mar-2026 23:50:00.00 tcp_local    tcp_local    E 1 ann@x.test rfc822;bob@y.test bob@y.test \
                imta/queue/tcp_local/ZZ01A.00 <a@x.test>
                03-Mar-2026 23:50:00.00 tcp_local    tcp_local    E 1 ann@x.test rfc822;cy@y.test cy@y.test \
                imta/queue/tcp_local/ZZ01A.00 <a@x.test>
                03-Mar-2026 23:50:04.00 tcp_local                 D 1 ann@x.test rfc822;bob@y.test bob@y.test \
                imta/queue/tcp_local/ZZ01A.00 <a@x.test> dns;mx.y.test (TCP|192.0.2.1|2788|192.0.2.2|25) smtp;250 ok
                03-Mar-2026 23:55:00.00 tcp_local    tcp_local    E 1 dee@x.test rfc822;eli@y.test eli@y.test \
                imta/queue/tcp_local/ZZ01B.00 <b@x.test>
                03-Mar-2026 23:55:00.00 tcp_local    tcp_local    E 1 dee@x.test rfc822;flo@y.test flo@y.test \
                imta/queue/tcp_local/ZZ01B.00 <b@x.test>
                03-Mar-2026 23:55:05.00 tcp_local                 R 1 dee@x.test rfc822;eli@y.test eli@y.test \
                imta/queue/tcp_local/ZZ01B.00 <b@x.test> dns;mx.y.test (TCP|192.0.2.1|2788|192.0.2.2|25) \
                smtp;550 5.1.1 unknown user
                """);
        return ds;
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void findsWhatTheSearchByTimeFound(String kind) {
        DataSource ds = generated(kind, 600);
        JdbcClient jdbc = JdbcClient.create(ds);
        MessageQueries byIndex = new MessageQueries(jdbc);
        MessageQueries byTime = byIndex.withoutStatusIndex();

        // values of the data's own waiting recipients, so that the combined searches find something
        Map<String, Object> w = jdbc.sql("SELECT r.domain, COALESCE(r.active_domain, r.domain) AS delivered, "
                        + "r.last_channel, r.last_category, r.last_remote_ip, r.enqueue_source, r.address_search, "
                        + "r.enqueued, m.sender_domain, m.message_id, m.first_seen FROM recipient r "
                        + "JOIN message m ON m.id = r.message_ref WHERE r.status = 'deferred' "
                        + "AND r.last_category IS NOT NULL AND r.last_remote_ip IS NOT NULL "
                        + "AND r.enqueue_source IS NOT NULL AND m.message_id IS NOT NULL ORDER BY r.id")
                .query().listOfRows().get(0);
        LocalDateTime seen = time(w.get("first_seen"));
        LocalDateTime enqueued = time(w.get("enqueued"));
        String day = seen.toLocalDate().toString();
        String hour = seen.withMinute(0).withSecond(0).withNano(0).toString();
        String hourEnd = seen.withMinute(0).withSecond(0).withNano(0).plusHours(1).toString();
        long source = jdbc.sql("SELECT MAX(id) FROM log_source").query(Long.class).single();
        String address = (String) w.get("address_search");

        List<String> combined = List.of("",
                "sort=time,asc",
                "from=" + day + "&to=" + day,
                "from=" + hour + "&to=" + hourEnd,
                "recipient=" + address,
                "recipient=" + address.substring(0, 3) + "*",
                "recipient=@" + w.get("domain"),
                "sender=@" + w.get("sender_domain"),
                "deliveredTo=" + w.get("delivered"),
                "deliveredTo=@",
                "messageId=" + w.get("message_id"),
                "channel=" + w.get("last_channel"),
                "category=" + w.get("last_category"),
                "outcome=deferred",
                "outcome=delivered",
                "outcome=deferred&channel=" + w.get("last_channel") + "&from=" + day + "&to=" + day,
                "eventFrom=" + hour + "&eventTo=" + hourEnd,
                "outcome=deferred&eventFrom=" + hour + "&eventTo=" + hourEnd,
                "enqueuedFrom=" + enqueued.minusHours(2) + "&enqueuedTo=" + enqueued.plusMinutes(1),
                "enqueuedTo=" + enqueued.plusMinutes(1) + "&sort=time,asc",
                "remote=" + w.get("last_remote_ip"),
                "client=" + w.get("enqueue_source").toString().replaceAll(".*\\[|\\].*", ""),
                "source=" + source,
                "attempts=2",
                "delay=<1m");
        SoftAssertions soft = new SoftAssertions();
        int found = 0;
        for (String status : List.of("deferred", "queued", "waiting")) {
            for (String more : combined) {
                String query = "status=" + status + (more.isEmpty() ? "" : "&" + more);
                for (String page : List.of("0", "1")) {
                    MessageCriteria c = form(query + "&size=7&page=" + page).toCriteria();
                    PageResult<MessageSummary> expected = byTime.search(c);
                    PageResult<MessageSummary> actual = byIndex.search(c);
                    soft.assertThat(actual.total()).as(query + " total").isEqualTo(expected.total());
                    soft.assertThat(actual.recipients()).as(query + " recipients").isEqualTo(expected.recipients());
                    soft.assertThat(actual.outcomes()).as(query + " outcomes").isEqualTo(expected.outcomes());
                    soft.assertThat(ids(actual.items())).as(query + " page " + page)
                            .isEqualTo(ids(expected.items()));
                    found += page.equals("0") && expected.total() > 0 ? 1 : 0;
                }
                // the CSV's keyset paging, pages of 5
                MessageCriteria c = form(query).toCriteria();
                soft.assertThat(ids(everything(byIndex, c))).as(query + " after").isEqualTo(ids(everything(byTime, c)));
            }
        }
        soft.assertAll();
        // most of the combined searches find messages (not all: a delay or attempts count is no waiting recipient's)
        assertThat(found).isGreaterThan(combined.size() * 3 / 2);
    }

    /** Against the rows themselves, read without the search: the messages with a recipient of the status. */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void findsTheMessagesWithARecipientOfTheStatus(String kind) {
        DataSource ds = generated(kind, 600);
        JdbcClient jdbc = JdbcClient.create(ds);
        Map<Long, Set<String>> statuses = new HashMap<>();
        jdbc.sql("SELECT message_ref, status FROM recipient").query(rs -> {
            statuses.computeIfAbsent(rs.getLong(1), k -> new TreeSet<>()).add(rs.getString(2));
        });
        Map<Long, LocalDateTime> seen = new LinkedHashMap<>();
        jdbc.sql("SELECT id, first_seen FROM message").query(rs -> {
            seen.put(rs.getLong(1), rs.getTimestamp(2).toLocalDateTime());
        });
        Comparator<Long> newestFirst = Comparator.<Long, LocalDateTime>comparing(seen::get).thenComparing(id -> id)
                .reversed();
        MessageQueries queries = new MessageQueries(jdbc);
        for (String status : List.of("deferred", "queued", "waiting")) {
            Set<String> wanted = status.equals("waiting") ? Set.of("deferred", "queued") : Set.of(status);
            List<Long> expected = seen.keySet().stream()
                    .filter(id -> statuses.getOrDefault(id, Set.of()).stream().anyMatch(wanted::contains))
                    .sorted(newestFirst).toList();
            assertThat(expected).as(status).isNotEmpty();
            MessageCriteria c = form("status=" + status).toCriteria();
            assertThat(queries.search(c).total()).as(status).isEqualTo(expected.size());
            assertThat(ids(everything(queries, c))).as(status).isEqualTo(expected);
        }
    }

    @Test
    void searchesTheWaitingThroughTheIndexOnH2() {
        // enough rows that reading them all costs more than seeking (H2 plans by the table's size)
        DataSource ds = generated("h2", 3000);
        JdbcClient jdbc = JdbcClient.create(ds);
        jdbc.sql("ANALYZE").update();
        assertThat(jdbc.sql("EXPLAIN " + MessageQueries.WAITING_MESSAGES).param("statuses", List.of("deferred"))
                .query(String.class).single()).containsIgnoringCase("RECIPIENT_STATUS");
        MessageQueries queries = new MessageQueries(jdbc);
        LocalDateTime first = time(jdbc.sql("SELECT MIN(first_seen) FROM message").query().singleValue());
        String day = first.toLocalDate().toString();
        for (String query : List.of("status=deferred", "status=queued", "status=waiting",
                "status=waiting&from=" + day + "&to=" + day, "status=deferred&outcome=deferred",
                "status=waiting&enqueuedTo=" + first.plusHours(12), "status=deferred&channel=tcp_local")) {
            MessageQueries.Statements s = queries.statements(form(query).toCriteria(), true);
            MessageQueries.Statements csv = queries.afterStatement(form(query).toCriteria(),
                    queries.search(form(query).toCriteria()).items().get(0), 500);
            for (String[] sql : new String[][]{{s.count(), "count"}, {s.page(), "page"}, {csv.page(), "CSV"}}) {
                String plan = jdbc.sql("EXPLAIN " + sql[0]).params(sql[1].equals("CSV") ? csv.params() : s.params())
                        .query(String.class).single();
                // the messages sought by key, not every message of the range read by its time
                assertThat(plan).as(query + " " + sql[1]).containsPattern("PRIMARY_KEY_\\w+: ID IN\\(")
                        .doesNotContain("MESSAGE_FIRST_SEEN");
            }
        }
    }

    /**
     * A test database is small enough that PostgreSQL's planner reads it whole, as it should: with sequential scans
     * priced out, the plan shows the search can be answered through the index. (The search by time used the index
     * too there, in a hashed subplan, but as a filter of every message read through the index on first_seen.)
     */
    @Test
    void canSearchTheWaitingThroughTheIndexOnPostgres() throws SQLException {
        DataSource ds = generated("postgres", 600);
        JdbcClient jdbc = JdbcClient.create(ds);
        MessageQueries queries = new MessageQueries(jdbc);
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("ANALYZE");
        }
        assertThat(explainWithoutSeqscan(ds, MessageQueries.WAITING_MESSAGES, Map.of("statuses", List.of("deferred"))))
                .contains("recipient_status");
        for (String query : List.of("status=deferred", "status=waiting", "status=queued&sort=time,asc")) {
            MessageQueries.Statements s = queries.statements(form(query).toCriteria(), true);
            for (String sql : List.of(s.count(), s.page())) {
                // the messages by key, not every message by its time (filtered each)
                assertThat(explainWithoutSeqscan(ds, sql, s.params())).as(query + ": " + sql).contains("message_pkey")
                        .doesNotContain("message_first_seen");
            }
        }
    }

    private static String explainWithoutSeqscan(DataSource ds, String sql, Map<String, Object> params)
            throws SQLException {
        try (Connection c = ds.getConnection()) {
            var one = new org.springframework.jdbc.datasource.SingleConnectionDataSource(c, true);
            JdbcClient jdbc = JdbcClient.create(one);
            jdbc.sql("SET enable_seqscan = off").update();
            try {
                return String.join("\n", jdbc.sql("EXPLAIN " + sql).params(params).query(String.class).list());
            } finally {
                jdbc.sql("RESET enable_seqscan").update();
            }
        }
    }

    private static LocalDateTime time(Object value) {
        return value instanceof LocalDateTime t ? t : ((java.sql.Timestamp) value).toLocalDateTime();
    }

    private static List<MessageSummary> everything(MessageQueries q, MessageCriteria c) {
        List<MessageSummary> all = new ArrayList<>();
        MessageSummary last = null;
        while (true) {
            List<MessageSummary> page = q.after(c, last, 5);
            all.addAll(page);
            if (page.size() < 5) {
                return all;
            }
            last = page.get(page.size() - 1);
        }
    }

    private static List<Long> ids(List<MessageSummary> items) {
        return items.stream().map(MessageSummary::id).toList();
    }

    /** A search as its query string gives it. */
    static SearchForm form(String query) {
        Map<String, String> p = new HashMap<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            p.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return new SearchForm(p.get("messageId"), p.get("recipient"), p.get("sender"), p.get("from"), p.get("to"),
                p.get("status"), p.get("channel"), p.get("category"), p.get("page"), p.get("size"), p.get("sort"),
                p.get("source"), p.get("attempts"), p.get("delay"), p.get("outcome"), p.get("eventFrom"),
                p.get("eventTo"), p.get("deliveredTo"), p.get("enqueuedFrom"), p.get("enqueuedTo"), p.get("remote"),
                p.get("client"));
    }
}
