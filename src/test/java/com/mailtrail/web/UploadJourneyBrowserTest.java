package com.mailtrail.web;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.ingest.IngestEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.TestPropertySource;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A mail administrator uploads logs in a real browser: chooses a file, watches it upload and be read, and reads the
 * summary, rejected lines and refusals included.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {"spring.datasource.url=jdbc:h2:mem:upload-browser;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/upload-browser"})
class UploadJourneyBrowserTest extends BrowserJourney {

    static final String BAD_LINE = "this line is not an MTA log entry";


    @TempDir
    Path dir;

    @Autowired
    IngestEngine engine;




    @Test
    void uploadedFilesAreSummarisedWithTheirRejectedLinesAndRefusals() throws IOException {
        open("/upload");

        // Submitting with nothing chosen says so, and puts the focus where the files are chosen.
        browser.findElement(By.id("upload-submit")).click();
        WebElement formError = browser.findElement(By.id("upload-form-error"));
        assertThat(formError.isDisplayed()).isTrue();
        assertThat(formError.getText()).isEqualTo("Choose at least one log file first.");
        assertThat(browser.switchTo().activeElement().getAttribute("id")).isEqualTo("upload-files");

        // 1. The seed document: five entries of one message, nothing rejected.
        Path seed = Path.of("src/test/resources/logs/seed-multiple-delivery-attempts.txt").toAbsolutePath();
        choose(seed);
        assertThat(browser.findElement(By.id("upload-chosen")).getText())
                .contains("seed-multiple-delivery-attempts.txt");
        browser.findElement(By.id("upload-submit")).click();
        WebElement first = awaitSummary(0, "done");
        assertThat(figures(first)).containsExactly("5", "1", "0", "0"); // entries, messages, duplicates, rejected
        assertThat(first.findElements(By.cssSelector("table.rejections"))).isEmpty();
        assertThat(first.findElement(By.cssSelector(".upload-progress")).getAttribute("value"))
                .isEqualTo(first.findElement(By.cssSelector(".upload-progress")).getAttribute("max"));
        assertThat(first.findElement(By.cssSelector(".ingest-progress")).getAttribute("value"))
                .isEqualTo(first.findElement(By.cssSelector(".ingest-progress")).getAttribute("max"));
        assertThat(first.findElement(By.cssSelector(".upload-next a[href='/sources']")).isDisplayed()).isTrue();

        // 2. A generated log with one bad line and one over 64 KiB, and an empty file, chosen together: each gets its
        // own card.
        List<String> lines = new ArrayList<>(generated().lines().toList());
        int badLine = 7;
        lines.add(badLine - 1, BAD_LINE);
        int longLine = 12;
        lines.add(longLine - 1, "20-Nov-2026 00:03:30.31 38ee.b.0 tcp_local    +            O "
                + "TCP|192.0.2.25|25|203.0.113.29|55802 SMTP <b>" + "x".repeat(70_000));
        Path noisy = Files.write(dir.resolve("with-noise.log"), lines);
        Path empty = Files.write(dir.resolve("empty.log"), new byte[0]);
        choose(noisy, empty);
        browser.findElement(By.id("upload-submit")).click();

        WebElement second = awaitSummary(1, "done");
        assertThat(figures(second).get(3)).isEqualTo("1");
        List<WebElement> rejected = second.findElements(By.cssSelector("table.rejections tbody tr"));
        assertThat(rejected).hasSize(1);
        List<WebElement> cells = rejected.get(0).findElements(By.tagName("td"));
        assertThat(cells.get(0).getText()).isEqualTo(String.valueOf(badLine));
        assertThat(cells.get(1).getText()).isNotBlank(); // the reader's reason
        assertThat(cells.get(2).getText()).isEqualTo(BAD_LINE);
        // The long line is an entry, stored cut: the card says so, and where
        // in the server's words, those of the Sources page below
        assertThat(second.findElement(By.cssSelector(".upload-cut")).getText()).isEqualTo("1 line longer than 64 KiB "
                + "stored cut to that length: line " + longLine);
        assertThat(first.findElements(By.cssSelector(".upload-cut"))).isEmpty();

        // The server refuses the empty file with a 400; its JSON error is what the card says.
        WebElement third = awaitSummary(2, "failed");
        assertThat(third.findElement(By.cssSelector(".upload-error")).getText()).isEqualTo("empty.log is empty");
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> "done".equals(
                d.findElement(By.id("upload-results")).getAttribute("data-state")));

