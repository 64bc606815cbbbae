package com.mailtrail.dashboard;

import com.mailtrail.message.LogFileQueries;
import com.mailtrail.message.MessageNotFoundException;
import com.mailtrail.message.RawLine;
import com.mailtrail.store.SqlTimes;
import com.mailtrail.system.SearchLinks;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.web.util.UriComponentsBuilder;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static com.mailtrail.dashboard.DashboardQueries.ROW;
import static com.mailtrail.dashboard.DashboardQueries.labels;
import static com.mailtrail.dashboard.DashboardQueries.list;
import static com.mailtrail.dashboard.DashboardQueries.number;
import static com.mailtrail.dashboard.DashboardQueries.string;
import static com.mailtrail.dashboard.DashboardQueries.value;

/**
 * The Connections page and {@code /api/connections}: who connected and who was turned away. Opens and closes come
 * from their hourly counts ({@code connection_hour}: a busy MTA logs hundreds of thousands a day); the rarer entries
 * that say something (rejected X, failed Y, authentication U, ETRN I) are rows of {@code connection}.
 */
@Service
public class ConnectionQueries {

    /** What each connection code means (the log's own table of codes). */
    static final Map<String, String> CODES = Map.of("O", "opened", "C", "closed", "X", "rejected",
            "Y", "failed before it was established", "U", "authentication", "I", "ETRN");
    /** The codes that are rows of their own, in the order the page lists them. */
    static final List<String> EVENT_CODES = List.of("X", "U", "Y", "I");
    static final int PAGE_SIZE = 100;
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

    private final JdbcClient jdbc;
    private final LogFileQueries files;

    ConnectionQueries(JdbcClient jdbc, LogFileQueries files) {
        this.jdbc = jdbc;
        this.files = files;
    }

    /** The hours that hold connection entries; empty when none is loaded (a mail log without LOG_CONNECTION). */
    Optional<TimeRange> dataRange() {
        Map<String, Object> row = jdbc.sql("SELECT MIN(t) AS lo, MAX(t) AS hi FROM (SELECT MIN(bucket) AS t FROM "
                + "connection_hour UNION ALL SELECT MAX(bucket) FROM connection_hour UNION ALL SELECT MIN(time) FROM "
                + "connection UNION ALL SELECT MAX(time) FROM connection) x").query(ROW).single();
        if (!(value(row, "lo") instanceof LocalDateTime lo) || !(value(row, "hi") instanceof LocalDateTime hi)) {
            return Optional.empty();
        }
        return Optional.of(new TimeRange(lo.truncatedTo(ChronoUnit.HOURS), hi.truncatedTo(ChronoUnit.HOURS).plusHours(1)));
    }

    /** Connections opened in and out, and the entries of each event code, in the range. */
    record Summary(long inbound, long outbound, Map<String, Long> events) {
    }

    /** One remote address: connections it opened to us (inbound) and we to it (outbound), and its event entries. */
    record Address(String ip, long inbound, long outbound, long rejected, long failed, long authentication) {
    }

    /** One connection entry that is a row of its own. */
    public record Event(LocalDateTime time, String channel, String direction, String code, String meaning,
                        String remoteIp, Integer remotePort, String localIp, Integer localPort, String application,
                        String username, String diagnostic, long file, long line) {
    }

    public record Events(long total, int page, int size, List<Event> items) {
    }

    Summary summary(TimeRange r) {
        long inbound = 0;
        long outbound = 0;
        for (Map<String, Object> row : jdbc.sql("SELECT inbound, SUM(opens) AS n FROM connection_hour "
                + "WHERE bucket >= ? AND bucket < ? GROUP BY inbound").params(r.from(), r.to()).query(ROW).list()) {
            if (Boolean.TRUE.equals(value(row, "inbound"))) {
                inbound = number(row, "n");
            } else {
                outbound = number(row, "n");
            }
        }
        Map<String, Long> events = new LinkedHashMap<>();
        EVENT_CODES.forEach(c -> events.put(c, 0L));
        for (Map<String, Object> row : jdbc.sql("SELECT code, COUNT(*) AS n FROM connection WHERE time >= ? "
                + "AND time < ? GROUP BY code").params(r.from(), r.to()).query(ROW).list()) {
            events.put(string(row, "code"), number(row, "n"));
        }
        return new Summary(inbound, outbound, events);
    }

