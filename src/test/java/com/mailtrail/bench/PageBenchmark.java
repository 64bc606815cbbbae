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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Page speed (not a test): runs the application on the H2 database the import benchmark left in target/bench/h2
 * (1,000,000 entries; run ImportBenchmark first) and times every page and chart endpoint over HTTP on this machine.
 * {@code java -cp ... com.mailtrail.bench.PageBenchmark}
 */
public final class PageBenchmark {

    private static final int ROUNDS = 15;

    private PageBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        H2Tuning.apply();
        Path db = Path.of("target", "bench", "h2", "mailtrail.mv.db");
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
            paths.addAll(List.of(args)); // more pages to time, e.g. "/search?recipient=bob*"
            System.out.printf("%-45s %8s %8s %8s%n", "page", "median", "p90", "max");
            for (String path : paths) {
                double[] ms = new double[ROUNDS];
                int status = 0;
                for (int i = -3; i < ROUNDS; i++) { // three warm-up requests
                    long t0 = System.nanoTime();
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    status = r.statusCode();
                    if (i >= 0) {
                        ms[i] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                Arrays.sort(ms);
                System.out.printf("%-45s %6.0f ms %6.0f ms %6.0f ms  (HTTP %d)%n", path, ms[ROUNDS / 2],
                        ms[(int) (ROUNDS * 0.9)], ms[ROUNDS - 1], status);
            }
        }
    }

    /** A message page to time: the first message of a deferred search, through the JSON API. */
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