        // 3. The seed again, dropped on the page: taken like a chosen file, and every line is known already.
        ((JavascriptExecutor) browser).executeScript("""
                const files = new DataTransfer();
                files.items.add(new File([arguments[0]], 'dropped.log', { type: 'text/plain' }));
                document.getElementById('upload-drop').dispatchEvent(
                    new DragEvent('drop', { dataTransfer: files, bubbles: true, cancelable: true }));
                """, Files.readString(seed));
        assertThat(browser.findElement(By.id("upload-chosen")).getText()).contains("dropped.log");
        browser.findElement(By.id("upload-submit")).click();
        WebElement dropped = awaitSummary(3, "done");
        assertThat(figures(dropped)).containsExactly("0", "0", "5", "0"); // all five lines were loaded before

        // A refused upload is an expected answer, not a page error; the 400 shows only as the network log line.
        assertThat(Browser.consoleErrors(browser)).allMatch(e -> e.contains("/api/uploads") && e.contains("400"));
        Browser.screenshot(browser, "upload");
        scrollTo(second);
        Browser.screenshot(browser, "upload-rejected");
        browser.manage().window().setSize(new Dimension(390, 844));
        scrollTo(second);
        Browser.screenshot(browser, "upload-phone");
        Long overflow = (Long) ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
        assertThat(overflow).as("no sideways scrolling on a phone").isZero();

        // The sources page lists what was just loaded.
        browser.manage().window().setSize(new Dimension(1366, 900));
        open("/sources");
        assertThat(browser.findElements(By.cssSelector("table.source-files td[data-label=File]")).stream()
                .map(WebElement::getText).toList())
                .contains("seed-multiple-delivery-attempts.txt", "with-noise.log");
        // a file's notes are on the line under its figures
        assertThat(browser.findElement(By.xpath("//tr[td[@data-label='File' and text()='with-noise.log']]"
                + "/following-sibling::tr[1][contains(@class,'file-notes')]//span[contains(@class,'cut-note')]"))
                .getText())
                .isEqualTo("1 line longer than 64 KiB stored cut to that length: line " + longLine);
        assertThat(Browser.consoleErrors(browser)).isEmpty();
        Browser.screenshot(browser, "sources");

        // The upload with the noise was a mistake: removed from its card, it goes, and the seed stays.
        WebElement noisyCard = browser.findElement(By.xpath(
                "//section[contains(@class,'source')][.//td[@data-label='File' and text()='with-noise.log']]"));
        noisyCard.findElement(By.cssSelector("details.source-remove summary")).click();
        // The engine is held here as a long upload would hold it, so the page is seen while the removal waits.
        synchronized (engine) {
            noisyCard.findElement(By.cssSelector("details.source-remove button[type=submit]")).click();
            WebElement removal = new WebDriverWait(browser, Duration.ofSeconds(30)).until(d ->
                    d.findElement(By.cssSelector("#removal[data-state=waiting]")));
            assertThat(removal.getText()).contains("Waiting for the file being read now to be done.");
            // Meanwhile every page says that what it shows is about to change.
            open("/");
            assertThat(browser.findElement(By.id("rebuild-notice")).getText())
                    .startsWith("A source is being removed: the database is being built again from the other files "
                            + "once the file being read now is done.");
            Browser.screenshot(browser, "rebuild-notice");
            open("/sources");
            new WebDriverWait(browser, Duration.ofSeconds(30)).until(d ->
                    d.findElement(By.cssSelector("#removal[data-state=waiting]")));
        }
        // The page follows the rebuild by itself and is loaded again when it is over.
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d ->
                !d.findElements(By.cssSelector("#removal[data-state=done]")).isEmpty());
        assertThat(browser.findElement(By.id("removal")).getText()).contains("Removing upload", "Done at");
        assertThat(browser.findElements(By.cssSelector("table.source-files td[data-label=File]")).stream()
                .map(WebElement::getText).toList())
                .contains("seed-multiple-delivery-attempts.txt").doesNotContain("with-noise.log");
        assertThat(Browser.consoleErrors(browser)).isEmpty();
        Browser.screenshot(browser, "sources-removed");
        open("/");
        assertThat(browser.findElements(By.id("rebuild-notice"))).isEmpty();
    }

    /** The file input takes absolute paths; several at once separated by newlines. */
    private void choose(Path... files) {
        WebElement input = browser.findElement(By.id("upload-files"));
        input.sendKeys(String.join("\n", java.util.Arrays.stream(files).map(Path::toString).toList()));
    }

    private void scrollTo(WebElement element) {
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView();", element);
    }

    private static List<String> figures(WebElement card) {
        return card.findElements(By.cssSelector(".upload-figures dd")).stream().map(WebElement::getText).toList();
    }

    private static String generated() throws IOException {
        StringWriter w = new StringWriter();
        new LogGenerator(GeneratorConfig.of(5, 3)).generate(w, null);
        return w.toString();
    }
}
