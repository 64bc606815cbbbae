package com.mailtrail.web;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A recipient through conversion: its timeline drew the relay channel's D as a second green "delivered" mark beside
 * "Attempts 1". It is now a "handed on" mark, whose tooltip names the channel it went on to.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {"spring.datasource.url=jdbc:h2:mem:relay-hop-timeline;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/relay-hop-timeline"})
class RelayHopTimelineBrowserTest extends BrowserJourney {

    private static final String LOG = """
            02-Mar-2026 09:00:00.00 tcp_local    conversion   E 9 amy@siroe.test rfc822;bert@sesta.test bert@sesta.test /q/conversion/ZZa1.00 <one@siroe.test>
            02-Mar-2026 09:00:01.00 conversion   ims-ms       E 9 amy@siroe.test rfc822;bert@sesta.test bert@ims-ms-daemon /q/ims-ms/ZZa2.00 <one@siroe.test>
            02-Mar-2026 09:00:01.10 conversion                D 9 amy@siroe.test rfc822;bert@sesta.test bert@sesta.test /q/conversion/ZZa1.00 <one@siroe.test>
            02-Mar-2026 09:00:02.00 ims-ms                    D 9 amy@siroe.test rfc822;bert@sesta.test bert@ims-ms-daemon /q/ims-ms/ZZa2.00 <one@siroe.test>
            """;

    @Autowired
    JdbcClient jdbc;

    long id;

    @BeforeEach
    void load() throws Exception {
        http.importOnce("relay.log", LOG);
        id = jdbc.sql("SELECT id FROM message").query(Long.class).single();
    }

    @Test
    void theHopIsAHandedOnMarkNotASecondDelivery() {
        open("/messages/" + id);
        assertThat(browser.findElements(By.cssSelector("table.attempts tr.attempt td:nth-child(3) .badge")))
                .extracting(WebElement::getText).containsExactly("handed on to ims-ms", "delivered");

        WebElement timeline = browser.findElement(By.id("timeline"));
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> "drawn".equals(timeline.getAttribute("data-state")));
        @SuppressWarnings("unchecked")
        Map<String, Object> drawn = (Map<String, Object>) js("""
                const c = arguments[0].chart;
                const marks = c.data.datasets.filter(d => d.type === 'scatter');
                const i = c.data.datasets.findIndex(d => d.label === 'handed on');
                c.tooltip.setActiveElements([{ datasetIndex: i, index: 0 }], { x: 0, y: 0 });
                c.update();
                return { kinds: marks.map(d => d.label + ' ' + d.data.length),
                         tooltip: c.tooltip.body.flatMap(b => b.lines).join('\\n') };
                """, timeline);
        assertThat((List<?>) drawn.get("kinds")).extracting(String::valueOf)
                .containsExactlyInAnyOrder("enqueued 2", "handed on 1", "delivered 1");
        assertThat((String) drawn.get("tooltip")).contains("handed on: 2026-03-02 09:00:01", "channel conversion → ims-ms");
        assertThat(Browser.consoleErrors(browser)).isEmpty();
    }
}
