package com.mailtrail.message;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.test.web.servlet.client.RestTestClient;

import javax.sql.DataSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the message page's header says of the whole message holds on every page of its recipients and whatever
 * status they are filtered by, over real HTTP on H2 and PostgreSQL (the subclasses): found in review, the header's
 * log files and whether the log named queue files had been worked out from the recipients shown.
 */
@AutoConfigureRestTestClient
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WholeMessageFiguresJourney {

    @Autowired
    RestTestClient http;

    @Autowired
    DataSource dataSource;

    @BeforeAll
    void load() {
        // 250 recipients in two files (a rotation): the first page's hundred are all in the first
        TestLogs.importText(dataSource, "many-a.log", NotificationJourney.manyRecipients(0, 150));
        TestLogs.importText(dataSource, "many-b.log", NotificationJourney.manyRecipients(150, 250));
        // No Message-ID (grouped by sender, original recipient and day): one recipient refused at SMTP, which has no
        // queue file, and one enqueued to a named queue file and delivered.
        TestLogs.importText(dataSource, "refused.log", """
                02-Mar-2026 13:00:00.00 tcp_intranet              J 0 gil@example.org rfc822;hal@example.com hal@example.com 550 5.7.1 Relaying not allowed
                """);
        TestLogs.importText(dataSource, "named.log", """
                02-Mar-2026 13:10:00.00 tcp_local    tcp_intranet E 2 gil@example.org rfc822;hal@example.com hal@example.com /q/tcp_intranet/ZZf0021.00
                02-Mar-2026 13:10:01.00 tcp_intranet              D 2 gil@example.org rfc822;hal@example.com hal@example.com /q/tcp_intranet/ZZf0021.00
                """);
    }

    private String get(String uri, Object... vars) {
        return http.get().uri(uri, vars).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
    }

    private Number idOf(String query, String value) {
        return JsonPath.read(get("/api/messages?" + query + "={v}", value), "$.items[0].id");
    }

    @Test
    void theLogFilesAreThoseOfTheWholeMessage() {
        Number id = idOf("messageId", "<many@x.test>");
        for (String query : new String[] {"", "?rpage=2", "?rstatus=bounced"}) {
            String page = get("/messages/" + id + query).replaceAll("\\s+", " ");
            int at = page.indexOf("<dt>Log files</dt>");
            assertThat(page.substring(at, page.indexOf("</dd>", at))).as(query)
                    .contains("<span class=\"mono\">many-a.log</span>", "<span class=\"mono\">many-b.log</span>");
        }
        List<String> files = JsonPath.read(get("/api/messages/{id}?recipientPage=0&recipientSize=10", id),
                "$.files[*].name");
        assertThat(files).containsExactly("many-a.log", "many-b.log");
    }

    @Test
    void whetherTheLogNamedQueueFilesIsTheWholeMessages() {
        Number id = idOf("sender", "gil@example.org");
        for (String query : new String[] {"", "?rstatus=rejected", "?rpage=3"}) {
            String page = get("/messages/" + id + query).replaceAll("\\s+", " ");
            assertThat(page).as(query).contains("The log has no Message-ID for this message: it is the day's mail "
                    + "from one sender to one original recipient, each enqueue a recipient of its own")
                    .doesNotContain("no queue file names", "Refused at SMTP");
        }
    }
}
