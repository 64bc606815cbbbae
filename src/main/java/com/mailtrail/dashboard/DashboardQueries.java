package com.mailtrail.dashboard;

import com.mailtrail.parse.Outcomes;
import com.mailtrail.store.SqlTimes;
import com.mailtrail.system.SearchLinks;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.web.util.UriComponentsBuilder;

import java.sql.ResultSetMetaData;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The dashboard's figures and charts, read from the hourly rollups (so a chart never scans the attempts) and, for
 * the delay percentiles, from the recipients delivered in the range.
 */
@Service
public class DashboardQueries {

    static final List<String> STATUSES = List.of("delivered", "deferred", "queued", "bounced", "rejected");
    static final List<String> DELAYS = List.of("<1m", "1-5m", "5-30m", "30m-1h", "1-4h", "4-24h", ">1d");
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

    private final JdbcClient jdbc;

    DashboardQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The range of the loaded data, by the hour; empty when nothing is loaded. */
    public Optional<TimeRange> dataRange() {
        Map<String, Object> row = jdbc.sql("SELECT MIN(bucket) AS lo, MAX(bucket) AS hi FROM rollup_recipient_hour "
                + "WHERE recipients <> 0").query(ROW).single();
        Object lo = value(row, "lo");
        Object hi = value(row, "hi");
        if (lo == null || hi == null) {
            return Optional.empty();
        }
        // The counts are by each recipient's final hour, the message count by first_seen: a first message delivered
        // hours after it came (the seed document, 10:31 to 20:45) fell before the range and out of "all data".
        LocalDateTime first = jdbc.sql("SELECT MIN(first_seen) FROM message").query((rs, i) -> SqlTimes.get(rs, 1))
                .optional().orElse(null);
        LocalDateTime from = time(lo);
        if (first != null && first.isBefore(from)) {
            from = first.truncatedTo(ChronoUnit.HOURS);
        }
        // A recipient still deferred counts in its enqueue hour, each of its retries in its own: the retries after the
        // last final hour (up to the newest log line, as on the Queue page) were out of "all data" and its charts.
        LocalDateTime to = time(hi);
        Object lastEvent = value(jdbc.sql("SELECT MAX(bucket) AS hi FROM rollup_hour WHERE events <> 0").query(ROW)
                .single(), "hi");
        if (lastEvent != null && time(lastEvent).isAfter(to)) {
            to = time(lastEvent);
        }
        return Optional.of(new TimeRange(from, to.plusHours(1)));
    }

    Kpis kpis(TimeRange r) {
        long messages = jdbc.sql("SELECT COUNT(*) FROM message WHERE first_seen >= ? AND first_seen < ?")
                .params(r.from(), r.to()).query(Long.class).single();
        Map<String, Long> byStatus = new HashMap<>();
        long firstAttempt = 0;
        for (Map<String, Object> row : jdbc.sql("SELECT status, outcomes, SUM(recipients) AS n FROM rollup_recipient_hour "
                + "WHERE bucket >= ? AND bucket < ? GROUP BY status, outcomes").params(r.from(), r.to())
                .query(ROW).list()) {
            String status = string(row, "status");
            long n = number(row, "n");
            byStatus.merge(status, n, Long::sum);
            if (status.equals("delivered") && number(row, "outcomes") == 1) {
                firstAttempt += n;
            }
        }
        long recipients = byStatus.values().stream().mapToLong(Long::longValue).sum();
        long delivered = byStatus.getOrDefault("delivered", 0L);
        Map<String, Long> now = new HashMap<>();
        for (Map<String, Object> row : jdbc.sql("SELECT status, SUM(recipients) AS n FROM rollup_recipient_hour "
                + "WHERE status IN ('deferred', 'queued') GROUP BY status").query(ROW).list()) {
            now.put(string(row, "status"), number(row, "n"));
        }
        // Over the hours the other figures count (a delivery counts in its final hour), not the range's own minutes:
        // from 10:30 to 10:45, which no hour begins in, the page read "0 recipients" beside a median of 9 min.
        Map<String, Object> delays = jdbc.sql("SELECT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY delay_seconds) AS p50, "
                + "PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY delay_seconds) AS p90 FROM recipient "
                + "WHERE status = 'delivered' AND final_time >= ? AND final_time < ? AND delay_seconds IS NOT NULL")
                .params(r.countedFrom(), r.countedTo()).query(ROW).single();
        return new Kpis(messages, recipients, percent(delivered, recipients), now.getOrDefault("deferred", 0L),
                now.getOrDefault("queued", 0L), byStatus.getOrDefault("bounced", 0L), seconds(value(delays, "p50")),
                seconds(value(delays, "p90")), percent(firstAttempt, delivered), kpiLinks(r));
    }

