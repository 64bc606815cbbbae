package com.mailtrail.web;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.TestPropertySource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The journey the product exists for: upload the seed document in the browser, find its message by its id, and read
 * its story: three deferrals (no route to host twice, then connection refused) and the delivery to host.some.org
 * with 250 Ok, on a timeline from 10:31 to 20:45.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {"spring.datasource.url=jdbc:h2:mem:message-journey;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/message-journey"})
class MessageJourneyBrowserTest extends BrowserJourney {





    @Test
    void uploadSearchAndReadTheRetryTimeline() {
        open("/upload");
        Path seed = Path.of("src/test/resources/logs/seed-multiple-delivery-attempts.txt").toAbsolutePath();
        browser.findElement(By.id("upload-files")).sendKeys(seed.toString());
        browser.findElement(By.id("upload-submit")).click();
        awaitSummary(0, "done");

        // The summary links to the messages just loaded: here, the seed's one message.
        browser.findElement(By.cssSelector(".upload-summary a.just-loaded")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().contains("/search?source="));
        assertThat(browser.findElements(By.cssSelector("table.results tbody tr"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector("table.results")).getText()).contains("<01IRUD7SVA3Q9UN2D4@sesta.com>");

        // The quick search in the header takes the Message-ID and opens the message.
        WebElement quick = browser.findElement(By.id("quick-q"));
        quick.sendKeys("01IRUD7SVA3Q9UN2D4@sesta.com");
        quick.submit();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().contains("/messages/"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains("<01IRUD7SVA3Q9UN2D4@sesta.com>");

        List<WebElement> attempts = browser.findElements(By.cssSelector("table.attempts tr.attempt"));
        assertThat(attempts).hasSize(4);
        assertThat(attempts).extracting(a -> a.findElement(By.cssSelector("td:nth-child(3) .badge")).getText())
                .containsExactly("deferred", "deferred", "deferred", "delivered");
        assertThat(attempts.get(0).getText()).contains("network", "no route to host");
        assertThat(attempts.get(1).getText()).contains("network", "no route to host");
        assertThat(attempts.get(2).getText()).contains("refused", "connection refused");
        assertThat(attempts.get(3).getText()).contains("host.some.org", "250");
        assertThat(browser.findElements(By.cssSelector("table.attempts tr.raw code.rawline"))).hasSize(5);
        assertThat(browser.findElement(By.cssSelector("table.recipients")).getText())
                .contains("user@some.org", "delivered", "10 h 14 min");

        // The timeline is drawn with its five events, from the enqueue at 10:31 to the delivery at 20:45.
        WebElement timeline = browser.findElement(By.id("timeline"));
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> "drawn".equals(timeline.getAttribute("data-state")));
        @SuppressWarnings("unchecked")
        Map<String, Object> drawn = (Map<String, Object>) ((JavascriptExecutor) browser).executeScript("""
                const c = arguments[0].chart;
                const marks = c.data.datasets.filter(d => d.type === 'scatter');
                const points = marks.flatMap(d => d.data);
                const laidOut = marks.reduce((n, d) => n + c.getDatasetMeta(c.data.datasets.indexOf(d)).data.length, 0);
                return { kinds: marks.map(d => d.label), points: points.length, laidOut,
                         first: Math.min(...points.map(p => p.x)), last: Math.max(...points.map(p => p.x)),
                         waits: c.data.datasets[0].data.length };
                """, timeline);
        assertThat(drawn.get("points")).isEqualTo(5L);
        assertThat(drawn.get("laidOut")).isEqualTo(5L);
        assertThat(drawn.get("waits")).isEqualTo(4L);
        assertThat(((List<?>) drawn.get("kinds")).stream().map(String::valueOf).toList())
                .containsExactlyInAnyOrder("enqueued", "deferred", "delivered");
        // 10:31:05.18 and 20:45:51.55 on 15 January 1998, as the log wrote them (read without a time zone)
        assertThat(((Number) drawn.get("first")).longValue()).isEqualTo(884860265180L);
        assertThat(((Number) drawn.get("last")).longValue()).isEqualTo(884897151550L);

        // Pointing at the third deferral shows its time, the wait before it and its reason.
        String tooltip = (String) ((JavascriptExecutor) browser).executeScript("""
                const c = arguments[0].chart;
                const i = c.data.datasets.findIndex(d => d.label === 'deferred');
                c.tooltip.setActiveElements([{ datasetIndex: i, index: 2 }], { x: 0, y: 0 });
                c.update();
                return c.tooltip.body.flatMap(b => b.lines).join('\\n');
                """, timeline);
        assertThat(tooltip).contains("1998-01-15 16:45:24", "after 3 h 59 min", "refused", "connection refused");
        assertThat(Browser.consoleErrors(browser)).isEmpty();
        Browser.screenshot(browser, "message");

        browser.manage().window().setSize(new Dimension(390, 844));
        // The chart follows the new width on its next resize callback: until then the old, wider canvas is still
        // there, so the width is read once the layout has settled (and any overflow left after 5 s fails).
        String overflowing = "return document.body.scrollWidth - document.documentElement.clientWidth;";
        try {
            new WebDriverWait(browser, Duration.ofSeconds(5)).until(d ->
                    (Long) ((JavascriptExecutor) d).executeScript(overflowing) <= 0L);
        } catch (org.openqa.selenium.TimeoutException stillOverflowing) {
            // reported by the assertion below, with the width
        }
        Long overflow = (Long) ((JavascriptExecutor) browser).executeScript(overflowing);
        Browser.screenshot(browser, "message-phone");
        assertThat(overflow).as("the page itself does not scroll sideways on a phone (tables scroll inside)").isLessThanOrEqualTo(0L);
    }
}
