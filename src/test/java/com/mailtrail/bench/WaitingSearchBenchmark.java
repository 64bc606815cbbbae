package com.mailtrail.bench;

import com.mailtrail.message.MessageCriteria;
import com.mailtrail.message.MessageQueries;
import com.mailtrail.message.MessageSummary;
import com.mailtrail.message.SearchForm;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * What a search for waiting mail costs (not a test): status=deferred, waiting and queued over all the data and the day
 * through the index on status and led by the messages' time as before (MessageQueries
 * .withoutStatusIndex), alternated, on the H2 database ImportBenchmark left in target/bench/h2, opened with the
 * application's settings and H2's reuse of an unchanged query's result off. Times the search as its page runs it
 * (the count and the first page of 50) and the CSV (every message, 500 at a time).
 * {@code java -cp ... com.mailtrail.bench.WaitingSearchBenchmark [runs]}
 */
public final class WaitingSearchBenchmark {

    private static final LocalDateTime DAY = LocalDateTime.of(2026, 3, 2, 0, 0);

    private WaitingSearchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        Path db = Path.of("target", "bench", "h2", "mailtrail.mv.db");
        if (!Files.exists(db)) {
            throw new IllegalStateException("run ImportBenchmark first: " + db + " is missing");
        }
        SingleConnectionDataSource ds = new SingleConnectionDataSource("jdbc:h2:file:"
                + db.toAbsolutePath().toString().replace(".mv.db", "") + BenchData.h2Settings()
                + ";ACCESS_MODE_DATA=r", "sa", "", true);
        JdbcClient jdbc = JdbcClient.create(ds);
        // a server that follows a log changes the tables between two looks at a page: no result given back unread
        jdbc.sql("SET OPTIMIZE_REUSE_RESULTS FALSE").update();
        MessageQueries byIndex = new MessageQueries(jdbc);
        MessageQueries byTime = byIndex.withoutStatusIndex();
        System.out.printf("%-36s %8s %10s %10s %10s %10s%n", "search", "messages", "page, before", "after",
                "CSV, before", "after");
        for (String status : List.of("deferred", "waiting", "queued")) {
            for (String range : List.of("all", "day")) {
                MessageCriteria c = form(status, range).toCriteria();
                long total = byIndex.search(c).total();
                if (total != byTime.search(c).total()) {
                    throw new IllegalStateException("the two paths differ for " + status + " " + range);
                }
                List<double[]> times = new ArrayList<>();
                for (int run = 0; run < runs + 1; run++) { // one to warm up, then alternated
                    double[] t = {ms(() -> byTime.search(c)), ms(() -> byIndex.search(c)), ms(() -> csv(byTime, c)),
                            ms(() -> csv(byIndex, c))};
                    if (run >= 1) {
                        times.add(t);
                    }
                }
                System.out.printf("%-36s %8d %10.1f %10.1f %10.1f %10.1f%n", "status=" + status + " " + range,
                        total, median(times, 0), median(times, 1), median(times, 2), median(times, 3));
            }
        }
    }

    private static SearchForm form(String status, String range) {
        LocalDateTime from = range.equals("all") ? null : DAY;
        LocalDateTime to = range.equals("all") ? null : DAY.plusDays(1);
        return new SearchForm(null, null, null, from == null ? null : from.toString(), to == null ? null : to.toString(),
                status, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    private static int csv(MessageQueries q, MessageCriteria c) {
        int n = 0;
        MessageSummary last = null;
        while (true) {
            List<MessageSummary> page = q.after(c, last, 500);
            n += page.size();
            if (page.size() < 500) {
                return n;
            }
            last = page.get(page.size() - 1);
        }
    }

    private static double ms(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static double median(List<double[]> times, int column) {
        double[] v = times.stream().mapToDouble(t -> t[column]).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