    /**
     * The searches behind the figures that count: the messages first seen in the range; the recipients deferred now,
     * over all data as the figure counts them; the recipients that bounced in the range, by the time of the bounce
     * (the figure's rollup hour), not by their message's first line: a message first seen before the range whose
     * bounce falls in it is counted, one first seen in it whose bounce comes after is not. The recipients figure
     * counts each recipient in the hour of its final outcome (or its enqueue while it has none, or its message's first
     * line), as the search's event range alone selects recipients: its search's recipients are the figure.
     */
    private static Kpis.Links kpiLinks(TimeRange r) {
        return new Kpis.Links(
                SearchLinks.of(search().queryParam("from", r.from().format(ISO)).queryParam("to", r.to().format(ISO))),
                inRange(search(), r),
                SearchLinks.of(search().queryParam("status", "deferred")),
                inRange(search().queryParam("status", "bounced"), r));
    }

    /** Recipients per bucket, stacked by how they ended (or stand). */
    Chart volume(TimeRange r) {
        List<LocalDateTime> buckets = r.buckets();
        Map<String, long[]> values = new LinkedHashMap<>();
        STATUSES.forEach(s -> values.put(s, new long[buckets.size()]));
        for (Map<String, Object> row : jdbc.sql("SELECT bucket, status, SUM(recipients) AS n FROM rollup_recipient_hour "
                + "WHERE bucket >= ? AND bucket < ? GROUP BY bucket, status").params(r.from(), r.to())
                .query(ROW).list()) {
            long[] v = values.get(string(row, "status"));
            int i = buckets.indexOf(r.bucket(time(value(row, "bucket"))));
            if (v != null && i >= 0) {
                v[i] += number(row, "n");
            }
        }
        List<Chart.Series> series = new ArrayList<>();
        values.forEach((status, v) -> series.add(new Chart.Series(status, list(v), links(buckets, r,
                b -> search().queryParam("status", status)))));
        return new Chart("bar", true, true, r.unit(), labels(buckets), series);
    }

