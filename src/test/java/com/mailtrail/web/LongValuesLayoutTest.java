package com.mailtrail.web;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every page at 1400 and 900 pixels wide, with log values of hostile length (an address of 1,000 characters, a
 * diagnostic and a host name without spaces, a file name of 150 characters and an upload error naming it): nothing
 * runs out of its box or makes a table scroll sideways, and ordinary words beside them ("connect()", "tcp_intranet",
 * "mx.victim.test", "hostile3.log") stay whole. word-break: break-all cut them at any letter, and one long error
 * squeezed the file-name column of the Upload page to a few letters a line.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {"spring.datasource.url=jdbc:h2:mem:long-values;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/long-values"})
class LongValuesLayoutTest extends BrowserJourney {

    private static final String LONG_ADDRESS = "a".repeat(990) + "@x.example";
    private static final String NORMAL_ID = "<normal@ok.example>";
    /** As long as a channel name can be (StoredLengths.CHANNEL). */
    private static final String LONG_CHANNEL = "tcp_" + "k".repeat(90) + "_local";

    @Autowired
    IngestEngine engine;

    @Autowired
    JdbcClient jdbc;

    @TempDir
    Path uploads;

    private static String log() {
        String q = "tcp_intranet              ";
        String normal = "sender@ok.example rfc822;user@some.org user@some.org /q/tcp_intranet/ZZa.00 " + NORMAL_ID;
        String longOne = "sender@ok.example rfc822;" + LONG_ADDRESS + " " + LONG_ADDRESS
                + " /q/tcp_local/ZZlong.00 <long@ok.example>";
        String waiting = "sender@ok.example rfc822;b@" + "d".repeat(300) + ".example b@" + "d".repeat(300)
                + ".example /q/tcp_local/ZZwait.00 <waiting@ok.example>";
        return String.join("\n",
                "03-Mar-2026 09:00:00.00 tcp_local    tcp_intranet E 2 " + normal,
                "03-Mar-2026 09:00:05.00 " + q + "Q 2 " + normal + " TCP active open: Failed connect()    Error: no route to host",
                "03-Mar-2026 09:30:00.00 " + q + "D 2 " + normal
                        + " dns;mx.victim.test (TCP|192.0.2.9|1025|198.51.100.7|25) (All set) smtp;250 Ok",
                "03-Mar-2026 09:00:00.00 tcp_local    tcp_local    E 2 " + longOne,
                "03-Mar-2026 09:00:05.00 tcp_local                 Q 2 " + longOne
                        + " TCP active open: Failed connect() Error: " + "Z".repeat(600) + " no route to host",
                "03-Mar-2026 09:30:05.00 tcp_local                 D 2 " + longOne + " dns;mx." + "h".repeat(300)
                        + ".victim.test (TCP|192.0.2.9|1025|198.51.100.7|25) (All set) smtp;250 Ok",
                "03-Mar-2026 09:10:00.00 tcp_local    tcp_local    E 2 " + waiting,
                "03-Mar-2026 09:10:05.00 tcp_local                 Q 2 " + waiting
                        + " TCP active open: Failed connect() Error: connection refused",
                "03-Mar-2026 09:40:00.00 tcp_local    garbage " + "c".repeat(2000),
                "03-Mar-2026 09:41:00.00 tcp_local    +            X TCP|192.0.2.25|25|203.0.113.66|41001 SMTP "
                        + "Connection rejected: " + "R".repeat(800)) + "\n";
    }

