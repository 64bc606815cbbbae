package com.mailtrail.bench;

import com.mailtrail.message.MessageCriteria;
import com.mailtrail.message.MessageQueries;
import com.mailtrail.message.PageResult;
import com.mailtrail.message.MessageSummary;
import com.mailtrail.message.SearchForm;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a search by recipient address costs (not a test): the site's own domain, a domain of a few thousand
 * recipients and a prefix, over an hour, the day and all the data, answered as the search now chooses
 * (MessageQueries.RecipientWay.AUTO) and always by address, as before, alternated in each round; the search as its
 * page runs it (the count, then the first page of 50), and the choice's own counts apart. On the H2 database
 * ImportBenchmark left in target/bench/h2, or
 * the one in DIR, opened with the application's settings ({@code -Dreuse=false}: with H2's reuse of an unchanged
 * query's result off, as while logs are being loaded: one search by address of the site's own domain then ran for
 * more than two minutes before it was stopped).
 * {@code java -cp ... com.mailtrail.bench.RecipientSearchBenchmark [rounds [DIR]]}
 */
public final class RecipientSearchBenchmark {

    private RecipientSearchBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Path dir = args.length > 1 ? Path.of(args[1]) : Path.of("target", "bench", "h2");
        if (!Files.exists(dir.resolve("mailtrail.mv.db"))) {
            throw new IllegalStateException("run ImportBenchmark first: " + dir.resolve("mailtrail.mv.db")
                    + " is missing");
        }
        SingleConnectionDataSource ds = new SingleConnectionDataSource("jdbc:h2:file:"
                + dir.toAbsolutePath().resolve("mailtrail") + BenchData.h2Settings() + ";ACCESS_MODE_DATA=r",
                "sa", "", true);
        JdbcClient jdbc = JdbcClient.create(ds);
        if (!Boolean.parseBoolean(System.getProperty("reuse", "true"))) {
            // as a database being written to has it; then H2 runs the by-address IN again for every message it tests
            jdbc.sql("SET OPTIMIZE_REUSE_RESULTS FALSE").update();
        }
        MessageQueries chosen = new MessageQueries(jdbc);
        MessageQueries byAddress = chosen.recipientsBy(MessageQueries.RecipientWay.BY_ADDRESS);
        String[][] searches = {
                {"@example.com", "2026-03-02T10:00", "2026-03-02T11:00"},
                {"@example.com", "2026-03-02T00:00", "2026-03-03T00:00"},
                {"@example.com", null, null},
                {"@example.org", "2026-03-02T10:00", "2026-03-02T11:00"},
                {"@example.org", null, null},
                {"liam*", "2026-03-02T10:00", "2026-03-02T11:00"},
                {"liam*", null, null},
        };
        for (int round = 1; round <= rounds; round++) {
            for (String[] s : searches) {
                MessageCriteria c = new SearchForm(null, s[0], null, s[1], s[2], null, null, null, null, null, null,
                        null, null, null, null, null, null, null, null, null).toCriteria();
                StringBuilder line = new StringBuilder(String.format("round %d  %-13s %-16s %-16s", round, s[0],
                        s[1] == null ? "all" : s[1], s[2] == null ? "" : s[2]));
                // the choice alone: the counts it makes, which every search by address now starts with
                long t = System.nanoTime();
                chosen.choosingOnceFor(c);
                line.append(String.format("  choice %,5d ms", (System.nanoTime() - t) / 1_000_000));
                long found = -1;
                for (MessageQueries q : new MessageQueries[]{chosen, byAddress}) {
                    long t0 = System.nanoTime();
                    PageResult<MessageSummary> page = q.search(c);
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    if (found >= 0 && page.total() != found) {
                        throw new IllegalStateException(s[0] + ": " + page.total() + " against " + found);
                    }
                    found = page.total();
                    line.append(String.format("  %s %,7d ms", q == chosen ? "chosen" : "by address", ms));
                }
                System.out.println(line.append(String.format("  (%,d messages)", found)));
            }
        }
        ds.destroy();
    }
}
