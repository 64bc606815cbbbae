package com.mailtrail.web;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An address with a right-to-left override (U+202E) in it, over real HTTP: the pages show the control as [U+202E],
 * so the address reads as logged, and so do the timeline's labels and tooltips; the API keeps the text as logged.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:bidi-controls;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/bidi-controls"})
class BidiControlsTest extends BrowserJourney {

    /** Drawn as logged, the active address reads "john@hacker.com" and the rest of the raw line is reversed. */
    private static final String LOG = """
            08-Mar-2026 10:00:00.00 tcp_local    tcp_local    E 1 ceo@bank.example rfc822;list@corp.example \u202emoc.rekcah@nhoj /q/tcp_local/ZZb1.00 <bidi-1@bank.example> mx
            08-Mar-2026 10:00:01.00 tcp_local                 D 1 ceo@bank.example rfc822;list@corp.example \u202emoc.rekcah@nhoj /q/tcp_local/ZZb1.00 <bidi-1@bank.example> smtp;250 \u2067ok\u2069
            """;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void load() throws Exception {
        http.importOnce("bidi.log", LOG);
    }

    @Test
    void pagesShowDirectionalControlsAsCodesAndTheApiKeepsThem() throws Exception {
        long id = jdbc.sql("SELECT id FROM message").query(Long.class).single();
        String page = http.get("/messages/" + id).body();
        assertThat(page).contains("[U+202E]moc.rekcah@nhoj", "smtp;250 [U+2067]ok[U+2069]")
                .doesNotContain("\u202e", "\u2067", "\u2069");

        String search = http.get("/search?recipient=list@corp.example").body();
        assertThat(search).contains("/messages/" + id).doesNotContain("\u202e");
        String typed = http.get("/search?recipient=" + URLEncoder.encode("\u202emoc*", StandardCharsets.UTF_8))
                .body();
        assertThat(typed).contains("value=\"[U+202E]moc*\"").doesNotContain("\u202e");

        assertThat(http.get("/api/messages/" + id).body()).contains("\u202emoc.rekcah@nhoj")
                .doesNotContain("[U+202E]");
        var error = http.get("/messages/" + id + "?rstatus=" + URLEncoder.encode("\u202elost", StandardCharsets.UTF_8));
        assertThat(error.statusCode()).isEqualTo(400);
        assertThat(error.body()).contains("[U+202E]lost").doesNotContain("\u202e");
    }

    @Test
    void theTimelineDrawsDirectionalControlsAsCodes() {
        long id = jdbc.sql("SELECT id FROM message").query(Long.class).single();
        open("/messages/" + id);
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d ->
                "drawn".equals(d.findElement(By.id("timeline")).getAttribute("data-state")));
        Object drawn = js("const c = document.getElementById('timeline').chart; const lines = [...c.data.labels];"
                + "c.data.datasets.forEach((d, di) => d.data.forEach((p, i) => {"
                + "  c.tooltip.setActiveElements([{datasetIndex: di, index: i}], {x: 0, y: 0}); c.update();"
                + "  c.tooltip.body.forEach(b => lines.push(...b.lines)); }));"
                + "return lines.join('\\n');");
        assertThat((String) drawn).contains("smtp;250 [U+2067]ok[U+2069]").doesNotContain("\u202e", "\u2067");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("[U+202E]moc.rekcah@nhoj");
        assertThat(Browser.consoleErrors(browser)).isEmpty();
    }

    /** The Upload page's summary lists a rejected line as the job's JSON gives it: its controls as codes too. */
    @Test
    void theUploadSummaryShowsARejectedLinesControlsAsCodes() {
        open("/upload");
        js("""
                const files = new DataTransfer();
                files.items.add(new File([arguments[0]], 'rejected.log', { type: 'text/plain' }));
                document.getElementById('upload-drop').dispatchEvent(
                    new DragEvent('drop', { dataTransfer: files, bubbles: true, cancelable: true }));
                """, "08-Mar-2026 99:00:00.00 tcp_local tcp_local E 1 a@b.example rfc822;\u202emoc.rekcah@nhoj x\n");
        browser.findElement(By.id("upload-submit")).click();
        String row = awaitSummary(0, "done").findElement(By.cssSelector("table.rejections tbody tr")).getText();
        assertThat(row).contains("[U+202E]moc.rekcah@nhoj").doesNotContain("\u202e");
    }
}
