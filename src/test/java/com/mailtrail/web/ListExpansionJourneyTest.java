package com.mailtrail.web;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A list expansion: three members of everyone@lists.test, so one original recipient for all three (ann delivered,
 * bob delivered after two deferrals, cy still deferred). Each member must be told apart: the timeline drew the three on
 * rows all labelled everyone@lists.test, bob's marks spread over the others' rows, and every "Attempts for" table had
 * the same title.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {"spring.datasource.url=jdbc:h2:mem:list-expansion-journey;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/list-expansion"})
class ListExpansionJourneyTest extends BrowserJourney {

    @Autowired
    IngestEngine engine;

    @Autowired
    JdbcClient jdbc;

    long id;

    @BeforeEach
    void load() throws Exception {
        http.loadOnce("message", () -> {
            try (InputStream in = getClass().getResourceAsStream("/logs/list-expansion.log")) {
                engine.ingest(engine.createSource("test", "list-expansion.log"), "list-expansion.log", in,
                        LogOptions.auto(), new Progress());
            }
        });
        id = jdbc.sql("SELECT id FROM message").query(Long.class).single();
    }

    @Test
    void eachMemberHasItsOwnTimelineRowAndAttemptsTitle() {
        open("/messages/" + id);
        List<String> titles = browser.findElements(By.cssSelector("section.card h2"))
                .stream().map(WebElement::getText).filter(t -> t.startsWith("Attempts for")).toList();
        assertThat(titles).containsExactlyInAnyOrder("Attempts for everyone@lists.test → ann@list.test",
                "Attempts for everyone@lists.test → bob@list.test", "Attempts for everyone@lists.test → cy@other.test");

        WebElement timeline = browser.findElement(By.id("timeline"));
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> "drawn".equals(timeline.getAttribute("data-state")));
        @SuppressWarnings("unchecked")
        Map<String, Object> rows = (Map<String, Object>) js("""
                const c = arguments[0].chart;
                const scale = c.scales.y;
                const byRow = {};
                c.data.datasets.filter(d => d.type === 'scatter').forEach(d => {
                  const meta = c.getDatasetMeta(c.data.datasets.indexOf(d));
                  meta.data.forEach((el, i) => {
                    // the row a mark is drawn on, read back from its pixel position
                    const row = scale.getLabelForValue(Math.round(scale.getValueForPixel(el.y)));
                    byRow[row] = (byRow[row] || []).concat(d.label + ' ' + d.data[i].x);
                  });
                });
                return { labels: c.data.labels, byRow: Object.fromEntries(Object.entries(byRow)
                    .map(([k, v]) => [k, v.map(s => s.split(' ')[0]).sort().join(',')])) };
                """, timeline);
        assertThat(rows.get("labels")).asList().containsExactlyInAnyOrder("ann@list.test", "bob@list.test",
                "cy@other.test");
        assertThat(rows.get("byRow")).isEqualTo(Map.of(
                "ann@list.test", "delivered,enqueued",
                "bob@list.test", "deferred,deferred,delivered,enqueued",
                "cy@other.test", "deferred,deferred,enqueued"));
        assertThat(Browser.consoleErrors(browser)).isEmpty();
    }

    /** The queue is by destination: cy waits for other.test, not for the list's own domain, and its row links there. */
    @Test
    void theQueueShowsTheMemberStillWaitingUnderItsOwnDomain() {
        open("/queue");
        List<String> domains = browser.findElements(By.cssSelector("#by-domain + .table-wrap tbody tr th"))
                .stream().map(WebElement::getText).toList();
        assertThat(domains).containsExactly("All", "other.test");
        // the row's link lists what it counts: deferred and queued recipients (status=waiting), not only the deferred
        assertThat(browser.findElement(By.cssSelector("#by-domain + .table-wrap tbody th a")).getAttribute("href"))
                .endsWith("/search?deliveredTo=other.test&status=waiting");
        // so does its age cell: cy, enqueued at 09:00:00.02, has waited 1 h 30 min as of the newest line, 10:30:07
        List<WebElement> cells = browser.findElements(By.cssSelector("#by-domain + .table-wrap tbody tr:nth-child(2) td"));
        assertThat(cells).extracting(WebElement::getText).containsExactly("1", "", "", "1", "", "", "");
        String cell = cells.get(3).findElement(By.tagName("a")).getAttribute("href");
        assertThat(cell).endsWith("/search?deliveredTo=other.test&status=waiting"
                + "&enqueuedFrom=2026-03-03T08:30:07&enqueuedTo=2026-03-03T10:00:07");
        List<WebElement> all = browser.findElements(By.cssSelector("#by-domain + .table-wrap tbody tr:first-child td a"));
        assertThat(all).extracting(a -> a.getAttribute("href")).containsExactly(
                http.url("/search?status=waiting"),
                http.url("/search?status=waiting&enqueuedFrom=2026-03-03T08:30:07"
                        + "&enqueuedTo=2026-03-03T10:00:07"));
        List<WebElement> oldest = browser.findElements(By.cssSelector("table tbody tr td:first-child a"));
        assertThat(oldest).extracting(WebElement::getText).containsExactly("everyone@lists.test → cy@other.test");
        assertThat(oldest.get(0).getAttribute("href")).endsWith("/messages/" + id);

        browser.get(cell);
        assertThat(browser.findElement(By.cssSelector(".result-count .counts")).getText())
                .isEqualTo("1 message, 1 matching recipient");
        assertThat(browser.findElement(By.cssSelector("form.filters .note")).getText())
                .contains("delivered to other.test", "enqueued at or after 2026-03-03 08:30:07",
                        "enqueued before 2026-03-03 10:00:07");

        // what a bar of deferrals at the list's members counts: bob's two deferrals at list.test; bob's and cy's
        // (two recipients, four deferrals) of the one message sent to the list
        open("/search?recipient=@list.test&outcome=deferred");
        assertThat(browser.findElement(By.cssSelector(".result-count .counts")).getText())
                .isEqualTo("1 message, 1 matching recipient, 2 matching outcomes");
        open("/search?recipient=@lists.test&outcome=deferred");
        assertThat(browser.findElement(By.cssSelector(".result-count .counts")).getText())
                .isEqualTo("1 message, 2 matching recipients, 4 matching outcomes");
        assertThat(browser.findElement(By.cssSelector(".recipient-count")).getAttribute("title"))
                .contains("every condition on recipients");
    }
}
