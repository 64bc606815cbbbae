package com.mailtrail.dashboard;

import com.mailtrail.message.LogFileQueries;
import com.mailtrail.message.SearchForm;
import com.mailtrail.store.SqlTimes;
import com.mailtrail.system.SearchLinks;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.web.util.UriComponentsBuilder;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The queue as the log shows it: recipients still deferred or queued, aged against the newest time in the loaded
 * logs (old logs must not look years late), grouped by destination domain like qshape: the domain delivered to,
 * which for a list member or an alias to another domain is its active address's (recipient.active_domain), not the
 * list's.
 */
@Service
public class QueueQueries {

    /**
     * Age buckets, upper bounds in minutes; the last is open. A bucket is a range of enqueue times, [asOf - upper,
     * asOf - lower), as the search's enqueuedFrom and enqueuedTo take them, so that a cell's link lists what it counts:
     * a recipient that has waited exactly 5 minutes is under "≤ 5 min", exactly a day under "6–24 h".
     */
    static final List<String> AGES = List.of("≤ 5 min", "5–30 min", "30 min–2 h", "2–6 h", "6–24 h", "> 1 day");
    private static final long[] BOUNDS = {5, 30, 120, 360, 1440};
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_LOCAL_DATE_TIME;
    static final int LIST_LIMIT = 500;
    /** Through the index on status (V17): its cost follows the recipients waiting, not the history kept. */
    // public: PostgresImportBenchmark -Dpg.plans=true shows its plan on a full-size database
    public static final String WAITING = "SELECT r.message_ref, m.message_key, r.recipient, r.original_recipient, "
            + "COALESCE(r.active_domain, r.domain) AS domain, r.status, r.enqueued, r.attempts, "
            + "r.failure_category, r.last_diagnostic, "
            + "r.last_time, m.first_seen FROM recipient r JOIN message m ON m.id = r.message_ref "
            + "WHERE r.status IN ('deferred', 'queued')";

    private final JdbcClient jdbc;

    QueueQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Waiting(long messageId, String messageKey, String recipient, String originalRecipient, String domain,
                   String status, LocalDateTime enqueued, long ageMinutes, int attempts, String category,
                   String diagnostic, LocalDateTime lastTime) {
    }

    /**
     * {@code link}: the search that lists the messages of what the row counts; {@code ageLinks} those of each age
     * cell (null for an empty one). The domain is empty for recipients without one, searched as deliveredTo=@.
     */
    record DomainRow(String domain, long total, long[] byAge, String link, String[] ageLinks) {
    }

    /** {@code link} and {@code ageLinks}: the searches for the row of all waiting recipients, as for a domain's. */
    record Queue(LocalDateTime asOf, long total, List<DomainRow> domains, long[] totalsByAge, List<Waiting> oldest,
                 String link, String[] ageLinks) {
    }

    Queue queue() {
        LocalDateTime asOf = LogFileQueries.newestLogTime(jdbc);
        if (asOf == null) {
            // no log file, so nothing that waits: ages would have nothing to count from
            return new Queue(null, 0, List.of(), new long[AGES.size()], List.of(), null, new String[AGES.size()]);
        }
        List<Waiting> waiting = jdbc.sql(WAITING)
                .query((rs, i) -> {
                    LocalDateTime enq = SqlTimes.get(rs, "enqueued");
                    LocalDateTime enqueued = enq != null ? enq : SqlTimes.get(rs, "first_seen");
                    LocalDateTime last = SqlTimes.get(rs, "last_time");
                    long age = Math.max(0, Duration.between(enqueued, asOf).toMinutes());
                    return new Waiting(rs.getLong("message_ref"), rs.getString("message_key"), rs.getString("recipient"),
                            rs.getString("original_recipient"), rs.getString("domain"), rs.getString("status"),
                            enqueued, age, rs.getInt("attempts"), rs.getString("failure_category"),
                            rs.getString("last_diagnostic"), last);
                }).list();
        Map<String, long[]> byDomain = new LinkedHashMap<>();
        long[] totals = new long[AGES.size()];
        for (Waiting w : waiting) {
            int bucket = bucket(w.enqueued(), asOf);
            byDomain.computeIfAbsent(w.domain() == null ? "" : w.domain(), d -> new long[AGES.size()])[bucket]++;
            totals[bucket]++;
        }
        List<DomainRow> domains = new ArrayList<>();
        byDomain.forEach((d, counts) -> {
            String searched = d.isEmpty() ? SearchForm.NO_DOMAIN : d;
            domains.add(new DomainRow(d, sum(counts), counts, link(searched, asOf, -1), ageLinks(searched, asOf, counts)));
        });
        domains.sort((a, b) -> Long.compare(b.total(), a.total()) != 0 ? Long.compare(b.total(), a.total())
                : a.domain().compareTo(b.domain()));
        List<Waiting> oldest = new ArrayList<>(waiting);
        // by the enqueue time itself, not the whole minutes of age: within a minute the order was the database's
        // (H2 and PostgreSQL differed); ties go by Message-ID and address, so the 500 listed are the same on both
        oldest.sort(Comparator.comparing(Waiting::enqueued)
                .thenComparing(Waiting::messageKey, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Waiting::recipient, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparingLong(Waiting::messageId));
        return new Queue(asOf, waiting.size(), domains, totals,
                oldest.subList(0, Math.min(LIST_LIMIT, oldest.size())), link(null, asOf, -1),
                ageLinks(null, asOf, totals));
    }

    private static String[] ageLinks(String domain, LocalDateTime asOf, long[] counts) {
        String[] links = new String[counts.length];
        for (int i = 0; i < counts.length; i++) {
            links[i] = counts[i] == 0 ? null : link(domain, asOf, i);
        }
        return links;
    }

    /**
     * The search for a row's recipients: still waiting (deferred or queued), delivered to its domain (any domain when
     * null), and for an age bucket other than -1 enqueued in that bucket's range.
     */
    private static String link(String domain, LocalDateTime asOf, int bucket) {
        UriComponentsBuilder search = UriComponentsBuilder.fromPath("/search");
        if (domain != null) {
            search.queryParam("deliveredTo", domain);
        }
        search.queryParam("status", SearchForm.WAITING);
        if (bucket >= 0) {
            if (bucket < BOUNDS.length) {
                search.queryParam("enqueuedFrom", asOf.minusMinutes(BOUNDS[bucket]).format(ISO));
            }
            if (bucket > 0) {
                search.queryParam("enqueuedTo", asOf.minusMinutes(BOUNDS[bucket - 1]).format(ISO));
            }
        }
        return SearchLinks.of(search);
    }

    /** The age bucket of a recipient enqueued at {@code enqueued}: the first whose range of enqueue times holds it. */
    static int bucket(LocalDateTime enqueued, LocalDateTime asOf) {
        for (int i = 0; i < BOUNDS.length; i++) {
            if (!enqueued.isBefore(asOf.minusMinutes(BOUNDS[i]))) {
                return i;
            }
        }
        return BOUNDS.length;
    }

    private static long sum(long[] v) {
        long s = 0;
        for (long x : v) {
            s += x;
        }
        return s;
    }
}
