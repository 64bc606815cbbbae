package com.mailtrail.web;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;

/**
 * A user journey in a real browser against the application on a random port: each test class is one journey,
 * annotated with its own {@code @SpringBootTest(webEnvironment = RANDOM_PORT)} and in-memory database.
 * <p>
 * One Chromium per class, not per test: starting one took 5 to 7 s of each test on a busy machine (a test that only
 * reads pages over HTTP paid it too). Between tests it is put back as it started: a blank page, the window's first
 * size, no cookies, and the console read out so that one test's errors are not another's.
 */
abstract class BrowserJourney {

    private static WebDriver shared;

    @RegisterExtension
    final LocalHttp http = new LocalHttp();

    WebDriver browser;

    @BeforeEach
    void startBrowser() {
        if (shared == null) {
            shared = Browser.start();
        }
        browser = shared;
    }

    @AfterEach
    void resetBrowser() {
        if (browser == null) {
            return;
        }
        try {
            browser.manage().deleteAllCookies();
            browser.get("about:blank");
            browser.manage().window().setSize(Browser.SIZE);
            Browser.consoleErrors(browser);
        } catch (WebDriverException e) {
            // left in a state it cannot be put back from (an alert, a crash): the next test starts a new one
            quitBrowser();
        }
    }

    @AfterAll
    static void quitBrowser() {
        if (shared != null) {
            try {
                shared.quit();
            } finally {
                shared = null;
            }
        }
    }

    void open(String path) {
        browser.get(http.url(path));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) browser).executeScript(script, args);
    }

    private String serverJobs() {
        try {
            return http.get("/api/uploads").body();
        } catch (RuntimeException e) {
            return "unreadable: " + e;
        }
    }

    /**
     * Waits for the index-th upload card of the Upload page to reach {@code state}. An upload not done in a minute
     * was seen once in a full run and never alone: the failure then says whether the server had the upload and where
     * its threads were, so that a next one tells a stuck import from a request that never arrived.
     */
    WebElement awaitSummary(int index, String state) {
        try {
            return new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> {
                List<WebElement> items = d.findElements(By.cssSelector("#upload-results .upload-item"));
                if (items.size() <= index || items.get(index).findElements(
                        By.cssSelector(".upload-summary[data-state=" + state + "]")).isEmpty()) {
                    return null;
                }
                return items.get(index);
            });
        } catch (TimeoutException e) {
            StringBuilder threads = new StringBuilder();
            Thread.getAllStackTraces().forEach((t, stack) -> {
                if (t.getName().contains("ingest") || t.getName().contains("upload")
                        || t.getName().contains("rebuild")) {
                    threads.append(t.getName()).append(' ').append(t.getState()).append('\n');
                    for (StackTraceElement frame : stack) {
                        threads.append("    ").append(frame).append('\n');
                    }
                }
            });
            throw new AssertionError("upload " + index + " not " + state + " after 60 s; page: "
                    + browser.findElement(By.id("upload-results")).getText() + "; GET /api/uploads: "
                    + serverJobs() + "; ingest, upload and rebuild threads:\n" + threads, e);
        }
    }
}
