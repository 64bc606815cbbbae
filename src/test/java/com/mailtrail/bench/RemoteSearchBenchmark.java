package com.mailtrail.bench;

import com.mailtrail.message.MessageQueries;
import com.mailtrail.message.PageResult;
import com.mailtrail.message.SearchForm;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;

/**
 * What a search by remote system costs (not a test): each search over the whole generated day, over each of its
 * 24 hours (distinct searches, so that no database answers from a cache of results) and without a time range (all the
 * data), on the H2 database ImportBenchmark left in target/bench/h2 (opened with H2's result cache off). Each time
 * also as the CPU time of the searching thread, on which embedded H2 does the work: on a shared machine it moves
 * much less than the wall time. A search by client is timed twice: through its index (V22), and by reading the rows
 * of its range as before V22 (MessageQueries.withoutClientIndex, "rows"), alternated.
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
        MessageQueries byIndex = new MessageQueries(JdbcClient.create(ds));
        List<String[]> searches = List.of(
                new String[]{"remote", "203.0.113.23", null},
                new String[]{"remote", "mx1.harborbank.example", null},
                new String[]{"remote", ".harborbank.example", null},
                new String[]{"remote", "203.0.113.23", "deferred"},
                new String[]{"client", "203.0.113.27", null, "rows"},
                new String[]{"client", "203.0.113.27", null},
                new String[]{"client", "mx1.pinecrest-realty.example", null, "rows"},
                new String[]{"client", "mx1.pinecrest-realty.example", null},
                new String[]{"client", ".pinecrest-realty.example", null, "rows"},
                new String[]{"client", ".pinecrest-realty.example", null},
                new String[]{"client", ".pinecrest-realty.example", "deferred", "rows"},
                new String[]{"client", ".pinecrest-realty.example", "deferred"});
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        System.out.printf("%-56s %18s %9s %10s %18s %8s %18s%n", "search", "whole day (CPU)", "messages",
                "recipients", "an hour (CPU)", "messages", "all data (CPU)");
        MessageQueries byRows = byIndex.withoutClientIndex();
        for (String[] s : searches) {
            MessageQueries queries = s.length > 3 ? byRows : byIndex;
            for (int round = 0; round < 2; round++) { // the first round warms the JIT and the page cache
                long t0 = System.nanoTime();
                long c0 = cpu.getCurrentThreadCpuTime();
                PageResult<?> day = queries.search(form(s, DAY, DAY.plusDays(1)).toCriteria());
                long dayNanos = System.nanoTime() - t0;
                long dayCpu = cpu.getCurrentThreadCpuTime() - c0;
                long hourNanos = 0;
                long hourCpu = 0;
                long hourMessages = 0;
                for (int h = 0; h < 24; h++) {
                    long t1 = System.nanoTime();
                    long c1 = cpu.getCurrentThreadCpuTime();
                    hourMessages += queries.search(form(s, DAY.plusHours(h), DAY.plusHours(h + 1)).toCriteria())
                            .total();
                    hourNanos += System.nanoTime() - t1;
                    hourCpu += cpu.getCurrentThreadCpuTime() - c1;
                }
                long t2 = System.nanoTime();
                long c2 = cpu.getCurrentThreadCpuTime();
                PageResult<?> all = queries.search(form(s, null, null).toCriteria());
                long allNanos = System.nanoTime() - t2;
                long allCpu = cpu.getCurrentThreadCpuTime() - c2;
                if (all.total() < day.total()) {
                    throw new IllegalStateException("fewer messages in all the data than in its day: " + s[1]);
                }
                if (round == 1) {
                    System.out.printf("%-56s %7.0f (%5.0f) ms %9d %10d %7.1f (%5.1f) ms %8d %7.0f (%5.0f) ms%n",
                            s[0] + "=" + s[1] + (s[2] == null ? "" : "&outcome=" + s[2])
                                    + (s.length > 3 ? " (rows)" : ""), dayNanos / 1e6,
                            dayCpu / 1e6, day.total(), day.recipients(), hourNanos / 24e6, hourCpu / 24e6,
                            hourMessages / 24, allNanos / 1e6, allCpu / 1e6);
                }
            }
        }
    }

    /** The search in the time of its messages (from, to; null for none), as the search form's From and To give it. */
    private static SearchForm form(String[] s, LocalDateTime from, LocalDateTime to) {
        return new SearchForm(null, null, null, from == null ? null : from.toString(),
                to == null ? null : to.toString(), null, null, null, null, null, null, null, null, null, s[2], null,
                null, null, null, null, s[0].equals("remote") ? s[1] : null, s[0].equals("client") ? s[1] : null);
    }
}
