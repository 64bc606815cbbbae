package com.mailtrail.web;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.TestPropertySource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * From a search for what went wrong to the recipient it went wrong for: a status=deferred search lists the message
 * to eight recipients (its status "bounced", of its worst one) as "1 of 8", and a click shows the deferred one alone,
 * its timeline too, until the filter is removed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {"spring.datasource.url=jdbc:h2:mem:recipient-focus-browser;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/recipient-focus-browser"})
class RecipientFocusBrowserTest extends BrowserJourney {

    @BeforeEach
    void load() throws Exception {
        http.importOnce("eight-recipients.log", Files.readString(Path.of("src/test/resources/logs/eight-recipients.log")));
    }

    private List<String> recipientsShown() {
        return browser.findElements(By.cssSelector("table.recipients tbody tr td:first-child")).stream()
                .map(WebElement::getText).toList();
    }

    @Test
    void aDeferredSearchsRowOpensTheDeferredRecipientAlone() {
        open("/search?status=deferred&recipient=@example.org");
        WebElement row = browser.findElement(By.cssSelector("table.results tbody tr"));
        assertThat(row.getText()).contains("bounced", "1 of 8");
        row.findElement(By.cssSelector("a")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().contains("/messages/"));

        assertThat(recipientsShown()).containsExactly("dave@example.org");
        assertThat(browser.findElement(By.cssSelector(".recipient-address")).getText())
                .contains("Recipients matching @example.org", "show all 1 deferred");
        assertThat(browser.findElements(By.cssSelector("h2"))).extracting(WebElement::getText)
                .filteredOn(t -> t.startsWith("Attempts for")).containsExactly("Attempts for dave@example.org");
        WebElement timeline = browser.findElement(By.id("timeline"));
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> "drawn".equals(timeline.getAttribute("data-state")));
        assertThat(js("return arguments[0].chart.data.labels", timeline)).isEqualTo(List.of("dave@example.org"));

        // the address removed, then the status: every recipient
        browser.findElement(By.cssSelector(".recipient-address a")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> !d.getCurrentUrl().contains("raddr"));
        assertThat(recipientsShown()).containsExactly("dave@example.org");
        browser.findElement(By.cssSelector(".recipient-filter a")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> !d.getCurrentUrl().contains("rstatus"));
        assertThat(recipientsShown()).hasSize(8);
        assertThat(Browser.consoleErrors(browser)).isEmpty();
    }
}