    /** The remote addresses with the most connections either way, busiest first. */
    List<Address> busiest(TimeRange r, int limit) {
        List<Map<String, Object>> rows = jdbc.sql("SELECT remote_ip, "
                + "SUM(CASE WHEN inbound THEN opens ELSE 0 END) AS inbound, "
                + "SUM(CASE WHEN inbound THEN 0 ELSE opens END) AS outbound FROM connection_hour "
                + "WHERE bucket >= ? AND bucket < ? AND remote_ip <> '' GROUP BY remote_ip "
                + "ORDER BY SUM(opens) DESC, remote_ip FETCH FIRST " + limit + " ROWS ONLY")
                .params(r.from(), r.to()).query(ROW).list();
        Map<String, long[]> events = eventsByAddress(r, rows.stream().map(row -> string(row, "remote_ip")).toList());
        List<Address> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            String ip = string(row, "remote_ip");
            long[] e = events.getOrDefault(ip, new long[3]);
            out.add(new Address(ip, number(row, "inbound"), number(row, "outbound"), e[0], e[1], e[2]));
        }
        return out;
    }

    /**
     * One remote address's figures, as the page filtered by it shows them: its connections and entries, and the
     * recipients refused at SMTP (J) from it, which are no connection entries but what an administrator asks about an
     * address ("everything rejected from this IP"). A J is counted by its time and the client address it logs.
     */
    record AddressFigures(Address address, long refusedRecipients) {
    }

    AddressFigures address(TimeRange r, String ip) {
        Map<String, Object> opens = jdbc.sql("SELECT SUM(CASE WHEN inbound THEN opens ELSE 0 END) AS inbound, "
                + "SUM(CASE WHEN inbound THEN 0 ELSE opens END) AS outbound FROM connection_hour "
                + "WHERE bucket >= ? AND bucket < ? AND remote_ip = ?").params(r.from(), r.to(), ip).query(ROW).single();
        long[] e = eventsByAddress(r, List.of(ip)).getOrDefault(ip, new long[3]);
        // Through the index on the last outcome's address, led by the bucket of the row id (V14, SearchBuckets): a
        // join from the list of buckets seeks the address in each.
        long refused = jdbc.sql("SELECT COUNT(*) FROM search_bucket b JOIN recipient r ON r.search_bucket = b.bucket "
                + "AND r.last_remote_ip = ? WHERE r.status = 'rejected' AND r.final_time >= ? AND r.final_time < ?").params(ip, r.from(), r.to()).query(Long.class).single();
        return new AddressFigures(new Address(ip, number(opens, "inbound"), number(opens, "outbound"), e[0], e[1],
                e[2]), refused);
    }

    /** The remote addresses with the most rejected, failed or authentication entries, most first. */
    List<Address> refused(TimeRange r, int limit) {
        List<Map<String, Object>> rows = jdbc.sql("SELECT remote_ip, "
                + "SUM(CASE WHEN code = 'X' THEN 1 ELSE 0 END) AS rejected, "
                + "SUM(CASE WHEN code = 'Y' THEN 1 ELSE 0 END) AS failed, "
                + "SUM(CASE WHEN code = 'U' THEN 1 ELSE 0 END) AS authentication FROM connection "
                + "WHERE time >= ? AND time < ? AND remote_ip IS NOT NULL AND code IN ('X', 'Y', 'U') "
                + "GROUP BY remote_ip ORDER BY COUNT(*) DESC, remote_ip FETCH FIRST " + limit + " ROWS ONLY")
                .params(r.from(), r.to()).query(ROW).list();
        Map<String, long[]> opens = new HashMap<>();
        List<String> ips = rows.stream().map(row -> string(row, "remote_ip")).toList();
        if (!ips.isEmpty()) {
            for (Map<String, Object> row : jdbc.sql("SELECT remote_ip, "
                    + "SUM(CASE WHEN inbound THEN opens ELSE 0 END) AS inbound, "
                    + "SUM(CASE WHEN inbound THEN 0 ELSE opens END) AS outbound FROM connection_hour "
                    + "WHERE bucket >= :from AND bucket < :to AND remote_ip IN (:ips) GROUP BY remote_ip")
                    .param("from", r.from()).param("to", r.to()).param("ips", ips).query(ROW).list()) {
                opens.put(string(row, "remote_ip"), new long[]{number(row, "inbound"), number(row, "outbound")});
            }
        }
        List<Address> out = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            String ip = string(row, "remote_ip");
            long[] o = opens.getOrDefault(ip, new long[2]);
            out.add(new Address(ip, o[0], o[1], number(row, "rejected"), number(row, "failed"),
                    number(row, "authentication")));
        }
        return out;
    }

    /** {rejected, failed, authentication} entries per remote address, for the addresses given. */
    private Map<String, long[]> eventsByAddress(TimeRange r, List<String> ips) {
        Map<String, long[]> out = new HashMap<>();
        if (ips.isEmpty()) {
            return out;
        }
        for (Map<String, Object> row : jdbc.sql("SELECT remote_ip, code, COUNT(*) AS n FROM connection "
                + "WHERE time >= :from AND time < :to AND remote_ip IN (:ips) AND code IN ('X', 'Y', 'U') "
                + "GROUP BY remote_ip, code").param("from", r.from()).param("to", r.to()).param("ips", ips)
                .query(ROW).list()) {
            long[] e = out.computeIfAbsent(string(row, "remote_ip"), k -> new long[3]);
            e["XYU".indexOf(string(row, "code"))] += number(row, "n");
        }
        return out;
    }

    /**
     * The entries that are rows of their own, newest first, a page at a time.
     *
     * @param ip   only this remote address, or null
     * @param code only this code (X, Y, U, I...), or null
     */
    Events events(TimeRange r, String ip, String code, int page) {
        String where = "time >= :from AND time < :to" + (ip == null ? "" : " AND remote_ip = :ip")
                + (code == null ? "" : " AND code = :code");
        Map<String, Object> params = new HashMap<>();
        params.put("from", r.from());
        params.put("to", r.to());
        if (ip != null) {
            params.put("ip", ip);
        }
        if (code != null) {
            params.put("code", code);
        }
        long total = jdbc.sql("SELECT COUNT(*) FROM connection WHERE " + where).params(params).query(Long.class)
                .single();
        List<Event> items = jdbc.sql("SELECT time, channel, inbound, code, remote_ip, remote_port, local_ip, "
                        + "local_port, application, username, diagnostic, file_id, line FROM connection WHERE " + where
                        + " ORDER BY time DESC, id DESC OFFSET " + (long) page * PAGE_SIZE + " ROWS FETCH NEXT "
                        + PAGE_SIZE + " ROWS ONLY")
                .params(params).query((rs, n) -> new Event(SqlTimes.get(rs, "time"), rs.getString("channel"),
                        rs.getBoolean("inbound") ? "inbound" : "outbound", rs.getString("code"),
                        CODES.getOrDefault(rs.getString("code"), rs.getString("code")), rs.getString("remote_ip"),
                        (Integer) rs.getObject("remote_port", Integer.class), rs.getString("local_ip"),
                        (Integer) rs.getObject("local_port", Integer.class), rs.getString("application"),
                        rs.getString("username"), rs.getString("diagnostic"), rs.getLong("file_id"),
                        rs.getLong("line")))
                .list();
        return new Events(total, page, PAGE_SIZE, items);
    }

    /**
     * The log line of each entry, by "file:line" (absent where retention removed it): one block read for each, since
     * the entries of a page lie anywhere in a day's file and reading every block between them could mean all of it.
     */
    Map<String, RawLine> lines(List<Event> events) {
        Map<String, RawLine> out = new HashMap<>();
        for (Event e : events) {
            String key = e.file() + ":" + e.line();
            if (!out.containsKey(key)) {
                try {
                    out.put(key, files.line(e.file(), e.line()));
                } catch (MessageNotFoundException gone) {
                    // its text was removed with the old data
                }
            }
        }
        return out;
    }

    /** Connections opened in and out per hour (or day), and the rejected, failed and authentication entries. */
    Chart chart(TimeRange r) {
        List<LocalDateTime> buckets = r.buckets();
        long[] in = new long[buckets.size()];
        long[] out = new long[buckets.size()];
        for (Map<String, Object> row : jdbc.sql("SELECT bucket, inbound, SUM(opens) AS n FROM connection_hour "
                + "WHERE bucket >= ? AND bucket < ? GROUP BY bucket, inbound").params(r.from(), r.to())
                .query(ROW).list()) {
            int i = buckets.indexOf(r.bucket((LocalDateTime) value(row, "bucket")));
            if (i >= 0) {
                (Boolean.TRUE.equals(value(row, "inbound")) ? in : out)[i] += number(row, "n");
            }
        }
        Map<String, long[]> events = new LinkedHashMap<>();
        for (String code : List.of("X", "Y", "U")) {
            events.put(code, new long[buckets.size()]);
        }
        // Entries are few next to opens and closes; the time index finds the range's.
        for (Map<String, Object> row : jdbc.sql("SELECT time, code FROM connection WHERE time >= ? AND time < ? "
                + "AND code IN ('X', 'Y', 'U')").params(r.from(), r.to()).query(ROW).list()) {
            int i = buckets.indexOf(r.bucket((LocalDateTime) value(row, "time")));
            if (i >= 0) {
                events.get(string(row, "code"))[i]++;
            }
        }
        List<Chart.Series> series = new ArrayList<>();
        series.add(new Chart.Series("inbound connections", list(in), links(buckets, r, null)));
        series.add(new Chart.Series("outbound connections", list(out), links(buckets, r, null)));
        events.forEach((code, v) -> series.add(new Chart.Series(CODES.get(code) + " (" + code + ")", list(v),
                links(buckets, r, code))));
        return new Chart("line", true, false, r.unit(), labels(buckets), series);
    }

    private static List<String> links(List<LocalDateTime> buckets, TimeRange r, String code) {
        List<String> links = new ArrayList<>(buckets.size());
        for (LocalDateTime b : buckets) {
            UriComponentsBuilder u = UriComponentsBuilder.fromPath("/connections").queryParam("from", b.format(ISO))
                    .queryParam("to", r.bucketEnd(b).format(ISO));
            if (code != null) {
                u.queryParam("code", code);
            }
            links.add(SearchLinks.of(u));
        }
        return links;
    }
}
