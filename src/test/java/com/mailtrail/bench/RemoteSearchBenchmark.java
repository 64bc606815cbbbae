package com.mailtrail.bench;

import com.mailtrail.message.MessageQueries;
import com.mailtrail.message.PageResult;
import com.mailtrail.message.SearchForm;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;

/**
 * What a search by remote system costs (not a test): each search over the whole generated day and over each of its
 * 24 hours (distinct searches, so that no database answers from a cache of results), on the H2 database
 * ImportBenchmark left in target/bench/h2 (opened with H2's result cache off).
 * {@code java -cp ... com.mailtrail.bench.RemoteSearchBenchmark}
 */
public final class RemoteSearchBenchmark {

    private static final LocalDateTime DAY = LocalDateTime.of(2026, 3, 2, 0, 0);

    private RemoteSearchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path db = Path.of("target", "bench", "h2", "mailtrail.mv.db");
        if (!Files.exists(db)) {
            throw new IllegalStateException("run ImportBenchmark first: " + db + " is missing");
        }
        SingleConnectionDataSource ds = new SingleConnectionDataSource("jdbc:h2:file:"
                + db.toAbsolutePath().toString().replace(".mv.db", "")
                + BenchData.h2Settings().replaceAll("QUERY_CACHE_SIZE=\\d+", "QUERY_CACHE_SIZE=0")
                + ";ACCESS_MODE_DATA=r", "sa", "", true);
        MessageQueries queries = new MessageQueries(JdbcClient.create(ds));
        List<String[]> searches = List.of(
                new String[]{"remote", "203.0.113.23", null},
                new String[]{"remote", "mx1.harborbank.example", null},
                new String[]{"remote", ".harborbank.example", null},
                new String[]{"remote", "203.0.113.23", "deferred"},
                new String[]{"client", "203.0.113.27", null},
                new String[]{"client", "mx1.pinecrest-realty.example", null},
                new String[]{"client", ".pinecrest-realty.example", null});
        System.out.printf("%-48s %12s %10s %12s %12s %10s%n", "search", "whole day", "messages", "recipients",
                "an hour", "messages");
        for (String[] s : searches) {
            for (int round = 0; round < 2; round++) { // the first round warms the JIT and the page cache
                long t0 = System.nanoTime();
                PageResult<?> day = queries.search(form(s, DAY, DAY.plusDays(1)).toCriteria());
                long dayNanos = System.nanoTime() - t0;
                long hourNanos = 0;
                long hourMessages = 0;
                for (int h = 0; h < 24; h++) {
                    long t1 = System.nanoTime();
                    hourMessages += queries.search(form(s, DAY.plusHours(h), DAY.plusHours(h + 1)).toCriteria())
                            .total();
                    hourNanos += System.nanoTime() - t1;
                }
                if (round == 1) {
                    System.out.printf("%-48s %9.0f ms %10d %12d %9.1f ms %10d%n",
                            s[0] + "=" + s[1] + (s[2] == null ? "" : "&outcome=" + s[2]), dayNanos / 1e6,
                            day.total(), day.recipients(), hourNanos / 24e6, hourMessages / 24);
                }
            }
        }
    }

    /** The search in the time of its messages (from, to), as the search form's From and To give it. */
    private static SearchForm form(String[] s, LocalDateTime from, LocalDateTime to) {
        return new SearchForm(null, null, null, from.toString(), to.toString(), null, null, null, null, null, null,
                null, null, null, s[2], null, null, null, null, null, s[0].equals("remote") ? s[1] : null,
                s[0].equals("client") ? s[1] : null);
    }
}