    /** Final recipients by how many outcomes they took: 1, 2 ... 10+. */
    Chart attempts(TimeRange r) {
        long[] counts = new long[10];
        for (Map<String, Object> row : jdbc.sql("SELECT outcomes, SUM(recipients) AS n FROM rollup_recipient_hour "
                + "WHERE bucket >= ? AND bucket < ? AND status IN ('delivered', 'bounced') GROUP BY outcomes")
                .params(r.from(), r.to()).query(ROW).list()) {
            int outcomes = (int) Math.max(1, Math.min(10, number(row, "outcomes")));
            counts[outcomes - 1] += number(row, "n");
        }
        List<String> labels = new ArrayList<>();
        List<String> links = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            labels.add(i == 10 ? "10+" : String.valueOf(i));
            links.add(inRange(search().queryParam("attempts", i), r));
        }
        return new Chart("bar", false, false, null, labels, List.of(new Chart.Series("recipients", list(counts),
                links)));
    }

    /** Delivered recipients by time from enqueue to delivery. */
    Chart delays(TimeRange r) {
        long[] counts = new long[DELAYS.size()];
        for (Map<String, Object> row : jdbc.sql("SELECT delay, SUM(recipients) AS n FROM rollup_recipient_hour "
                + "WHERE bucket >= ? AND bucket < ? AND status = 'delivered' GROUP BY delay")
                .params(r.from(), r.to()).query(ROW).list()) {
            int i = DELAYS.indexOf(string(row, "delay"));
            if (i >= 0) {
                counts[i] += number(row, "n");
            }
        }
        List<String> links = DELAYS.stream().map(d -> inRange(search().queryParam("delay", d), r)).toList();
        return new Chart("bar", false, false, null, DELAYS, List.of(new Chart.Series("recipients", list(counts),
                links)));
    }

    /** Failed attempts per bucket by category. */
    Chart failures(TimeRange r) {
        List<LocalDateTime> buckets = r.buckets();
        Map<String, long[]> values = new LinkedHashMap<>();
        for (Map<String, Object> row : jdbc.sql("SELECT bucket, category, SUM(events) AS n FROM rollup_hour "
                + "WHERE bucket >= ? AND bucket < ? AND category <> '' GROUP BY bucket, category ORDER BY category")
                .params(r.from(), r.to()).query(ROW).list()) {
            long[] v = values.computeIfAbsent(string(row, "category"), k -> new long[buckets.size()]);
            int i = buckets.indexOf(r.bucket(time(value(row, "bucket"))));
            if (i >= 0) {
                v[i] += number(row, "n");
            }
        }
        List<Chart.Series> series = new ArrayList<>();
        values.forEach((category, v) -> series.add(new Chart.Series(category, list(v), links(buckets, r,
                b -> search().queryParam("category", category)))));
        return new Chart("bar", true, true, r.unit(), labels(buckets), series);
    }

    /**
     * The destination domains with the most deferrals, split by category: the domain each deferral was for
     * (MessageStore.deliveredDomain), a list member's or an alias's own rather than the list's, as on the Queue page.
     */
    Chart domains(TimeRange r) {
        List<Map<String, Object>> rows = jdbc.sql("SELECT domain, category, SUM(events) AS n FROM rollup_hour "
                + "WHERE bucket >= ? AND bucket < ? AND outcome = 'deferred' AND domain <> '' "
                + "GROUP BY domain, category").params(r.from(), r.to()).query(ROW).list();
        Map<String, Long> totals = new HashMap<>();
        for (Map<String, Object> row : rows) {
            totals.merge(string(row, "domain"), number(row, "n"), Long::sum);
        }
        List<String> top = totals.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(12).map(Map.Entry::getKey).toList();
        // by name, as in the failures chart, so that a category has the same colour in both (charts.js colours a
        // series by its place); in the order the rows came, it differed between H2 and PostgreSQL
        Map<String, long[]> values = new TreeMap<>();
        for (Map<String, Object> row : rows) {
            int i = top.indexOf(string(row, "domain"));
            if (i >= 0) {
                values.computeIfAbsent(string(row, "category"), k -> new long[top.size()])[i] += number(row, "n");
            }
        }
        List<Chart.Series> series = new ArrayList<>();
        values.forEach((category, v) -> {
            List<String> links = new ArrayList<>();
            for (String domain : top) {
                links.add(inRange(search().queryParam("deliveredTo", domain).queryParam("outcome", "deferred")
                        .queryParam("category", category), r));
            }
            series.add(new Chart.Series(category, list(v), links));
        });
        return new Chart("bar", false, true, null, top, series);
    }

    /**
     * Deliveries (successful dequeues) per bucket by channel, and a relay channel's hand-offs (its D of a recipient it
     * enqueued on, outcome handoff, see Rollups) as a series of their own after them, "conversion (handed on)", so
     * that conversion is not drawn as delivering what it handed on to ims-ms, nor as idle. Each bar's search finds what
     * it counts: outcome=delivered leaves hand-offs out, outcome=handoff finds only them.
     */
    Chart channels(TimeRange r) {
        List<LocalDateTime> buckets = r.buckets();
        Map<String, long[]> delivered = new LinkedHashMap<>();
        Map<String, long[]> handedOn = new LinkedHashMap<>();
        for (Map<String, Object> row : jdbc.sql("SELECT bucket, channel, outcome, SUM(events) AS n FROM rollup_hour "
                        + "WHERE bucket >= ? AND bucket < ? AND outcome IN ('delivered', '" + Outcomes.HAND_OFF + "') "
                        + "GROUP BY bucket, channel, outcome ORDER BY channel")
                .params(r.from(), r.to()).query(ROW).list()) {
            Map<String, long[]> values = Outcomes.HAND_OFF.equals(string(row, "outcome")) ? handedOn : delivered;
            long[] v = values.computeIfAbsent(string(row, "channel"), k -> new long[buckets.size()]);
            int i = buckets.indexOf(r.bucket(time(value(row, "bucket"))));
            if (i >= 0) {
                v[i] += number(row, "n");
            }
        }
        List<Chart.Series> series = new ArrayList<>();
        // A channel whose counts a later file took back to zero (its D were hand-offs after all) draws no line.
        delivered.forEach((channel, v) -> {
            if (Arrays.stream(v).anyMatch(n -> n != 0)) {
                series.add(new Chart.Series(channel, list(v), links(buckets, r,
                        b -> search().queryParam("outcome", "delivered").queryParam("channel", channel))));
            }
        });
        handedOn.forEach((channel, v) -> {
            if (Arrays.stream(v).anyMatch(n -> n != 0)) {
                series.add(new Chart.Series(channel + " (handed on)", list(v), links(buckets, r,
                        b -> search().queryParam("outcome", Outcomes.HAND_OFF).queryParam("channel", channel)),
                        Outcomes.HAND_OFF));
            }
        });
        return new Chart("line", true, false, r.unit(), labels(buckets), series);
    }

    // ---- helpers ----

    private static UriComponentsBuilder search() {
        return UriComponentsBuilder.fromPath("/search");
    }

    /**
     * The search for the whole range. Bars count recipients by the time of their final outcome and outcomes by their
     * own time, not messages by their first line: eventFrom and eventTo select what the bar counts (MessageCriteria).
     */
    private static String inRange(UriComponentsBuilder search, TimeRange r) {
        if (!r.countedFrom().isBefore(r.countedTo())) {
            return null; // a range within one hour, 10:15 to 10:45, counts no hour's rollups
        }
        return SearchLinks.of(search.queryParam("eventFrom", r.countedFrom().format(ISO))
                .queryParam("eventTo", r.countedTo().format(ISO)));
    }

    private interface LinkMaker {
        UriComponentsBuilder make(LocalDateTime bucket);
    }

    private static List<String> links(List<LocalDateTime> buckets, TimeRange r, LinkMaker maker) {
        List<String> links = new ArrayList<>(buckets.size());
        for (LocalDateTime b : buckets) {
            // The first and last bars count only the hours of the range (countedFrom, countedTo): a daily bar of a
            // range from 10:30 counts from 11:00 (hourly bars start there: TimeRange.buckets).
            LocalDateTime from = b.isBefore(r.countedFrom()) ? r.countedFrom() : b;
            LocalDateTime to = r.bucketEnd(b).isAfter(r.countedTo()) ? r.countedTo() : r.bucketEnd(b);
            links.add(!from.isBefore(to) ? null : SearchLinks.of(maker.make(b).queryParam("eventFrom", from.format(ISO))
                    .queryParam("eventTo", to.format(ISO))));
        }
        return links;
    }

    static List<String> labels(List<LocalDateTime> buckets) {
        return buckets.stream().map(b -> b.format(ISO)).toList();
    }

    static List<Long> list(long[] v) {
        List<Long> out = new ArrayList<>(v.length);
        for (long x : v) {
            out.add(x);
        }
        return out;
    }

    private static Double percent(long part, long whole) {
        return whole == 0 ? null : Math.round(1000.0 * part / whole) / 10.0;
    }

    private static Long seconds(Object v) {
        return v == null ? null : Math.round(((Number) v).doubleValue());
    }

    /** A row by column label, TIMESTAMP columns as the local date-times they hold (SqlTimes). */
    static final RowMapper<Map<String, Object>> ROW = (rs, n) -> {
        ResultSetMetaData md = rs.getMetaData();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int c = 1; c <= md.getColumnCount(); c++) {
            row.put(md.getColumnLabel(c), md.getColumnType(c) == Types.TIMESTAMP ? SqlTimes.get(rs, c) : rs.getObject(c));
        }
        return row;
    };

    // Column labels come back upper-case from H2 and lower-case from PostgreSQL.
    static Object value(Map<String, Object> row, String name) {
        for (Map.Entry<String, Object> e : row.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    static String string(Map<String, Object> row, String name) {
        Object v = value(row, name);
        return v == null ? "" : v.toString();
    }

    static long number(Map<String, Object> row, String name) {
        Object v = value(row, name);
        return v == null ? 0 : ((Number) v).longValue();
    }

    private static LocalDateTime time(Object v) {
        if (v instanceof LocalDateTime t) {
            return t;
        }
        throw new IllegalStateException("not a time: " + v);
    }
}
