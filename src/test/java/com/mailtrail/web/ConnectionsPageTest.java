package com.mailtrail.web;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The Connections page and {@code /api/connections} over MockMvc, from a connection log alone (as
 * {@code connection.log_current} is with SEPARATE_CONNECTION_LOG=1): what they show, filters, escaping, bad values.
 */
@SpringBootTest
@AutoConfigureMockMvc
@TestPropertySource(properties = {"spring.datasource.url=jdbc:h2:mem:connections-page;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/connections"})
class ConnectionsPageTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    IngestEngine engine;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void load() throws Exception {
        if (jdbc.sql("SELECT COUNT(*) FROM log_file").query(Long.class).single() > 0) {
            return;
        }
        try (InputStream in = getClass().getResourceAsStream("/logs/connections.log")) {
            engine.ingest(engine.createSource("upload", "connection.log_current"), "connection.log_current", in,
                    LogOptions.auto(), new Progress());
        }
    }

    /** The page with its runs of white space made one space. */
    private String page(String url) throws Exception {
        return mvc.perform(get(url)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString()
                .replaceAll("\\s+", " ");
    }

    @Test
    void showsTheLoadedRangeWithCountsTablesAndEntriesEscaped() throws Exception {
        String html = page("/connections");
        assertThat(html).contains("<a href=\"/connections\" class=\"active\">Connections</a>")
                .contains("value=\"2026-03-02T10:00\"", "value=\"2026-03-02T12:00\"")
                .contains("<span class=\"value\">2</span> <span class=\"label\">connections in</span>")
                .contains("<span class=\"value\">1</span> <span class=\"label\">connections out</span>")
                .contains(">3</a> <span class=\"label\">authentication (U)</span>")
                .contains("data-url=\"/api/charts/connections?from=2026-03-02T10:00&amp;to=2026-03-02T12:00\"")
                .contains("href=\"/connections?from=2026-03-02T10:00&amp;to=2026-03-02T12:00&amp;ip=198.51.100.9\"")
                .contains("6 rejected, failed, authentication and ETRN entries, newest first")
                .contains("is listed at &lt;script&gt;alert(1)&lt;/script&gt;")
                .contains("<span class=\"where\">connection.log_current:4</span> <code class=\"rawline\">02-Mar-2026 "
                        + "10:00:01.20 tcp_local + X TCP|192.0.2.25|25|203.0.113.66|41001 SMTP Connection rejected")
                .doesNotContain("<script>alert(1)");
    }

    @Test
    void filtersByCodeAndAddress() throws Exception {
        String html = page("/connections?code=u&ip=198.51.100.9");
        assertThat(html).contains("3 rejected, failed, authentication and ETRN entries of 198.51.100.9")
                .contains("<option value=\"U\" selected=\"selected\">U: authentication</option>")
                .doesNotContain("is listed at");
        mvc.perform(get("/api/connections").param("ip", "198.51.100.9").param("code", "U"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.total").value(3))
                .andExpect(jsonPath("$.items[0].time").value("2026-03-02T11:05:02.5"))
                .andExpect(jsonPath("$.items[0].diagnostic").value("Bad username or password"))
                .andExpect(jsonPath("$.items[0].localPort").value(587));
        mvc.perform(get("/api/charts/connections").param("from", "2026-03-02T10:00").param("to", "2026-03-02T12:00"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.series.length()").value(5))
                .andExpect(jsonPath("$.series[4].values[0]").value(2));
    }

    @Test
    void badValuesAreA400WithTheReason() throws Exception {
        String html = mvc.perform(get("/connections?code=Q")).andExpect(status().isBadRequest()).andReturn()
                .getResponse().getContentAsString();
        assertThat(html).contains("code must be one of I, U, X, Y; got &#39;Q&#39;");
        mvc.perform(get("/api/connections?from=yesterday")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error").value("from must be an ISO-8601 local date-time such as "
                        + "2026-03-02T10:00 or 2026-03-02T10:00:05.25, or a date such as 2026-03-02; got 'yesterday'"));
        // the dashboard's range was a 500
        assertThat(mvc.perform(get("/?from=yesterday")).andExpect(status().isBadRequest()).andReturn().getResponse()
                .getContentAsString()).contains("from must be an ISO-8601 local date-time such as 2026-03-02T10:00");
        mvc.perform(get("/api/connections?page=-1")).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error").value("page must be a whole number from 0; got '-1'"));
        // worded as the search words it, and a long value shown cut short, as there (the charts echoed it whole)
        String longValue = "x".repeat(300);
        mvc.perform(get("/api/charts/volume?to=" + longValue)).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.error").value("to must be an ISO-8601 local date-time such as 2026-03-02T10:00 "
                        + "or 2026-03-02T10:00:05.25, or a date such as 2026-03-02; got '" + "x".repeat(80) + "...'"));
    }
}
