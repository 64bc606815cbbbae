package com.mailtrail.web;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Characters that take no room (a zero-width space U+200B, a soft hyphen U+00AD, U+FEFF, a right-to-left mark
 * U+200F) in log text, over real HTTP: the pages, the timeline's labels and its tooltips show them as [U+200B], so
 * that adm[U+200B]in@bank.example does not pass for admin@bank.example, which a search for the latter does not find
 * (found by the hostile-log QA pass: drawn as logged, the two read the same). The API keeps the text as logged.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:invisible-characters;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/invisible-characters"})
class InvisibleCharactersTest extends BrowserJourney {

    private static final String LOG = """
            08-Mar-2026 10:00:00.00 tcp_local    tcp_local    E 1 adm\u200bin@bank.example rfc822;li\u00adst@corp.example pay\u00adroll@corp.example /q/tcp_local/ZZz1.00 <zw-1@bank.example> mx
            08-Mar-2026 10:00:01.00 tcp_local                 D 1 adm\u200bin@bank.example rfc822;li\u00adst@corp.example pay\u00adroll@corp.example /q/tcp_local/ZZz1.00 <zw-1@bank.example> smtp;250 \ufeffok\u200f
            """;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void load() throws Exception {
        http.importOnce("zw.log", LOG);
    }

    @Test
    void pagesShowCharactersThatTakeNoRoomAsCodes() throws Exception {
        long id = jdbc.sql("SELECT id FROM message").query(Long.class).single();
        assertThat(http.get("/messages/" + id).body()).contains("adm[U+200B]in@bank.example",
                "li[U+00AD]st@corp.example", "pay[U+00AD]roll@corp.example", "smtp;250 [U+FEFF]ok[U+200F]")
                .doesNotContain("\u200b", "\u00ad", "\ufeff", "\u200f");
        assertThat(http.get("/search?status=delivered").body()).contains("adm[U+200B]in@bank.example")
                .doesNotContain("\u200b");
        assertThat(http.get("/api/messages/" + id).body()).contains("adm\u200bin@bank.example")
                .doesNotContain("[U+200B]");
    }

    @Test
    void theTimelineDrawsCharactersThatTakeNoRoomAsCodes() {
        long id = jdbc.sql("SELECT id FROM message").query(Long.class).single();
        open("/messages/" + id);
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d ->
                "drawn".equals(d.findElement(By.id("timeline")).getAttribute("data-state")));
        Object drawn = js("const c = document.getElementById('timeline').chart; const lines = [...c.data.labels];"
                + "c.data.datasets.forEach((d, di) => d.data.forEach((p, i) => {"
                + "  c.tooltip.setActiveElements([{datasetIndex: di, index: i}], {x: 0, y: 0}); c.update();"
                + "  c.tooltip.body.forEach(b => lines.push(...b.lines)); }));"
                + "return lines.join('\\n');");
        assertThat((String) drawn).contains("li[U+00AD]st@corp.example", "smtp;250 [U+FEFF]ok[U+200F]")
                .doesNotContain("\u00ad", "\ufeff", "\u200f");
        assertThat(Browser.consoleErrors(browser)).isEmpty();
    }
}
