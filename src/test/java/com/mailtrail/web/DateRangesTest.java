package com.mailtrail.web;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every range in the product, over real HTTP, takes a date alone as the search does: {@code from=2026-03-02} is its
 * 00:00, {@code to=2026-03-02} the next day's 00:00 (found by QA: the search took it, and the dashboard, the charts
 * and the Connections page and API refused it with a 400).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:date-ranges;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/date-ranges"})
class DateRangesTest {

    @RegisterExtension
    final LocalHttp http = new LocalHttp();

    @Autowired
    IngestEngine engine;

    @BeforeEach
    void importOnce() throws Exception {
        http.loadOnce("log_file", () -> {
            // connections on 2026-03-02 from 10:00 to 12:00
            try (InputStream in = getClass().getResourceAsStream("/logs/connections.log")) {
                engine.ingest(engine.createSource("upload", "connection.log_current"), "connection.log_current", in,
                        LogOptions.auto(), new Progress());
            }
        });
    }

    private String ok(String path) {
        return http.ok(path).replaceAll("\\s+", " ");
    }

    @Test
    void theDashboardAndTheConnectionsPageShowADateAsTheWholeDay() throws Exception {
        for (String page : new String[] {"/", "/connections"}) {
            String html = ok(page + "?from=2026-03-02&to=2026-03-02");
            assertThat(html).as(page).contains("value=\"2026-03-02T00:00\"", "value=\"2026-03-03T00:00\"");
        }
        assertThat(ok("/connections?from=2026-03-02&to=2026-03-02"))
                .contains("6 rejected, failed, authentication and ETRN entries, newest first");
        // a date-time is read as before
        assertThat(ok("/connections?from=2026-03-02T11:00&to=2026-03-02T12:00"))
                .contains("value=\"2026-03-02T11:00\"", "value=\"2026-03-02T12:00\"");
    }

    @Test
    void theChartsAndTheConnectionsApiTakeADate() throws Exception {
        assertThat(ok("/api/connections?from=2026-03-02&to=2026-03-02")).contains("\"total\":6");
        // the day before holds none of it: to=2026-03-01 ends at the 2nd's 00:00
        assertThat(ok("/api/connections?from=2026-03-01&to=2026-03-01")).contains("\"total\":0");
        // a whole day is drawn per hour: 24 bars from its 00:00
        String chart = ok("/api/charts/connections?from=2026-03-02&to=2026-03-02");
        assertThat(chart).contains("\"unit\":\"hour\"", "\"2026-03-02T00:00:00\"", "\"2026-03-02T23:00:00\"")
                .doesNotContain("\"2026-03-03T00:00:00\"");
        // the volume chart, of messages this log has none of, still draws the day
        assertThat(ok("/api/charts/volume?from=2026-03-02&to=2026-03-02")).contains("\"unit\":\"hour\"",
                "\"2026-03-02T23:00:00\"");
        // a date alone in to, with from the data's own (10:00)
        assertThat(ok("/api/connections?to=2026-03-02")).contains("\"total\":6");
    }

    @Test
    void aBadDateIsRefusedInTheSearchsWords() throws Exception {
        String expected = "from must be an ISO-8601 local date-time such as 2026-03-02T10:00 or 2026-03-02T10:00:05.25,"
                + " or a date such as 2026-03-02; got 'yesterday'";
        assertThat(http.expect(400, "/api/connections?from=yesterday")).contains(expected);
        assertThat(http.expect(400, "/api/charts/volume?from=yesterday")).contains(expected);
        assertThat(http.expect(400, "/?to=2026-02-30")).contains("to must be an ISO-8601 local date-time such as "
                + "2026-03-02T10:00 or 2026-03-02T10:00:05.25, or a date such as 2026-03-02; got &#39;2026-02-30&#39;");
        assertThat(http.expect(400, "/connections?from=2026-03-02&to=2026-03-01"))
                .contains("from must be before to (from is inclusive, to exclusive)");
        // the same day in both is that day, not an empty range
        assertThat(http.get("/connections?from=2026-03-02T00:00&to=2026-03-02").statusCode()).isEqualTo(200);
    }
}
