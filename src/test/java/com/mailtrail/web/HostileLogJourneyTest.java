package com.mailtrail.web;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A log whose addresses, Message-ID, banner and diagnostics carry script and markup payloads: every page shows them
 * as text and runs nothing, chart labels and tooltips included.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {"spring.datasource.url=jdbc:h2:mem:hostile-journey;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/hostile"})
class HostileLogJourneyTest extends BrowserJourney {


    @Autowired
    IngestEngine engine;

    @Autowired
    JdbcClient jdbc;


    @BeforeEach
    void load() throws Exception {
        http.loadOnce("message", () -> {
            try (InputStream in = getClass().getResourceAsStream("/logs/xss.log")) {
                engine.ingest(engine.createSource("test", "<script>window.__xss=10</script>.log"),
                        "<img src=x onerror=window.__xss=11>.log", in, LogOptions.auto(), new Progress());
            }
        });
    }


    /**
     * Nothing of the payloads ran or became an element. {@code img[src^="x"]}, not {@code img[src="x"]}: HTML reads
     * {@code <img/src=x/onerror=...>} as one {@code src} value, {@code x/onerror=...}, so an injected copy of that
     * payload would not have src "x" and would slip past an exact match.
     */
    private void assertInert(String page) {
        assertThat(js("return window.__xss === undefined")).as("script ran on %s", page).isEqualTo(true);
        assertThat(((Number) js("return document.querySelectorAll('img[src^=\"x\"], svg[onload], marquee, "
                + "script:not([src])').length")).intValue()).as("injected elements on %s", page).isZero();
    }

    @Test
    void payloadsAreShownAsTextAndRunNowhere() {
        long id = jdbc.sql("SELECT id FROM message").query(Long.class).single();

        open("/messages/" + id);
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d ->
                "drawn".equals(d.findElement(By.id("timeline")).getAttribute("data-state")));
        String text = browser.findElement(By.tagName("main")).getText();
        assertThat(text).contains("\"><img/src=x/onerror=window.__xss=1>@evil.example",
                "<script>window.__xss=4</script>", "<marquee>evil banner</marquee>", "bob@<img/src=x/onerror=window.__xss=6>.example");
        // Hover every mark of the timeline: its tooltip lines carry the diagnostics, drawn on the canvas as text.
        Object tooltip = js("const c = document.getElementById('timeline').chart; const lines = [];"
                + "c.data.datasets.forEach((d, di) => d.data.forEach((p, i) => {"
                + "  c.tooltip.setActiveElements([{datasetIndex: di, index: i}], {x: 0, y: 0}); c.update();"
                + "  c.tooltip.body.forEach(b => lines.push(...b.lines)); }));"
                + "return lines.join('\\n');");
        assertThat((String) tooltip).contains("<script>window.__xss=4</script>");
        assertInert("the message page");

        open("/search?recipient=" + URLEncoder.encode("@victim.example", StandardCharsets.UTF_8));
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("\"><img/src=x/onerror=window.__xss=1>");
        assertInert("the search page");

        open("/search?q=" + URLEncoder.encode("<a\"><svg/onload=window.__xss=3>b@evil.example>", StandardCharsets.UTF_8));
        assertThat(browser.getCurrentUrl()).endsWith("/messages/" + id);
        assertInert("the quick search");

        open("/queue");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("<img/src=x/onerror=window.__xss=6>.example");
        assertInert("the queue page");

        open("/");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> d.findElements(By.cssSelector("canvas[data-url]"))
                .stream().allMatch(c -> c.getAttribute("data-state") != null));
        Object labels = js("const c = document.getElementById('chart-domains').chart;"
                + "c.tooltip.setActiveElements([{datasetIndex: 0, index: 0}], {x: 0, y: 0}); c.update();"
                + "return c.data.labels.join('\\n') + '\\n' + c.tooltip.title.join('\\n');");
        assertThat((String) labels).contains("<img/src=x/onerror=window.__xss=6>.example");
        assertInert("the dashboard");

        for (String page : List.of("/sources", "/upload", "/search?sender=" + URLEncoder.encode("\"><img*",
                StandardCharsets.UTF_8))) {
            open(page);
            assertInert(page);
        }
        assertThat(Browser.consoleErrors(browser)).isEmpty();
    }
}
