package com.mailtrail.web;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message of a log without Message-IDs says on its page and in the API how its entries were grouped: by sender,
 * original recipient and day, the queue file names (LOG_FILENAME=1) telling enqueues apart when the log has them; or,
 * stored by an earlier release from a log with queue file names, by queue file and sender.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:approximate-page-test;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/approximate-page"})
@AutoConfigureRestTestClient
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApproximateMessagePageTest {

    @Autowired
    RestTestClient http;

    @Autowired
    IngestEngine engine;

    @Autowired
    JdbcClient jdbc;

    @BeforeAll
    void load() throws Exception {
        load("filename.log", """
                02-Mar-2026 10:00:00.00 tcp_local    tcp_intranet E 2 ann@example.org rfc822;bob@example.com \
                bob@example.com /q/tcp_intranet/ZZf0001.00
                02-Mar-2026 10:00:01.00 tcp_intranet              D 2 ann@example.org rfc822;bob@example.com \
                bob@example.com /q/tcp_intranet/ZZf0001.00
                """);
        load("nothing.log", """
                02-Mar-2026 11:00:00.00 tcp_intranet tcp_local    E 2 cy@example.com rfc822;dee@example.net dee@example.net
                02-Mar-2026 11:00:05.00 tcp_local                 Q 0 cy@example.com rfc822;dee@example.net dee@example.net \
                TCP active open: Failed connect()    Error: no route to host
                02-Mar-2026 11:30:00.00 tcp_local                 D 2 cy@example.com rfc822;dee@example.net dee@example.net
                """);
    }

    private void load(String name, String text) throws Exception {
        engine.ingest(engine.createSource("test", name), name,
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), LogOptions.auto(), new Progress());
    }

    private String page(String sender, String time) throws Exception {
        long id = jdbc.sql("SELECT id FROM message WHERE sender = ? AND first_seen = CAST(? AS TIMESTAMP)")
                .params(sender, time).query(Long.class).single();
        return http.get().uri("/messages/{id}", id).exchange().expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody().replaceAll("\\s+", " ");
    }

    @Test
    void groupedBySenderRecipientAndDayWhenTheLogNamesQueueFiles() throws Exception {
        // Grouped by queue file, a recipient deferred with Z or passed through a relay channel went on in a message
        // of its own; logs with queue file names are grouped as those without, the file names telling enqueues apart.
        assertThat(page("ann@example.org", "2026-03-02 10:00:00")).contains("The log has no Message-ID for this "
                + "message: it is the day's mail from one sender to one original recipient, each enqueue a recipient "
                + "of its own, which is approximate. A delivery attempt belongs to the recipient whose queue file it "
                + "was logged from (after a Z, the new file it went on in;")
                .doesNotContain("grouped by queue file and sender", "no queue file names");
        assertThat(grouping("ann@example.org", "2026-03-02 10:00:00")).isEqualTo("sender-recipient-day");
    }

    @Test
    void groupedByQueueFileAndSenderWhenAnEarlierReleaseStoredItSo() throws Exception {
        // The key an earlier release gave a message of a log with queue file names and no Message-IDs.
        load("earlier.log", """
                02-Mar-2026 12:00:00.00 tcp_local    tcp_intranet E 2 eve@example.org rfc822;bob@example.com \
                bob@example.com /q/tcp_intranet/ZZf0009.00
                """);
        jdbc.sql("UPDATE message SET message_key = '~f0009 eve@example.org' WHERE sender = 'eve@example.org'")
                .update();
        assertThat(page("eve@example.org", "2026-03-02 12:00:00")).contains("The log has no Message-ID for this "
                + "message: its entries are grouped by queue file and sender, which is approximate. A recipient "
                + "deferred with Z (delivered to others) goes on in a new queue file, whose attempts are a message of "
                + "their own, and so does a recipient passed on through a relay channel (conversion, process). An "
                + "earlier release stored it so;");
        assertThat(grouping("eve@example.org", "2026-03-02 12:00:00")).isEqualTo("queue-file-sender");
    }

    private String grouping(String sender, String time) {
        long id = jdbc.sql("SELECT id FROM message WHERE sender = ? AND first_seen = CAST(? AS TIMESTAMP)")
                .params(sender, time).query(Long.class).single();
        String json = http.get().uri("/api/messages/{id}", id).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        return com.jayway.jsonpath.JsonPath.read(json, "$.grouping");
    }

    @Test
    void groupedBySenderRecipientAndDayWithoutQueueFiles() throws Exception {
        String html = page("cy@example.com", "2026-03-02 11:00:00");
        assertThat(html).contains("The log has no Message-ID and no queue file names for this message: it is the "
                + "day's mail from one sender to one original recipient, each enqueue a recipient of its own, which "
                + "is approximate.")
                .contains("mail enqueued before midnight keeps here what it logs after it, up to its delivery or "
                        + "return.")
                .doesNotContain("grouped by queue file and sender", "goes on in the next day's message");
        assertThat(grouping("cy@example.com", "2026-03-02 11:00:00")).isEqualTo("sender-recipient-day");
        // The deferral logged 0 (nothing sent before the connection failed), not the enqueue's 2: it is still one
        // recipient's, delivered at 11:30 after one deferral (grouped by size, the deferral was a message of its own).
        assertThat(jdbc.sql("SELECT COUNT(*) FROM message WHERE sender = 'cy@example.com'").query(Long.class)
                .single()).isOne();
        assertThat(jdbc.sql("SELECT r.status || ' ' || r.deferrals || ' ' || r.attempts FROM recipient r "
                + "JOIN message m ON m.id = r.message_ref WHERE m.sender = 'cy@example.com'").query(String.class)
                .list()).containsExactly("delivered 1 2");
    }
}
