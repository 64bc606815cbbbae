package com.mailtrail.bench;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.ingest.TestDatabase;
import com.mailtrail.message.MessageCriteria;
import com.mailtrail.message.MessageQueries;
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
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * What counting the matching recipients (and, with an outcome or category, the matching outcomes) costs a search (not a test): each search with and without that count, in
 * turn, 24 distinct searches of each kind (one per hour of the generated day), so that no database answers from a
 * cache of results. On the H2 database ImportBenchmark left in target/bench/h2 (opened with H2's result cache off),
 * or with {@code postgres ENTRIES} on a fresh embedded PostgreSQL loaded with that many generated entries.
 * {@code java -cp ... com.mailtrail.bench.SearchCountBenchmark [postgres ENTRIES]}
 */
public final class SearchCountBenchmark {

    private static final LocalDateTime DAY = LocalDateTime.of(2026, 3, 2, 0, 0);

    private SearchCountBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        DataSource ds;
        if (args.length > 1 && args[0].equals("postgres")) {
            ds = TestDatabase.postgres();
            Path log = BenchData.generated(Integer.parseInt(args[1]));
            IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);
            try (InputStream in = Files.newInputStream(log)) {
                engine.ingest(engine.createSource("import", log.toString()), log.toString(), in, LogOptions.auto(),
                        new Progress());
            }
            JdbcClient.create(ds).sql("ANALYZE").update(); // the statistics autovacuum would have gathered by now
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
        Map<String, IntFunction<SearchForm>> searches = new LinkedHashMap<>();
        searches.put("status=bounced, hour h", h -> hour("status", "bounced", h));
        searches.put("status=delivered, hour h", h -> hour("status", "delivered", h));
        searches.put("category=timeout, hour h", h -> hour("category", "timeout", h));
        searches.put("outcome=delivered&channel=tcp_local, hour h", h -> form(null, null, "tcp_local", null,
                "delivered", DAY.plusHours(h), DAY.plusHours(h + 1)));
        searches.put("status=bounced, 00:00 to h+1", h -> form(null, "bounced", null, null, null, DAY,
                DAY.plusHours(h + 1)));
        searches.put("status=waiting, 00:00 to h+1", h -> form(null, "waiting", null, null, null, DAY,
                DAY.plusHours(h + 1)));
        searches.put("outcome=deferred, 00:00 to h+1", h -> form(null, null, null, null, "deferred", DAY,
                DAY.plusHours(h + 1)));
        searches.put("recipient=@example.com, 00:00 to h+1", h -> form("@example.com", null, null, null, null, DAY,
                DAY.plusHours(h + 1)));
        System.out.printf("%-45s %14s %14s %10s %12s %10s%n", "search, ms per search", "messages only",
                "and recipients", "messages", "recipients", "outcomes");
        for (Map.Entry<String, IntFunction<SearchForm>> search : searches.entrySet()) {
            for (int round = 0; round < 2; round++) { // the first round warms the JIT and the page cache
                long[] nanos = new long[2];
                long messages = 0;
                long recipients = 0;
                long outcomes = 0;
                for (int h = 0; h < 24; h++) {
                    MessageCriteria c = search.getValue().apply(h).toCriteria();
                    for (int i = 0; i < 2; i++) {
                        boolean count = (h + i) % 2 == 0; // each first in turn: the second finds the pages read
                        long t0 = System.nanoTime();
                        PageResult<?> r = queries.search(c, count);
                        nanos[count ? 1 : 0] += System.nanoTime() - t0;
                        messages += count ? 0 : r.total();
                        recipients += count ? r.recipients() : 0;
                        outcomes += count && r.outcomes() != null ? r.outcomes() : 0;
                    }
                }
                if (round == 1) {
                    System.out.printf("%-45s %11.1f ms %11.1f ms %10d %12d %10d%n", search.getKey(), nanos[0] / 24e6,
                            nanos[1] / 24e6, messages / 24, recipients / 24, outcomes / 24);
                }
            }
        }
    }

    private static SearchForm hour(String name, String value, int h) {
        return name.equals("status") ? form(null, value, null, null, null, DAY.plusHours(h), DAY.plusHours(h + 1))
                : form(null, null, null, value, null, DAY.plusHours(h), DAY.plusHours(h + 1));
    }

    private static SearchForm form(String recipient, String status, String channel, String category, String outcome,
                                   LocalDateTime eventFrom, LocalDateTime eventTo) {
        return new SearchForm(null, recipient, null, null, null, status, channel, category, null, null, null, null,
                null, null, outcome, eventFrom.toString(), eventTo.toString(), null, null, null);
    }
}