    /** A gzip cut in the middle, with a trailer that passes the upload's size check: it fails while it is read. */
    private static byte[] truncatedGzip() throws IOException {
        byte[] text = log().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(text);
        }
        byte[] whole = out.toByteArray();
        ByteBuffer cut = ByteBuffer.allocate(whole.length / 2 + 8).order(ByteOrder.LITTLE_ENDIAN);
        cut.put(whole, 0, whole.length / 2).putInt(0).putInt(text.length);
        return cut.array();
    }

    @BeforeEach
    void ingest() throws Exception {
        http.loadOnce("message", () -> {
            engine.ingest(engine.createSource("upload", "hostile3.log"), "hostile3.log",
                    new ByteArrayInputStream(log().getBytes(StandardCharsets.UTF_8)), LogOptions.auto(), new Progress());
            // a file of its own: in log() it changed where the upload's cut gzip breaks
            String channelled = "sender@ok.example rfc822;c@ok.example c@ok.example /q/ch/ZZch.00 <channel@ok.example>";
            String channels = "03-Mar-2026 09:20:00.00 tcp_local    " + LONG_CHANNEL + " E 2 " + channelled + "\n"
                    + "03-Mar-2026 09:20:05.00 " + LONG_CHANNEL + " D 2 " + channelled + "\n";
            engine.ingest(engine.createSource("upload", "channels.log"), "channels.log",
                    new ByteArrayInputStream(channels.getBytes(StandardCharsets.UTF_8)), LogOptions.auto(), new Progress());
        });
    }

    private void upload() throws IOException {
        // Through the browser too, for the Upload page's table: a short name, and a long one whose error names it.
        Path plain = Files.writeString(uploads.resolve("hostile3.log"), log());
        Path broken = Files.write(uploads.resolve("t" + "y".repeat(150) + ".log.gz"), truncatedGzip());
        open("/upload");
        browser.findElement(By.id("upload-files")).sendKeys(plain + "\n" + broken);
        browser.findElement(By.id("upload-submit")).click();
        awaitSummary(1, "failed");
        followedFileTruncatedByCopytruncate();
    }

    /**
     * A followed directory whose file logrotate's copytruncate emptied, with the notice the tailer writes then (as
     * the jar wrote it in a trial, with the last sentence on the copy's name added since) and the row named after the
     * copy: the Sources page's widest row, whose Notes column ran out of the table at 1400 px.
     */
    private void followedFileTruncatedByCopytruncate() throws IOException {
        long tail = engine.createSource("tail", "/var/opt/sun/comms/messaging64/log/" + "mta-1.example.org/".repeat(3));
        byte[] text = log().getBytes(StandardCharsets.UTF_8);
        IngestEngine.FileState file = engine.openFile(tail, "mail.log_current", "0".repeat(64), 0, 2049L, 1234567L);
        engine.resume(file, "mail.log_current", new ByteArrayInputStream(text), LogOptions.auto(), text,
                (long) text.length, "tailing", new Progress());
        engine.markEnded(file.id(), "truncated", "truncated: found at 2026-11-30 17:52:09 with 129751 bytes, where it "
                + "had 260744 at the look before (last read 2026-11-30 17:51:49), read up to byte 260744; the 1000 "
                + "lines read from it are kept, and it is read again from the start as a new file. The 1000 lines "
                + "written after that look were read from its copy mail.log_current.1 (the same first bytes), from "
                + "byte 260744 to its end, byte 519409; lines written between the copy and the truncation, if any, are "
                + "in neither file (logrotate's copytruncate loses them). Shown under its copy's name since, its "
                + "lines being in mail.log_current.1 now: mail.log_current, emptied, holds other lines", null, false,
                "mail.log_current.1");
        // and the next rotation, whose copy logrotate compressed at once: its lag is unknown
        IngestEngine.FileState next = engine.openFile(tail, "mail.log_current", "1".repeat(64), 0, 2049L, 1234567L);
        ByteArrayOutputStream eightTimes = new ByteArrayOutputStream();
        for (int i = 0; i < 8; i++) {
            eightTimes.write(text);
        }
        byte[] more = eightTimes.toByteArray();
        engine.resume(next, "mail.log_current", new ByteArrayInputStream(more), LogOptions.auto(), text,
                (long) more.length, "tailing", new Progress());
        engine.markEnded(next.id(), "truncated", "truncated: found at 2026-11-30 18:02:30 with 49395 bytes, where it "
                + "had 129751 at the look before (last read 2026-11-30 17:52:10), read up to byte 129751; the 500 lines "
                + "read from it are kept, and it is read again from the start as a new file. Lines written after that "
                + "look and before it was truncated, if any, were not read: after logrotate's copytruncate they end its "
                + "copy (upload or import it; lines already stored are not stored twice), but for those written "
                + "between the copy and the truncation, which logrotate loses; its copy here, mail.log_current.1.gz, "
                + "is compressed: upload or import it to add them (lines already stored are not stored twice)", null,
                true);
    }

    /** Where the page is wider than the window or a table scrolls sideways, and which of {@code words} are cut. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> layout(List<String> words) {
        return (Map<String, Object>) js("""
                const words = arguments[0];
                const root = document.documentElement;
                const overflowing = [...document.querySelectorAll('.table-wrap')]
                    .filter(e => e.scrollWidth > e.clientWidth + 1)
                    .map(e => (e.querySelector('th') || e).textContent.trim() + ' (' + e.scrollWidth + ' > ' + e.clientWidth + ')');
                if (root.scrollWidth > root.clientWidth + 1) {
                    overflowing.push('the page (' + root.scrollWidth + ' > ' + root.clientWidth + ')');
                }
                const cut = [];
                const seen = {};
                const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
                for (let n = walker.nextNode(); n; n = walker.nextNode()) {
                    for (const w of words) {
                        for (let i = n.data.indexOf(w); i >= 0; i = n.data.indexOf(w, i + 1)) {
                            const range = document.createRange();
                            range.setStart(n, i);
                            range.setEnd(n, i + w.length);
                            const lines = new Set([...range.getClientRects()].filter(r => r.width > 0)
                                .map(r => Math.round(r.top)));
                            if (lines.size > 0) {
                                seen[w] = true;
                            }
                            if (lines.size > 1) {
                                cut.push(w + ' in ' + n.parentElement.tagName + '.' + n.parentElement.className);
                            }
                        }
                    }
                }
                return { overflowing, cut, seen: Object.keys(seen) };
                """, words);
    }

    @Test
    @SuppressWarnings("unchecked")
    void longValuesWrapWithoutCuttingWordsOrOverflowing() throws IOException {
        upload();
        long normal = jdbc.sql("SELECT id FROM message WHERE message_id = :id").param("id", NORMAL_ID)
                .query(Long.class).single();
        long longOne = jdbc.sql("SELECT id FROM message WHERE message_id = '<long@ok.example>'")
                .query(Long.class).single();
        long rejectedFile = jdbc.sql("SELECT MIN(file_id) FROM rejected_line").query(Long.class).single();
        Map<String, List<String>> pages = new LinkedHashMap<>();
        pages.put("/upload", List.of("hostile3.log"));
        pages.put("/sources", List.of("hostile3.log"));
        pages.put("/search?from=2026-03-03T00:00&to=2026-03-04T00:00", List.of("sender@ok.example", NORMAL_ID));
        pages.put("/messages/" + normal, List.of("connect()", "tcp_intranet", "mx.victim.test", "user@some.org"));
        pages.put("/messages/" + longOne, List.of("connect()", "sender@ok.example"));
        pages.put("/queue", List.of("connect()", "refused"));
        pages.put("/connections", List.of("203.0.113.66", "rejected:"));
        pages.put("/files/" + rejectedFile + "/rejected", List.of("garbage"));
        pages.put("/", List.of("recipients"));
        for (int width : List.of(1400, 900)) {
            browser.manage().window().setSize(new Dimension(width, 1000));
            pages.forEach((page, words) -> {
                open(page);
                Map<String, Object> layout = layout(words);
                String where = page + " at " + width + " px";
                assertThat((List<?>) layout.get("overflowing")).as("sideways overflow on %s", where).isEmpty();
                assertThat((List<?>) layout.get("cut")).as("words cut on %s", where).isEmpty();
                assertThat((List<Object>) layout.get("seen")).as("words shown on %s", where)
                        .containsExactlyInAnyOrderElementsOf(words);
            });
            // The timeline's row label is shortened: the 1,000-character address took the whole width from the plot.
            open("/messages/" + longOne);
            new WebDriverWait(browser, Duration.ofSeconds(20)).until(d ->
                    "drawn".equals(d.findElement(By.id("timeline")).getAttribute("data-state")));
            Number labelWidth = (Number) js("const c = document.getElementById('timeline').chart;"
                    + "return c.scales.y.width / c.width;");
            assertThat(labelWidth.doubleValue()).as("share of the timeline's width taken by its labels at %d px", width)
                    .isLessThan(0.4);
        }
        assertThat(Browser.consoleErrors(browser)).isEmpty();
    }

    /**
     * A 300-character destination domain on the failing destinations' axis is drawn shortened, its start and its end
     * (as the timeline's rows), and the full name stays in the tooltip; drawn in full it took the plot's room.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aLongDomainIsShortenedOnTheChartAxisAndWholeInItsTooltip() {
        String domain = "d".repeat(300) + ".example";
        for (int width : List.of(1400, 900)) {
            browser.manage().window().setSize(new Dimension(width, 1000));
            open("/");
            new WebDriverWait(browser, Duration.ofSeconds(20)).until(d ->
                    "drawn".equals(d.findElement(By.id("chart-domains")).getAttribute("data-state")));
            Map<String, Object> chart = (Map<String, Object>) js("""
                    const c = document.getElementById('chart-domains').chart;
                    const i = c.data.labels.indexOf(arguments[0]);
                    const d = c.data.datasets.findIndex(s => s.data[i] > 0);
                    c.tooltip.setActiveElements([{datasetIndex: d, index: i}], {x: 0, y: 0});
                    c.update();
                    const ticks = c.scales.x.ticks.map(t => [].concat(t.label).join(''));
                    return { index: i, ticks, title: c.tooltip.title.join(''),
                             plotHeight: c.chartArea.height / c.height, plotWidth: c.chartArea.width / c.width };
                    """, domain);
            String where = "at " + width + " px: " + chart;
            assertThat(((Number) chart.get("index")).intValue()).as(where).isNotNegative();
            List<String> ticks = (List<String>) chart.get("ticks");
            assertThat(ticks).as(where).noneMatch(t -> t.length() > 40)
                    .anyMatch(t -> t.startsWith("ddd") && t.contains("…") && t.endsWith("ddd.example"));
            assertThat(chart.get("title")).as(where).isEqualTo(domain);
            assertThat(((Number) chart.get("plotHeight")).doubleValue()).as("plot's share of the height " + where)
                    .isGreaterThan(0.6);
            assertThat(((Number) chart.get("plotWidth")).doubleValue()).as("plot's share of the width " + where)
                    .isGreaterThan(0.8);
        }
        assertThat(Browser.consoleErrors(browser)).isEmpty();
    }

    /** A channel of 100 characters is shortened in the deliveries chart's legend and whole in its tooltip. */
    @Test
    @SuppressWarnings("unchecked")
    void aLongChannelIsShortenedInTheChartLegendAndWholeInItsTooltip() {
        browser.manage().window().setSize(new Dimension(900, 1000));
        open("/");
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d ->
                "drawn".equals(d.findElement(By.id("chart-channels")).getAttribute("data-state")));
        Map<String, Object> chart = (Map<String, Object>) js("""
                const c = document.getElementById('chart-channels').chart;
                const d = c.data.datasets.findIndex(s => s.label === arguments[0]);
                const i = c.data.datasets[d].data.findIndex(v => v > 0);
                c.tooltip.setActiveElements([{datasetIndex: d, index: i}], {x: 0, y: 0});
                c.update();
                return { legend: c.legend.legendItems.map(l => l.text),
                         tooltip: c.tooltip.body.flatMap(b => b.lines).join(''),
                         plotHeight: c.chartArea.height / c.height };
                """, LONG_CHANNEL);
        List<String> legend = (List<String>) chart.get("legend");
        assertThat(legend).as(chart.toString()).contains("tcp_intranet", "tcp_local").noneMatch(t -> t.length() > 40)
                .anyMatch(t -> t.startsWith("tcp_kkk") && t.contains("…") && t.endsWith("kkk_local"));
        assertThat((String) chart.get("tooltip")).as(chart.toString()).contains(LONG_CHANNEL);
        assertThat(((Number) chart.get("plotHeight")).doubleValue()).as(chart.toString()).isGreaterThan(0.5);
        assertThat(Browser.consoleErrors(browser)).isEmpty();
    }

    /** Each chart card's width as a share of its row's: the Connections page's one chart sat at half width, alone. */
    @SuppressWarnings("unchecked")
    private List<Number> chartShares() {
        return (List<Number>) js("return [...document.querySelectorAll('.charts > .card')]"
                + ".map(c => c.getBoundingClientRect().width / c.parentElement.getBoundingClientRect().width);");
    }

    @Test
    void noChartCardIsLeftAloneAtHalfWidth() {
        for (int width : List.of(1400, 900)) {
            browser.manage().window().setSize(new Dimension(width, 1000));
            open("/connections");
            List<Number> shares = chartShares();
            // the chart over time, then the two tables of addresses side by side at 1400 px
            assertThat(shares).hasSize(3);
            assertThat(shares.get(0).doubleValue()).as("the chart over time at %d px", width).isGreaterThan(0.99);
            assertThat(shares.get(1).doubleValue()).isEqualTo(shares.get(2).doubleValue());
            open("/");
            assertThat(chartShares()).as("the dashboard's charts at %d px", width).hasSize(6)
                    .allSatisfy(s -> assertThat(s.doubleValue()).isEqualTo(chartShares().get(0).doubleValue()));
        }
    }
}
