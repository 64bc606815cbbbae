package com.mailtrail.bench;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.ingest.TestDatabase;
import com.mailtrail.message.MessageCriteria;
import com.mailtrail.message.MessageQueries;
import com.mailtrail.message.MessageSummary;
import com.mailtrail.message.PageResult;
import com.mailtrail.message.SearchForm;
import com.mailtrail.parse.LogOptions;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import javax.sql.DataSource;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * What the search page's "N of M" costs (not a test): for each search, from the generated day's start to each of its
 * hours (24 distinct searches, fewer with -Dbench.hours, so that no database answers from a cache of results), the
 * search itself and then the count of each listed message's matching recipients (MessageQueries.matchingRecipients),
 * for a page of 50 (the default) and of 500 (the largest). On the H2 database ImportBenchmark left in target/bench/h2 (H2's result cache off), or with
 * {@code postgres ENTRIES} on a fresh embedded PostgreSQL loaded with that many generated entries.
 * {@code java -cp ... com.mailtrail.bench.MatchingRecipientsBenchmark [postgres ENTRIES]}
 */
public final class MatchingRecipientsBenchmark {

    private static final LocalDateTime DAY = LocalDateTime.of(2026, 3, 2, 0, 0);
    /** How many distinct searches of each kind (00:00 to 01:00, to 02:00...): -Dbench.hours, 24 by default. */
    private static final int HOURS = Integer.getInteger("bench.hours", 24);

    private MatchingRecipientsBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        DataSource ds;
        if (args.length > 1 && args[0].equals("postgres")) {
            // pooled, as the application has it: the plain data source opens a connection per statement, which cost
            // 25-40 ms of each count here, ten times the statement's own time
            ds = TestDatabase.pooled("postgres");
            Path log = BenchData.generated(Integer.parseInt(args[1]));
            IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);
            try (InputStream in = Files.newInputStream(log)) {
                engine.ingest(engine.createSource("import", log.toString()), log.toString(), in, LogOptions.auto(),
                        new Progress());
            }
            JdbcClient.create(ds).sql("ANALYZE").update();
        } else {
            Path db = Path.of("target", "bench", "h2", "mailtrail.mv.db");
            if (!Files.exists(db)) {
                throw new IllegalStateException("run ImportBenchmark first: " + db + " is missing");
            }
            ds = new SingleConnectionDataSource("jdbc:h2:file:" + db.toAbsolutePath().toString().replace(".mv.db", "")
                    + BenchData.h2Settings().replaceAll("QUERY_CACHE_SIZE=\\d+", "QUERY_CACHE_SIZE=0")
                    + ";ACCESS_MODE_DATA=r", "sa", "", true);
        }
        MessageQueries queries = new MessageQueries(JdbcClient.create(ds));
        if (Boolean.getBoolean("bench.explain")) {
            // the plan of the count for one page of status=bounced, as matchingRecipients builds it for that search
            MessageCriteria c = form(null, "bounced", null, null, null, 23).toCriteria();
            List<Long> ids = queries.search(c).items().stream().map(MessageSummary::id).toList();
            JdbcClient.create(ds).sql("EXPLAIN ANALYZE SELECT r.message_ref, COUNT(*) FROM recipient r "
                            + "WHERE r.message_ref = ANY(:messages) AND r.status IN (:statuses) GROUP BY r.message_ref")
                    .param("messages", ids.toArray(new Long[0])).param("statuses", List.of("bounced"))
                    .query(String.class).list().forEach(System.out::println);
        }
        Map<String, IntFunction<SearchForm>> searches = new LinkedHashMap<>();
        searches.put("status=deferred, 00:00 to h+1", h -> form(null, "deferred", null, null, null, h));
        searches.put("status=bounced, 00:00 to h+1", h -> form(null, "bounced", null, null, null, h));
        searches.put("recipient=@example.com, 00:00 to h+1", h -> form("@example.com", null, null, null, null, h));
        searches.put("recipient=liam*, 00:00 to h+1", h -> form("liam*", null, null, null, null, h));
        searches.put("category=timeout, 00:00 to h+1", h -> form(null, null, null, "timeout", null, h));
        searches.put("outcome=delivered&channel=tcp_local, h+1", h -> form(null, null, "tcp_local", null,
                "delivered", h));
        System.out.printf("%-42s %6s %12s %16s %10s %12s%n", "search, ms per page", "size", "search",
                "N of M (1 stmt)", "rows", "fewer than M");
        for (String size : List.of("50", "500")) {
            for (Map.Entry<String, IntFunction<SearchForm>> search : searches.entrySet()) {
                for (int round = 0; round < 2; round++) { // the first round warms the JIT and the page cache
                    long searchNanos = 0;
                    long matchingNanos = 0;
                    long rows = 0;
                    long fewer = 0;
                    for (int h = 0; h < HOURS; h++) {
                        SearchForm f = search.getValue().apply(h);
                        MessageCriteria c = new SearchForm(f.messageId(), f.recipient(), f.sender(), f.from(), f.to(),
                                f.status(), f.channel(), f.category(), null, size, null, null, null, null,
                                f.outcome(), f.eventFrom(), f.eventTo(), null, null, null).toCriteria();
                        long t0 = System.nanoTime();
                        PageResult<MessageSummary> r = queries.search(c);
                        long t1 = System.nanoTime();
                        Map<Long, Long> matching = queries.matchingRecipients(c,
                                r.items().stream().map(MessageSummary::id).toList());
                        long t2 = System.nanoTime();
                        searchNanos += t1 - t0;
                        matchingNanos += t2 - t1;
                        rows += r.items().size();
                        for (MessageSummary m : r.items()) {
                            if (matching.getOrDefault(m.id(), 0L) != m.recipients()) {
                                fewer++;
                            }
                        }
                    }
                    if (round == 1) {
                        System.out.printf("%-42s %6s %9.1f ms %13.1f ms %10d %12d%n", search.getKey(), size,
                                searchNanos / (HOURS * 1e6), matchingNanos / (HOURS * 1e6), rows / HOURS, fewer / HOURS);
                    }
                }
            }
        }
        TestDatabase.closePools();
    }

    private static SearchForm form(String recipient, String status, String channel, String category, String outcome,
                                   int h) {
        return new SearchForm(null, recipient, null, null, null, status, channel, category, null, null, null, null,
                null, null, outcome, DAY.toString(), DAY.plusHours(h + 1).toString(), null, null, null);
    }
}
