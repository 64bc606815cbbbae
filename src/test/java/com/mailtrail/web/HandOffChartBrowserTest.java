package com.mailtrail.web;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.TestPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * "Deliveries per channel" draws a relay channel's hand-offs as a dashed line of their own, named after the channel,
 * whose name comes from the log. Here the relay channel is called {@code <svg/onload=alert(7)>}: the parser takes
 * any run of non-blank characters as a channel (a field of the line ends at a blank), so markup with spaces cannot be
 * a channel name; this one needs none, and written into the page as HTML it is an element whose handler runs
 * ({@code <img/src=x/onerror=...>} is not: the HTML parser reads {@code x/onerror=...} as the value of src). With
 * " (handed on)" it is 33 characters, which the legend shows whole (labels.js shortens one of more than 40). It is
 * drawn as text in the legend and the tooltip, becomes no element and raises no alert, and the point's link searches
 * exactly the hand-offs it counts.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {"spring.datasource.url=jdbc:h2:mem:hand-off-chart;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/hand-off-chart",
        "mailtrail.ingest.relay-channels=conversion,<svg/onload=alert(7)>"})
class HandOffChartBrowserTest extends BrowserJourney {

    private static final String RELAY = "<svg/onload=alert(7)>";

    /** bert and dora handed on by the hostile relay channel to ims-ms, emil straight to ims-ms; all in one hour. */
    private static final String LOG = """
            02-Mar-2026 09:00:00.00 tcp_local    RELAY E 9 amy@siroe.test rfc822;bert@sesta.test bert@sesta.test /q/relay/ZZa1.00 <one@siroe.test>
            02-Mar-2026 09:00:01.00 RELAY ims-ms       E 9 amy@siroe.test rfc822;bert@sesta.test bert@ims-ms-daemon /q/ims-ms/ZZa2.00 <one@siroe.test>
            02-Mar-2026 09:00:01.10 RELAY              D 9 amy@siroe.test rfc822;bert@sesta.test bert@sesta.test /q/relay/ZZa1.00 <one@siroe.test>
            02-Mar-2026 09:00:02.00 ims-ms                    D 9 amy@siroe.test rfc822;bert@sesta.test bert@ims-ms-daemon /q/ims-ms/ZZa2.00 <one@siroe.test>
            02-Mar-2026 09:10:00.00 tcp_local    RELAY E 9 amy@siroe.test rfc822;dora@sesta.test dora@sesta.test /q/relay/ZZc1.00 <three@siroe.test>
            02-Mar-2026 09:10:01.00 RELAY ims-ms       E 9 amy@siroe.test rfc822;dora@sesta.test dora@ims-ms-daemon /q/ims-ms/ZZc2.00 <three@siroe.test>
            02-Mar-2026 09:10:01.10 RELAY              D 9 amy@siroe.test rfc822;dora@sesta.test dora@sesta.test /q/relay/ZZc1.00 <three@siroe.test>
            02-Mar-2026 09:10:02.00 ims-ms                    D 9 amy@siroe.test rfc822;dora@sesta.test dora@ims-ms-daemon /q/ims-ms/ZZc2.00 <three@siroe.test>
            02-Mar-2026 09:25:00.00 tcp_local    ims-ms       E 9 amy@siroe.test rfc822;emil@sesta.test emil@ims-ms-daemon /q/ims-ms/ZZd1.00 <four@siroe.test>
            02-Mar-2026 09:25:01.00 ims-ms                    D 9 amy@siroe.test rfc822;emil@sesta.test emil@ims-ms-daemon /q/ims-ms/ZZd1.00 <four@siroe.test>
            """.replace("RELAY", RELAY);

    @BeforeEach
    void load() throws Exception {
        http.importOnce("relay.log", LOG);
    }

    /** Nothing of the name ran or became an element. */
    private void assertInert(String page) {
        assertThatThrownBy(() -> browser.switchTo().alert()).as("an alert on %s", page)
                .isInstanceOf(NoAlertPresentException.class);
        assertThat(((Number) js("return document.querySelectorAll('[onload], [onerror]').length")).intValue())
                .as("injected elements on %s", page).isZero();
    }

    @Test
    void theHandOffsAreADashedSeriesNamedAsTextWhosePointSearchesWhatItCounts() {
        open("/");
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(d -> "drawn".equals(
                d.findElement(By.id("chart-channels")).getAttribute("data-state")));
        @SuppressWarnings("unchecked")
        Map<String, Object> drawn = (Map<String, Object>) js("""
                const c = arguments[0].chart;
                const series = c.data.datasets.map(d => ({ label: d.label, dash: d.borderDash || null }));
                const i = c.data.datasets.findIndex(d => d.label.endsWith(' (handed on)'));
                const values = c.data.datasets[i].data;
                const index = values.indexOf(Math.max(...values));
                c.tooltip.setActiveElements([{ datasetIndex: i, index }], { x: 0, y: 0 });
                c.update();
                return { series, legend: c.legend.legendItems.map(l => l.text),
                         tooltip: c.tooltip.body.flatMap(b => b.lines).join('\\n'),
                         count: values[index], link: c.data.datasets[i].links[index], index, i };
                """, browser.findElement(By.id("chart-channels")));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> series = (List<Map<String, Object>>) drawn.get("series");
        assertThat(series).extracting(s -> s.get("label"))
                .containsExactly("ims-ms", RELAY + " (handed on)");
        assertThat(series.get(0).get("dash")).as("deliveries are solid").isNull();
        assertThat((List<?>) series.get(1).get("dash")).as("hand-offs are dashed")
                .extracting(v -> ((Number) v).intValue()).containsExactly(6, 4);
        assertThat((List<?>) drawn.get("legend")).extracting(String::valueOf)
                .containsExactly("ims-ms", RELAY + " (handed on)");
        assertThat((String) drawn.get("tooltip")).isEqualTo(RELAY + " (handed on): 2");
        assertThat(((Number) drawn.get("count")).intValue()).isEqualTo(2);
        assertThat((String) drawn.get("link")).startsWith("/search?").contains("outcome=handoff");
        assertInert("the dashboard");
        assertThat(Browser.consoleErrors(browser)).isEmpty();

        // A click on the point: the chart's own handler follows its link
        js("const c = arguments[0].chart;"
                + "c.options.onClick(null, [{ datasetIndex: arguments[1], index: arguments[2] }]);",
                browser.findElement(By.id("chart-channels")), drawn.get("i"), drawn.get("index"));
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().contains("/search?"));
        assertThat(browser.getCurrentUrl()).endsWith((String) drawn.get("link"));
        assertThat(browser.findElement(By.cssSelector(".result-count .outcome-count")).getText())
                .isEqualTo("2 matching outcomes");
        assertThat(browser.findElement(By.tagName("main")).getText()).contains("<one@siroe.test>", "<three@siroe.test>")
                .doesNotContain("<four@siroe.test>");
        assertInert("the search");
        assertThat(Browser.consoleErrors(browser)).isEmpty();
    }
}
