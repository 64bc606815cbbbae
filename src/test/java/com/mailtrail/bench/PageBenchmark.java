package com.mailtrail.bench;

import com.mailtrail.MailtrailApplication;
import com.mailtrail.store.H2Tuning;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Page speed (not a test): runs the application on the H2 database the import benchmark left in target/bench/h2
 * (1,000,000 entries; run ImportBenchmark first) and times every page and chart endpoint over HTTP on this machine.
 * {@code java -cp ... com.mailtrail.bench.PageBenchmark}
 * <p>{@code -Dbench.db=DIR} times the database in DIR instead (the data directory {@code import} filled), and
 * {@code -Dbench.history=true} adds each search over an hour and over the day of {@code -Dbench.day} (the generated
 * log's first day unless given) and over all the data, the CSV of that day, the whole range's dashboard and a page
 * deep in the results: run on a database of one day and on one of several days that starts with the same day, the
 * two say which costs grow with the history kept rather than with the range asked.
 */
public final class PageBenchmark {

    private static final int ROUNDS = Integer.getInteger("bench.rounds", 15);

    private PageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        H2Tuning.apply();
        Path db = Path.of(System.getProperty("bench.db", "target/bench/h2"), "mailtrail.mv.db");
        if (!Files.exists(db)) {
            throw new IllegalStateException("run ImportBenchmark first: " + db + " is missing");
        }
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(MailtrailApplication.class).run(
                "--server.port=0", "--logging.level.root=WARN", "--spring.main.banner-mode=off",
                "--spring.datasource.url=jdbc:h2:file:" + db.toAbsolutePath().toString().replace(".mv.db", "") + BenchData.h2Settings())) {
            String base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
            HttpClient http = HttpClient.newHttpClient();
            String someMessage = firstId(http, base, "/api/messages?status=deferred&size=1", "/messages/");
            String someSource = firstId(http, base, "/api/sources", "/search?source=");
            List<String> paths = new ArrayList<>(List.of("/", "/search", "/search?status=deferred",
                    "/search?recipient=@example.com", "/queue", "/connections", "/sources", "/upload",
                    "/api/messages?status=bounced", "/api/charts/volume", "/api/charts/attempts",
                    "/api/charts/delays", "/api/charts/failures", "/api/charts/domains", "/api/charts/channels"));
            if (someMessage != null) {
                paths.add(someMessage);
            }
            if (someSource != null) {
                paths.add(someSource); // the Sources page's "Messages with lines from it"
            }
            if (Boolean.getBoolean("bench.history")) {
                paths.addAll(history(LocalDate.parse(System.getProperty("bench.day", "2026-03-02"))));
            }
            paths.addAll(List.of(args)); // more pages to time, e.g. "/search?recipient=bob*"
            System.out.printf("%-45s %8s %8s %8s%n", "page", "median", "p90", "max");
            for (String path : paths) {
                double[] ms = new double[ROUNDS];
                int status = 0;
                int rounds = ROUNDS;
                String total = "";
                for (int i = -3; i < rounds; i++) { // three warm-up requests
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    status = r.statusCode();
                    long nanos = System.nanoTime() - t0;
                    if (i == -3) {
                        total = total(path, r.body());
                        if (nanos > SLOW_NANOS) {
                            rounds = Math.min(3, ROUNDS); // a page of seconds: fewer rounds, one warm-up
                            i = -1;
                        }
                    }
                    if (i >= 0) {
                        ms[i] = nanos / 1e6;
                    }
                }
                double[] timed = Arrays.copyOf(ms, rounds);
                Arrays.sort(timed);
                System.out.printf("%-70s %7.0f ms %7.0f ms %7.0f ms  (HTTP %d) %s%n", path, timed[rounds / 2],
                        timed[(int) (rounds * 0.9)], timed[rounds - 1], status, total);
            }
        }
    }

    private static final long SLOW_NANOS = 2_000_000_000L;

    /**
     * Searches an administrator makes, each over an hour (10:00 of {@code day}), over {@code day} and over all the
     * data; then what does not take a range of its own.
     */
    private static List<String> history(LocalDate day) {
        String hour = "&from=" + day + "T10:00&to=" + day + "T11:00";
        String wholeDay = "&from=" + day + "&to=" + day;
        List<String> searches = List.of("messageId=%3Canything%40example.test%3E", "recipient=liam*",
                "recipient=@example.com", "recipient=@harborbank.example", "sender=quinn*", "status=deferred",
                "status=bounced", "category=timeout", "channel=tcp_local", "outcome=delivered&channel=tcp_local",
                "remote=203.0.113.23", "remote=.harborbank.example", "client=.pinecrest-realty.example");
        List<String> paths = new ArrayList<>();
        for (String s : searches) {
            paths.add("/search?" + s + hour);
            paths.add("/search?" + s + wholeDay);
            paths.add("/search?" + s);
        }
        paths.add("/?from=" + day + "&to=" + day); // the dashboard of one day (per hour)
        paths.add("/search?page=100"); // a page deep into everything, newest first
        paths.add("/search?page=100&sort=time,asc");
        paths.add("/search.csv?status=deferred" + hour);
        paths.add("/search.csv?" + wholeDay.substring(1));
        paths.add("/search?from=" + day + "T10:00&to=" + day + "T11:00"); // an hour of everything
        return paths;
    }

    /** The number of messages a search page or the API says it found, or the lines of a CSV, to compare runs. */
    private static String total(String path, String body) {
        if (path.startsWith("/search.csv")) {
            return (body.lines().count() - 1) + " rows";
        }
        String counts = "<span class=\"counts\"><strong>";
        int i = body.indexOf(counts);
        if (i >= 0) {
            return body.substring(i + counts.length(), body.indexOf('<', i + counts.length())) + " messages";
        }
        return "";
    }

    /** The page of the first id in an API answer, or null when it lists none. */
    private static String firstId(HttpClient http, String base, String api, String page) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + api))
                .build(), HttpResponse.BodyHandlers.ofString());
        int i = r.body().indexOf("\"id\":");
        if (r.statusCode() != 200 || i < 0) {
            return null;
        }
        int end = i + 5;
        while (end < r.body().length() && Character.isDigit(r.body().charAt(end))) {
            end++;
        }
        return page + r.body().substring(i + 5, end);
    }
}
