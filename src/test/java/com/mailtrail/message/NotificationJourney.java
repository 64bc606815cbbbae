package com.mailtrail.message;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.test.web.servlet.client.RestTestClient;

import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Did this bounce's notification reach the sender?", over real HTTP on H2 and PostgreSQL (the subclasses): the
 * bounced message's page gives each notification's status beside its link (found by QA: it gave the notification's
 * Message-ID alone, and the answer took a click per notification).
 */
@AutoConfigureRestTestClient
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class NotificationJourney {

    /** A bounce whose notification to the sender is deferred (the sender's own server is unreachable). */
    static final String LOG = """
            15-Jan-1998 10:00:00.00 tcp_local    tcp_local    E 1 ann@x.test rfc822;bob@y.test bob@y.test imta/queue/tcp_local/ZZ01ORIG.00 <orig@x.test>
            15-Jan-1998 10:00:05.00 tcp_local                 R 1 ann@x.test rfc822;bob@y.test bob@y.test imta/queue/tcp_local/ZZ01ORIG.00 <orig@x.test> dns;mx.y.test (TCP|192.0.2.1|2788|192.0.2.2|25) smtp;550 5.1.1 unknown user
            15-Jan-1998 10:00:05.10 tcp_local    tcp_local    E 1  rfc822;ann@x.test ann@x.test imta/queue/tcp_local/ZZ01NTF.00 <ntf@x.test>,<orig@x.test>
            15-Jan-1998 10:00:06.00 tcp_local                 Q 1  rfc822;ann@x.test ann@x.test imta/queue/tcp_local/ZZ01NTF.00 <ntf@x.test>,<orig@x.test> TCP active open: Failed connect()    Error: no route to host
            15-Jan-1998 11:00:00.00 tcp_local    tcp_local    E 1 cat@x.test rfc822;dan@y.test dan@y.test imta/queue/tcp_local/ZZ01NEVER.00 <never@x.test>
            15-Jan-1998 11:00:05.00 tcp_local                 K 1 cat@x.test rfc822;dan@y.test dan@y.test imta/queue/tcp_local/ZZ01NEVER.00 <never@x.test> dns;mx.y.test (TCP|192.0.2.1|2788|192.0.2.2|25) smtp;550 5.1.1 unknown user
            15-Jan-1998 13:12:06.00 tcp_local    tcp_local    E 1 eve@x.test rfc822;fay@y.test fay@y.test imta/queue/tcp_local/ZZ01LAST.00 <last@x.test>
            """;

    @Autowired
    RestTestClient http;

    @Autowired
    DataSource dataSource;

    /**
     * A message to 250 recipients, three pages of the message page's 100: every tenth (25, ten a page on the first
     * two) bounced with K, the others delivered. Its recipients from {@code first} to before {@code end}.
     */
    static String manyRecipients(int first, int end) {
        StringBuilder log = new StringBuilder();
        for (int i = first; i < end; i++) {
            String rcpt = "rfc822;u" + i + "@y.test u" + i + "@y.test imta/queue/tcp_local/ZZ01MANY.00 <many@x.test>";
            log.append("15-Jan-1998 12:00:00.00 tcp_local    tcp_local    E 1 gus@x.test ").append(rcpt).append('\n');
            boolean k = i % 10 == 9;
            log.append("15-Jan-1998 12:00:05.00 tcp_local                 ").append(k ? 'K' : 'D')
                    .append(" 1 gus@x.test ").append(rcpt).append(" dns;mx.y.test (TCP|192.0.2.1|2788|192.0.2.2|25) ")
                    .append(k ? "smtp;550 5.1.1 unknown user" : "smtp;250 ok").append('\n');
        }
        return log.toString();
    }

    @BeforeAll
    void load() {
        TestLogs.importText(dataSource, "bounce.log", LOG);
        TestLogs.importText(dataSource, "many.log", manyRecipients(0, 250));
    }

    private String get(String uri, Object... vars) {
        return http.get().uri(uri, vars).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
    }

    @Test
    void theBouncedMessageSaysWhetherItsNotificationWasDelivered() {
        Number id = JsonPath.read(get("/api/messages?messageId={id}", "<orig@x.test>"), "$.items[0].id");
        String json = get("/api/messages/{id}", id);
        assertThat((String) JsonPath.read(json, "$.status")).isEqualTo("bounced");
        assertThat((String) JsonPath.read(json, "$.notifications[0].messageId")).isEqualTo("<ntf@x.test>");
        assertThat((String) JsonPath.read(json, "$.notifications[0].status")).isEqualTo("deferred");

        String page = get("/messages/{id}", id).replaceAll("\\s+", " ");
        assertThat(page).containsPattern("&lt;ntf@x\\.test&gt;</a> <span class=\"badge status-deferred\">deferred</span>");
    }

    /**
     * A deferred recipient has no final delay yet: its page says how long it has waited so far, measured as the Queue
     * page ages it, up to the newest log line (found by QA: it showed "Total delay –"); the API keeps delaySeconds
     * null, its documented meaning being the final delay.
     */
    @Test
    void aWaitingRecipientShowsHowLongItHasWaitedUpToTheNewestLogLine() {
        Number id = JsonPath.read(get("/api/messages?messageId={id}", "<ntf@x.test>"), "$.items[0].id");
        assertThat((Object) JsonPath.read(get("/api/messages/{id}", id), "$.recipients[0].delaySeconds")).isNull();

        String page = get("/messages/{id}", id).replaceAll("\\s+", " ");
        // enqueued 10:00:05.10, newest log line 13:12:06.00
        assertThat(page).contains("waiting 3 h 12 min");
        assertThat(page).contains("up to the newest log line, 1998-01-15 13:12:06");

        Number orig = JsonPath.read(get("/api/messages?messageId={id}", "<orig@x.test>"), "$.items[0].id");
        assertThat(get("/messages/{id}", orig)).doesNotContain("waiting");
    }

    /**
     * A K bounce (the sender asked not to be notified) sends no notification: the page says so where an R bounce
     * links its notification (found by QA: it said nothing, as if the notification were missing from the log).
     */
    @Test
    void aKBounceSaysNoNotificationWasSent() {
        Number id = JsonPath.read(get("/api/messages?messageId={id}", "<never@x.test>"), "$.items[0].id");
        String page = get("/messages/{id}", id).replaceAll("\\s+", " ");
        assertThat(page).contains("<dt>Notifications</dt>");
        assertThat(page).contains("none sent: 1 recipient bounced with K, the sender having asked not to be notified");

        Number orig = JsonPath.read(get("/api/messages?messageId={id}", "<orig@x.test>"), "$.items[0].id");
        assertThat(get("/messages/{id}", orig)).doesNotContain("bounced with K");
    }

    /**
     * The K note counts the whole message's recipients, not those of the page shown (found by QA: a message of
     * several pages said "10 recipients ... (of the recipients shown)" on each page, and nothing on a page of
     * delivered recipients only).
     */
    @Test
    void theKNoteCountsEveryPageOfRecipients() {
        Number id = JsonPath.read(get("/api/messages?messageId={id}", "<many@x.test>"), "$.items[0].id");
        String note = "none sent: 25 recipients bounced with K, the sender having asked not to be notified "
                + "(NOTIFY=NEVER), so the MTA returned them without a notification<";
        for (String query : new String[] {"", "?rpage=1", "?rpage=2", "?rstatus=delivered", "?rstatus=delivered&rpage=2"}) {
            String page = get("/messages/" + id + query).replaceAll("\\s+", " ");
            assertThat(page).as(query).contains("<dt>Notifications</dt>").contains(note)
                    .doesNotContain("of the recipients shown");
        }
        assertThat(get("/messages/" + id)).contains("Recipients 1–100 of 250");
        // a figure of the page, not part of the API's answer
        assertThat(get("/api/messages/{id}", id)).doesNotContain("bouncedWithoutNotification");
    }
}
