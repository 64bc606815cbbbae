package com.mailtrail.web;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new user opens an empty Mailtrail, loads the demo day, sees the dashboard's figures and charts, then its
 * connections, and removes the demo day again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {"spring.datasource.url=jdbc:h2:mem:dashboard-journey;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/dashboard"})
class DashboardJourneyTest extends BrowserJourney {

    @Test
    void emptyDashboardOffersTheDemoDayAndThenDrawsEveryChart() {
        open("/");
        assertThat(browser.findElement(By.tagName("h2")).getText()).isEqualTo("No mail log loaded yet");
        browser.findElement(By.cssSelector("form[action='/demo'] button")).click();

        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> !d.findElements(By.cssSelector(".kpi")).isEmpty());
        List<WebElement> canvases = browser.findElements(By.cssSelector("canvas[data-url]"));
        assertThat(canvases).hasSize(6);
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> d.findElements(By.cssSelector("canvas[data-url]"))
                .stream().allMatch(c -> "drawn".equals(c.getAttribute("data-state"))));
        // Every chart has data points that Chart.js actually laid out.
        for (WebElement canvas : canvases) {
            Long points = (Long) ((JavascriptExecutor) browser).executeScript(
                    "const c = arguments[0].chart; return c.data.datasets.reduce((n, d, i) => "
                            + "n + c.getDatasetMeta(i).data.length, 0);", canvas);
            assertThat(points).as(canvas.getAttribute("id")).isPositive();
        }
        String messages = browser.findElement(By.cssSelector(".kpi .value")).getText();
        assertThat(Long.parseLong(messages.replace(",", ""))).isGreaterThan(1000);
        assertThat(Browser.consoleErrors(browser)).isEmpty();
        Browser.screenshot(browser, "dashboard");

        // The demo day's connections: the nav link, the chart drawn, the busiest addresses listed.
        browser.findElement(By.linkText("Connections")).click();
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> "drawn".equals(
                d.findElement(By.id("chart-connections")).getAttribute("data-state")));
        Long points = (Long) ((JavascriptExecutor) browser).executeScript(
                "const c = arguments[0].chart; return c.data.datasets[0].data.filter(v => v > 0).length;",
                browser.findElement(By.id("chart-connections")));
        assertThat(points).as("hours with inbound connections").isPositive();
        assertThat(browser.findElements(By.cssSelector("section[aria-labelledby='busiest'] tbody tr"))).hasSize(20);
        assertThat(Browser.consoleErrors(browser)).isEmpty();
        Browser.screenshot(browser, "connections");

        // Done trying: the Sources page removes the demo day, and the dashboard offers it again.
        browser.findElement(By.linkText("Sources")).click();
        browser.findElement(By.cssSelector("form.demo-remove button")).click();
        // found by its text in one query: reading an element's text races the page being replaced under it
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> !d.findElements(
                By.xpath("//h2[normalize-space(.)='No mail log loaded yet']")).isEmpty());
        assertThat(browser.findElements(By.cssSelector("form[action='/demo'] button"))).hasSize(1);
    }
}
