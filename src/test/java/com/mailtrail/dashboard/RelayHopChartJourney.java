package com.mailtrail.dashboard;

import com.jayway.jsonpath.JsonPath;
import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.client.RestTestClient;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Deliveries per channel" counted a relay channel's hand-off (its D of a recipient it enqueued on to ims-ms) as a
 * delivery on conversion or process, after the attempts had stopped counting it (found in review). The chart now
 * counts deliveries only, and each bar's search finds as many outcomes as the bar counts. Over real HTTP on H2 and
 * PostgreSQL (the subclasses).
 */
@AutoConfigureRestTestClient
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RelayHopChartJourney {

    /**
     * bert and dora through conversion (dora deferred on it once), gus through process, emil straight to ims-ms, fred's
     * trail ending on conversion (no enqueue out of it is logged: a delivery there), hal's conversion D before the
     * enqueue out of it, which comes in the second file; ida's conversion D after the enqueue out of it, a hand-off until
     * the second file brings an earlier D of hers there (the relay channel's dequeue: the later one is then a delivery
     * on conversion, and its stored row says so).
     */
    static final String FIRST = """
            02-Mar-2026 09:00:00.00 tcp_local    conversion   E 9 amy@siroe.test rfc822;bert@sesta.test bert@sesta.test /q/conversion/ZZa1.00 <one@siroe.test>
            02-Mar-2026 09:00:01.00 conversion   ims-ms       E 9 amy@siroe.test rfc822;bert@sesta.test bert@ims-ms-daemon /q/ims-ms/ZZa2.00 <one@siroe.test>
            02-Mar-2026 09:00:01.10 conversion                D 9 amy@siroe.test rfc822;bert@sesta.test bert@sesta.test /q/conversion/ZZa1.00 <one@siroe.test>
            02-Mar-2026 09:00:02.00 ims-ms                    D 9 amy@siroe.test rfc822;bert@sesta.test bert@ims-ms-daemon /q/ims-ms/ZZa2.00 <one@siroe.test>
            02-Mar-2026 09:10:00.00 tcp_local    conversion   E 9 amy@siroe.test rfc822;dora@sesta.test dora@sesta.test /q/conversion/ZZc1.00 <three@siroe.test>
            02-Mar-2026 09:10:01.00 conversion                Q 9 amy@siroe.test rfc822;dora@sesta.test dora@sesta.test /q/conversion/ZZc1.00 <three@siroe.test> Temporary conversion failure
            02-Mar-2026 09:20:01.00 conversion   ims-ms       E 9 amy@siroe.test rfc822;dora@sesta.test dora@ims-ms-daemon /q/ims-ms/ZZc2.00 <three@siroe.test>
            02-Mar-2026 09:20:01.10 conversion                D 9 amy@siroe.test rfc822;dora@sesta.test dora@sesta.test /q/conversion/ZZc1.00 <three@siroe.test>
            02-Mar-2026 09:20:02.00 ims-ms                    D 9 amy@siroe.test rfc822;dora@sesta.test dora@ims-ms-daemon /q/ims-ms/ZZc2.00 <three@siroe.test>
            02-Mar-2026 09:25:00.00 tcp_local    ims-ms       E 9 amy@siroe.test rfc822;emil@sesta.test emil@ims-ms-daemon /q/ims-ms/ZZd1.00 <four@siroe.test>
            02-Mar-2026 09:25:01.00 ims-ms                    D 9 amy@siroe.test rfc822;emil@sesta.test emil@ims-ms-daemon /q/ims-ms/ZZd1.00 <four@siroe.test>
            02-Mar-2026 09:30:00.00 tcp_local    conversion   E 9 amy@siroe.test rfc822;fred@sesta.test fred@sesta.test /q/conversion/ZZe1.00 <five@siroe.test>
            02-Mar-2026 09:30:01.00 conversion                D 9 amy@siroe.test rfc822;fred@sesta.test fred@sesta.test /q/conversion/ZZe1.00 <five@siroe.test>
            02-Mar-2026 09:35:00.00 tcp_local    process      E 9 amy@siroe.test rfc822;gus@sesta.test gus@sesta.test /q/process/ZZf1.00 <six@siroe.test>
            02-Mar-2026 09:35:01.00 process      tcp_intranet E 9 amy@siroe.test rfc822;gus@sesta.test gus@sesta.test /q/tcp_intranet/ZZf2.00 <six@siroe.test>
            02-Mar-2026 09:35:01.10 process                   D 9 amy@siroe.test rfc822;gus@sesta.test gus@sesta.test /q/process/ZZf1.00 <six@siroe.test>
            02-Mar-2026 09:35:03.00 tcp_intranet              D 9 amy@siroe.test rfc822;gus@sesta.test gus@sesta.test /q/tcp_intranet/ZZf2.00 <six@siroe.test>
            02-Mar-2026 09:40:00.00 tcp_local    conversion   E 9 amy@siroe.test rfc822;hal@sesta.test hal@sesta.test /q/conversion/ZZg1.00 <seven@siroe.test>
            02-Mar-2026 09:40:01.10 conversion                D 9 amy@siroe.test rfc822;hal@sesta.test hal@sesta.test /q/conversion/ZZg1.00 <seven@siroe.test>
            02-Mar-2026 09:50:00.00 tcp_local    conversion   E 9 amy@siroe.test rfc822;ida@sesta.test ida@sesta.test /q/conversion/ZZh1.00 <eight@siroe.test>
            02-Mar-2026 09:50:01.00 conversion   ims-ms       E 9 amy@siroe.test rfc822;ida@sesta.test ida@ims-ms-daemon /q/ims-ms/ZZh2.00 <eight@siroe.test>
            02-Mar-2026 09:50:05.00 conversion                D 9 amy@siroe.test rfc822;ida@sesta.test ida@sesta.test /q/conversion/ZZh1.01 <eight@siroe.test>
            02-Mar-2026 09:50:06.00 ims-ms                    D 9 amy@siroe.test rfc822;ida@sesta.test ida@ims-ms-daemon /q/ims-ms/ZZh2.00 <eight@siroe.test>
            """;

    /** hal's enqueue out of conversion and delivery: its conversion D, a delivery after the first file, is a hop. */
    static final String SECOND = """
            02-Mar-2026 09:40:01.00 conversion   ims-ms       E 9 amy@siroe.test rfc822;hal@sesta.test hal@ims-ms-daemon /q/ims-ms/ZZg2.00 <seven@siroe.test>
            02-Mar-2026 09:40:02.00 ims-ms                    D 9 amy@siroe.test rfc822;hal@sesta.test hal@ims-ms-daemon /q/ims-ms/ZZg2.00 <seven@siroe.test>
            02-Mar-2026 09:50:02.00 conversion                D 9 amy@siroe.test rfc822;ida@sesta.test ida@sesta.test /q/conversion/ZZh1.00 <eight@siroe.test>
            """;

    @Autowired
    RestTestClient http;

    @Autowired
    DataSource dataSource;

    private Map<String, Long> afterFirst;

    @BeforeAll
    void load() {
        importText("first.log", FIRST);
        afterFirst = sums(get("/api/charts/channels"));
        importText("second.log", SECOND);
    }

    /** With an engine of its own for each file: the second finds hal's first lines in the database, not in a cache. */
    private void importText(String name, String text) {
        IngestEngine engine = new IngestEngine(dataSource, Set.of("conversion", "reprocess", "process"), 1000);
        try {
            engine.ingest(engine.createSource("test", name), name,
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), LogOptions.auto(), new Progress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String get(String uri) {
        return http.get().uri(uri).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
    }

    /** Each series of a chart's JSON to the sum of its values. */
    private static Map<String, Long> sums(String chart) {
        Map<String, Long> out = new TreeMap<>();
        List<Map<String, Object>> series = JsonPath.read(chart, "$.series");
        for (Map<String, Object> s : series) {
            out.put((String) s.get("name"), ((List<?>) s.get("values")).stream()
                    .mapToLong(v -> ((Number) v).longValue()).sum());
        }
        return out;
    }

    /** Hand-offs are a series of their own, after the deliveries, so that conversion shows what it handed on. */
    @Test
    void deliveriesPerChannelCountsDeliveriesAndHandOffsApart() {
        assertThat(afterFirst).as("hal's conversion D is where its trail ends, until the second file")
                .isEqualTo(Map.of("conversion", 2L, "ims-ms", 4L, "tcp_intranet", 1L, "conversion (handed on)", 3L,
                        "process (handed on)", 1L));
        String chart = get("/api/charts/channels");
        assertThat(sums(chart)).isEqualTo(Map.of("conversion", 2L, "ims-ms", 5L, "tcp_intranet", 1L,
                "conversion (handed on)", 4L, "process (handed on)", 1L));
        assertThat((List<String>) JsonPath.read(chart, "$.series[*].name")).containsExactly("conversion", "ims-ms",
                "tcp_intranet", "conversion (handed on)", "process (handed on)");
        assertThat((List<String>) JsonPath.read(chart, "$.series[*].kind")).containsExactly("handoff", "handoff");
    }

    @Test
    void eachBarsSearchFindsAsManyOutcomesAsTheBarCounts() {
        String chart = get("/api/charts/channels");
        List<Map<String, Object>> series = JsonPath.read(chart, "$.series");
        int bars = 0;
        for (Map<String, Object> s : series) {
            List<?> values = (List<?>) s.get("values");
            List<?> links = (List<?>) s.get("links");
            for (int i = 0; i < values.size(); i++) {
                long value = ((Number) values.get(i)).longValue();
                if (value == 0) {
                    continue;
                }
                String link = (String) links.get(i);
                assertThat(link).startsWith("/search?")
                        .contains(s.get("kind") == null ? "outcome=delivered" : "outcome=handoff");
                String found = get("/api/messages" + link.substring("/search".length()));
                assertThat(((Number) JsonPath.read(found, "$.outcomes")).longValue()).as(link).isEqualTo(value);
                bars++;
            }
        }
        assertThat(bars).isEqualTo(5);
        // fred's delivery on conversion and ida's second dequeue there, not bert's, dora's and hal's hand-offs
        String conversion = get("/api/messages?outcome=delivered&channel=conversion");
        assertThat((List<String>) JsonPath.read(conversion, "$.items[*].messageId"))
                .containsExactlyInAnyOrder("<five@siroe.test>", "<eight@siroe.test>");
        String handOffs = get("/api/messages?outcome=handoff&channel=conversion");
        assertThat((List<String>) JsonPath.read(handOffs, "$.items[*].messageId")).containsExactlyInAnyOrder(
                "<one@siroe.test>", "<three@siroe.test>", "<seven@siroe.test>", "<eight@siroe.test>");
        assertThat(((Number) JsonPath.read(handOffs, "$.outcomes")).longValue()).isEqualTo(4);
        assertThat(((Number) JsonPath.read(get("/api/messages?outcome=handoff"), "$.outcomes")).longValue())
                .isEqualTo(5);
    }

    /** outcome=handoff is a value of the Search page and of its CSV as of the API: the same four messages. */
    @Test
    void theSearchPageAndItsCsvTakeHandOffs() {
        List<String> csv = get("/search.csv?outcome=handoff&channel=conversion").lines().toList();
        assertThat(csv).hasSize(5);
        assertThat(csv.subList(1, 5)).allMatch(line -> line.contains("@siroe.test>"));
        String page = get("/search?outcome=handoff&channel=conversion");
        assertThat(page).contains("name=\"outcome\" value=\"handoff\"").contains("outcome handoff")
                .contains("&lt;seven@siroe.test&gt;");
    }

    /**
     * The write path stores each hand-off on its row, which the search reads: hal's conversion D became one with the
     * second file, and of ida's two D there the earlier is the hop, the one stored as a hop before is a delivery now.
     */
    @Test
    void theRowsSayWhichDequeuesHandedOn() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        List<String> marked = jdbc.query("SELECT a.time, a.channel FROM attempt a WHERE a.hand_off = TRUE "
                        + "UNION ALL SELECT r.last_time, r.last_channel FROM recipient r WHERE r.last_hand_off = TRUE",
                (rs, n) -> rs.getTimestamp(1).toLocalDateTime().toLocalTime() + " " + rs.getString(2));
        assertThat(marked).containsExactlyInAnyOrder("09:00:01.100 conversion", "09:20:01.100 conversion",
                "09:35:01.100 process", "09:40:01.100 conversion", "09:50:02 conversion");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM attempt WHERE hand_off = FALSE", Long.class)).isZero();
    }

    /**
     * Each message's API (what its page shows) marks as handed on exactly the rows the search and the chart count as
     * hand-offs, the stored flags: ida's earlier conversion D, a hop since the second file, and not her later one.
     */
    @Test
    void theMessagesShowAsHandOffsTheRowsTheSearchCounts() {
        String found = get("/api/messages?outcome=handoff&size=500");
        List<Integer> withHandOffs = JsonPath.read(found, "$.items[*].id");
        long shown = 0;
        for (Integer id : (List<Integer>) JsonPath.read(get("/api/messages?size=500"), "$.items[*].id")) {
            List<Boolean> flags = JsonPath.read(get("/api/messages/" + id), "$.recipients[*].attempts[*].handOff");
            long handOffs = flags.stream().filter(b -> b).count();
            assertThat(handOffs > 0).as("message %d", id).isEqualTo(withHandOffs.contains(id));
            shown += handOffs;
        }
        assertThat(shown).isEqualTo(((Number) JsonPath.read(found, "$.outcomes")).longValue()).isEqualTo(5);
        Number ida = JsonPath.read(get("/api/messages?messageId=<eight@siroe.test>"), "$.items[0].id");
        String eight = get("/api/messages/" + ida);
        assertThat((List<String>) JsonPath.read(eight, "$.recipients[0].attempts[*].time")).containsExactly(
                "2026-03-02T09:50:02", "2026-03-02T09:50:05", "2026-03-02T09:50:06");
        assertThat((List<Boolean>) JsonPath.read(eight, "$.recipients[0].attempts[*].handOff"))
                .containsExactly(true, false, false);
    }

    @Test
    void theHourlyCountsKeepTheHandOffsApart() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        assertThat(jdbc.query("SELECT channel, outcome, SUM(events) FROM rollup_hour WHERE outcome IN "
                        + "('delivered', 'handoff') GROUP BY channel, outcome HAVING SUM(events) <> 0 "
                        + "ORDER BY channel, outcome",
                (rs, n) -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getLong(3)))
                .containsExactly("conversion delivered 2", "conversion handoff 4", "ims-ms delivered 5",
                        "process handoff 1", "tcp_intranet delivered 1");
    }

    /** The hourly counts of recipients by attempts agree with the recipients' rows, hal's hop found a file later too. */
    @Test
    void theCountsOfRecipientsByAttemptsAgreeWithTheirRows() {
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        List<String> rows = jdbc.query("SELECT status, CASE WHEN attempts > 10 THEN 10 ELSE attempts END AS n, "
                + "COUNT(*) FROM recipient GROUP BY status, CASE WHEN attempts > 10 THEN 10 ELSE attempts END "
                + "ORDER BY status, n", (rs, i) -> rs.getString(1) + " " + rs.getInt(2) + " " + rs.getLong(3));
        assertThat(rows).containsExactly("delivered 1 5", "delivered 2 2");
        assertThat(jdbc.query("SELECT status, outcomes, SUM(recipients) FROM rollup_recipient_hour "
                        + "GROUP BY status, outcomes HAVING SUM(recipients) <> 0 ORDER BY status, outcomes",
                (rs, i) -> rs.getString(1) + " " + rs.getInt(2) + " " + rs.getLong(3))).isEqualTo(rows);
    }
}
