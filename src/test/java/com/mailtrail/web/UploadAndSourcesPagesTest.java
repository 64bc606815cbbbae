package com.mailtrail.web;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.view;

/** GET /upload and GET /sources rendered from real rows: what they show, and that names from outside are escaped. */
@SpringBootTest
@AutoConfigureMockMvc
@TestPropertySource(properties = {"spring.datasource.url=jdbc:h2:mem:pages;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/pages"})
// The empty states can only be seen before anything is loaded into this class's database.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UploadAndSourcesPagesTest {

    static final String SCRIPT = "<script>alert(1)</script>";
    static final String SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;";

    @Autowired
    MockMvc mvc;

    @Autowired
    IngestEngine engine;

    @Autowired
    JdbcTemplate jdbc;

    @Test
    @Order(1)
    void emptySourcesPageExplainsTailPathsAndUpload() throws Exception {
        String html = page("/sources", "sources");

        assertThat(html).contains("Nothing loaded yet", "mailtrail.tail.paths", "href=\"/upload\"")
                .doesNotContain("class=\"card source\"");
        // an in-memory H2 here: no file, so no size and no compaction
        assertThat(html).contains("id=\"database\"", "Database: <span>H2</span>", "(nothing on disk)")
                .doesNotContain("compacted once");
        assertThat(html.replaceAll("\\s+", " "))
                .contains("All history is kept (<code>mailtrail.retention.days</code> keeps fewer days).");
        assertThat(html).contains("<a href=\"/sources\" class=\"active\">Sources</a>");
    }

    @Test
    @Order(1)
    void uploadPageHasALabelledMultipleFileInputAndNoUploadsYet() throws Exception {
        String html = page("/upload", "upload");

        assertThat(html).contains("<label for=\"upload-files\"", "id=\"upload-files\" name=\"file\" type=\"file\" multiple",
                        "id=\"upload-drop\"", "id=\"upload-results\"", "data-status-url=\"/api/uploads/\"")
                .doesNotContain("Uploads since Mailtrail started");
        assertThat(html).contains("<a href=\"/upload\" class=\"active\">Upload</a>");
    }

    @Test
    @Order(2)
    void sourcesPageShowsEachSourceAndItsFilesWithNamesEscaped() throws Exception {
        long upload = engine.createSource("upload", SCRIPT);
        IngestEngine.FileResult read = engine.ingest(upload, SCRIPT + ".log", seedWithABadLine(),
                LogOptions.auto(), new Progress());
        engine.finishSource(upload, "failed: " + SCRIPT);
        long tail = engine.createSource("tail", "/var/log/" + SCRIPT);

        String html = page("/sources", "sources");

        assertThat(html).doesNotContain(SCRIPT).doesNotContain("<script>alert");
        assertThat(html).contains("<span class=\"source-name mono\">" + SCRIPT_ESCAPED + "</span>",
                "<td data-label=\"File\" class=\"mono name\">" + SCRIPT_ESCAPED + ".log</td>",
                "<p class=\"error source-error\">failed: " + SCRIPT_ESCAPED + "</p>",
                "/var/log/" + SCRIPT_ESCAPED);
        String row = between(html, "id=\"file-" + read.fileId() + "\"", "</tr>");
        assertThat(row).contains(">5</td>") // entries
                .containsPattern("<td data-label=\"Rejected\" class=\"num rejected-count\"><a\\s+href=\"/files/"
                        + read.fileId() + "/rejected\"[^>]*>1</a></td>")
                .contains("state-done");
        // The count leads to the lines themselves: a page, and the same as JSON.
        String rejected = page("/files/" + read.fileId() + "/rejected", "rejected");
        assertThat(rejected).doesNotContain(SCRIPT)
                .contains("Rejected lines of <span class=\"mono\">" + SCRIPT_ESCAPED + ".log</span>",
                        "<caption>1 rejected line</caption>", "href=\"/api/files/" + read.fileId() + "/rejected\"")
                .containsPattern("<td data-label=\"Line\" class=\"num\">\\d+</td>\\s*<td data-label=\"Why\" class=\"text\">[^<]+</td>"
                        + "\\s*<td data-label=\"Text\" class=\"text\"><code class=\"rawline\">[^<]*not a log entry " + java.util.regex.Pattern.quote(SCRIPT_ESCAPED) + "</code></td>");
        assertThat(mvc.perform(get("/api/files/" + read.fileId() + "/rejected")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString()).contains("not a log entry");
        mvc.perform(get("/files/" + (read.fileId() + 999_999) + "/rejected")).andExpect(status().isNotFound());
        mvc.perform(get("/files/" + read.fileId() + "/rejected?page=-1")).andExpect(status().isBadRequest());
        // Newest first: the directory, which has found no file yet and says which names it looks for.
        assertThat(html.indexOf("id=\"source-" + tail + "\"")).isLessThan(html.indexOf("id=\"source-" + upload + "\""));
        assertThat(between(html, "id=\"source-" + tail + "\"", "</section>"))
                .contains(">directory</span>", "mailtrail.tail.files");
    }

    @Test
    @Order(3)
    void uploadPageListsThisRunsUploadsWithNamesEscaped() throws Exception {
        // A browser strips everything up to the last slash of a file name, so this payload has none.
        String name = "<img src=x onerror=alert(1)>.log";
        // with a line over 64 KiB, stored cut, which the row says beside the error
        byte[] withLongLine = (new String(seed(), StandardCharsets.UTF_8) + "\n20-Nov-2026 00:03:30.31 38ee.b.0 "
                + "tcp_local    +            O TCP|192.0.2.25|25|203.0.113.29|55802 SMTP " + "x".repeat(70_000)
                + "\n").getBytes(StandardCharsets.UTF_8);
        MockMultipartFile file = new MockMultipartFile("file", name, "text/plain", withLongLine);
        MvcResult posted = mvc.perform(multipart("/api/uploads").file(file)).andExpect(status().isAccepted()).andReturn();
        String id = posted.getResponse().getContentAsString().replaceAll("^\\{\"id\":\"([^\"]+)\".*$", "$1");
        awaitFinished(id);

        String html = page("/upload", "upload");

        assertThat(html).doesNotContain("<img src=x").contains("&lt;img src=x onerror=alert(1)&gt;.log");
        String row = between(html, "class=\"recent-upload\"", "</tr>");
        assertThat(row).contains("state-done", "1 line longer than 64 KiB stored cut to that length (which, on the "
                + "Sources page)");
    }

    @Test
    @Order(4)
    void aDemoDayLoadedBesideOtherLogsIsRemovedAsAnySourceAndTheQuickRemovalSaysWhy() throws Exception {
        // Loaded now, from a dashboard left open, it is refused: the demo day goes only into an empty Mailtrail
        String notLoaded = mvc.perform(post("/demo")).andExpect(status().isConflict()).andReturn().getResponse()
                .getContentAsString();
        assertThat(notLoaded).contains("409 Conflict", "the demo day is offered only while Mailtrail is empty");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM log_source WHERE kind = 'demo'", Long.class)).isZero();
        // A demo day loaded first, with logs uploaded after it: a source of its kind beside the others
        long demo = engine.createSource("demo", "generated day");
        engine.ingest(demo, "demo-mail.log", new java.io.ByteArrayInputStream(
                        "02-Mar-2026 10:00:00.00 tcp_local    l            E 1 a@example.com rfc822;b@example.com b@example.com\n"
                                .getBytes(java.nio.charset.StandardCharsets.US_ASCII)),
                com.mailtrail.parse.LogOptions.auto(), new com.mailtrail.ingest.Progress());
        engine.finishSource(demo, null);
        String sources = page("/sources", "sources").replaceAll("\\s+", " ");
        assertThat(sources).contains("action=\"/sources/" + demo + "/remove\"").doesNotContain("Remove the demo day");
        String refused = mvc.perform(post("/demo/remove")).andExpect(status().isConflict()).andReturn().getResponse()
                .getContentAsString();
        assertThat(refused).contains("409 Conflict", "the demo day can only be removed at once while no other log is "
                + "loaded");
        assertThat(page("/sources", "sources")).contains("data-kind=\"demo\"");
    }

    private String page(String path, String viewName) throws Exception {
        MvcResult result = mvc.perform(get(path))
                .andExpect(status().isOk())
                .andExpect(view().name(viewName))
                .andExpect(header().string("Content-Security-Policy", org.hamcrest.Matchers.containsString("script-src 'self'")))
                .andReturn();
        String html = result.getResponse().getContentAsString();
        // The CSP allows no inline code or style: the page must not need any.
        assertThat(html).doesNotContain(" style=", " onclick=", "<style");
        return html;
    }

    private void awaitFinished(String id) throws Exception {
        Instant until = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(until)) {
            String body = mvc.perform(get("/api/uploads/" + id)).andReturn().getResponse().getContentAsString();
            if (body.contains("\"state\":\"done\"") || body.contains("\"state\":\"failed\"")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("upload " + id + " not finished in 30 s");
    }

    private static String between(String html, String start, String end) {
        int from = html.indexOf(start);
        assertThat(from).as(start).isNotNegative();
        return html.substring(from, html.indexOf(end, from));
    }

    private static byte[] seed() throws IOException {
        try (InputStream in = UploadAndSourcesPagesTest.class.getResourceAsStream(
                "/logs/seed-multiple-delivery-attempts.txt")) {
            return in.readAllBytes();
        }
    }

    /** The seed document followed by a line that is no log entry. */
    private static InputStream seedWithABadLine() throws IOException {
        String text = new String(seed(), StandardCharsets.UTF_8) + "\n29-Feb-1998 99:99:99.99 not a log entry " + SCRIPT + "\n";
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
