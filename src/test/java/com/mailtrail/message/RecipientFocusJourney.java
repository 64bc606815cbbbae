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
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * From a filtered search to the recipients that matched, over real HTTP on H2 and PostgreSQL (the subclasses): the
 * message page shows the recipients at an address (raddr, as the search's recipient), the API the same (recipient),
 * and each row of a search with conditions on recipients links there and says how many of its recipients matched.
 */
@AutoConfigureRestTestClient
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RecipientFocusJourney {

    @Autowired
    RestTestClient http;

    @Autowired
    DataSource dataSource;

    @Autowired
    MessageQueries queries;

    private Number eight;
    private Number many;

    @BeforeAll
    void load() {
        // eight recipients: Bob logged in capitals and carol delivered, dave deferred, erin bounced, a list's address
        // delivered to frank (its active address), three more delivered
        TestLogs.importResource(dataSource, "/logs/eight-recipients.log");
        // 250 recipients u0..u249@y.test, every tenth (u9, u19...) bounced with K
        TestLogs.importText(dataSource, "many.log", NotificationJourney.manyRecipients(0, 250));
        eight = JsonPath.read(get("/api/messages?messageId={v}", "<eight@x.test>"), "$.items[0].id");
        many = JsonPath.read(get("/api/messages?messageId={v}", "<many@x.test>"), "$.items[0].id");
    }

    private String get(String uri, Object... vars) {
        return http.get().uri(uri, vars).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
    }

    private String badRequest(String uri, Object... vars) {
        return http.get().uri(uri, vars).exchange().expectStatus().isBadRequest().expectBody(String.class)
                .returnResult().getResponseBody();
    }

    private static int count(String html, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(html);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** The recipients a message page shows in its table (their original addresses, as the first cell has them). */
    private static List<String> shown(String html) {
        int at = html.indexOf("<table class=\"recipients\">");
        String table = html.substring(at, html.indexOf("</table>", at));
        Matcher m = Pattern.compile("<tr>\\s*<td class=\"mono name\">([^<]*)</td>").matcher(table);
        List<String> out = new java.util.ArrayList<>();
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void theMessagePageShowsTheRecipientsAtAnAddressInAnyCase() {
        String page = get("/messages/" + eight + "?raddr={a}", "bob@EXAMPLE.com");
        assertThat(shown(page)).containsExactly("Bob@Example.COM");
        assertThat(count(page, "<h2>Attempts for")).isEqualTo(1);
        assertThat(page.replaceAll("\\s+", " ")).contains("Recipients matching bob@example.com",
                "href=\"/messages/" + eight + "\">show all 8</a>");
        // the timeline draws what the page shows
        assertThat(page).contains("data-message-url=\"/api/messages/" + eight
                + "?recipientPage=0&amp;recipientSize=100&amp;recipient=bob@example.com\"");
    }

    @Test
    void anAddressMatchesTheOriginalOrTheActiveOneAsTheSearchDoes() {
        assertThat(shown(get("/messages/" + eight + "?raddr=frank@example.com"))).containsExactly("team@lists.example.net");
        assertThat(shown(get("/messages/" + eight + "?raddr=team@lists.example.net"))).containsExactly("team@lists.example.net");
        assertThat(shown(get("/messages/" + eight + "?raddr=@example.com")))
                .containsExactly("Bob@Example.COM", "carol@example.com", "team@lists.example.net");
        assertThat(shown(get("/messages/" + eight + "?raddr={a}", "rfc822;<Carol@example.com>")))
                .containsExactly("carol@example.com");
        String none = get("/messages/" + eight + "?raddr=nobody@example.com");
        assertThat(shown(none)).isEmpty();
        assertThat(none).contains("No recipient of this message matches.");
        // what was typed is shown as text
        assertThat(get("/messages/" + eight + "?raddr={a}", "<img src=x onerror=alert(1)>*"))
                .contains("Recipients matching &lt;img src=x onerror=alert(1)&gt;*").doesNotContain("<img src=x");
    }

    @Test
    void anAddressWithAStatusAndPagesAsTheStatusAlone() {
        // u1, u10-u19, u100-u199: 111, of which u19, u109, u119 ... u199 bounced
        String first = get("/messages/" + many + "?raddr=u1*");
        assertThat(first).contains("Recipients 1–100 of 111", "Recipients matching u1*", "show all 250", "all 111");
        assertThat(count(first, "<h2>Attempts for")).isEqualTo(100);
        // the status links count and keep the address; the next page keeps it too
        assertThat(first).contains("href=\"/messages/" + many + "?raddr=u1*&amp;rstatus=bounced\"",
                "href=\"/messages/" + many + "?raddr=u1*&amp;rpage=1\"");
        String second = get("/messages/" + many + "?raddr=u1*&rpage=1");
        assertThat(second).contains("Recipients 101–111 of 111");
        assertThat(count(second, "<h2>Attempts for")).isEqualTo(11);

        String bounced = get("/messages/" + many + "?raddr=u1*&rstatus=bounced");
        assertThat(shown(bounced)).containsExactly("u19@y.test", "u109@y.test", "u119@y.test", "u129@y.test",
                "u139@y.test", "u149@y.test", "u159@y.test", "u169@y.test", "u179@y.test", "u189@y.test",
                "u199@y.test");
        // removing the address keeps the status
        assertThat(bounced.replaceAll("\\s+", " ")).contains("href=\"/messages/" + many
                + "?rstatus=bounced\">show all 25 bounced</a>");
    }

    @Test
    void aBadAddressIsA400ThatSaysWhy() {
        assertThat(badRequest("/messages/" + eight + "?raddr=*")).contains("400 Bad Request",
                "raddr: a prefix needs at least one character before");
        assertThat(badRequest("/messages/" + eight + "?raddr=a*b")).contains("raddr: &#39;*&#39; is only allowed at the end");
        assertThat(badRequest("/api/messages/" + eight + "?recipient=@")).contains("recipient: give a domain after");
    }

    @Test
    void theApiGivesTheRecipientsAtAnAddressAndTheirStatuses() {
        String json = get("/api/messages/" + eight + "?recipient=@example.org");
        assertThat((Integer) JsonPath.read(json, "$.recipientTotal")).isEqualTo(2);
        List<String> addresses = JsonPath.read(json, "$.recipients[*].recipient");
        assertThat(addresses).containsExactly("dave@example.org", "erin@example.org");
        Map<String, Integer> matching = JsonPath.read(json, "$.matchingStatuses");
        assertThat(matching).containsExactly(Map.entry("bounced", 1), Map.entry("deferred", 1));
        Map<String, Integer> all = JsonPath.read(json, "$.recipientStatuses");
        assertThat(all).containsEntry("delivered", 6);
        String deferred = get("/api/messages/" + eight + "?recipient=@example.org&recipientStatus=deferred");
        assertThat((List<String>) JsonPath.read(deferred, "$.recipients[*].recipient")).containsExactly("dave@example.org");
        // without it, no such member
        assertThat(get("/api/messages/" + eight)).doesNotContain("matchingStatuses");
    }

    @Test
    void aSearchRowLinksToTheRecipientsThatMatchedAndCountsThem() {
        String byAddress = get("/search?recipient=bob@example.com");
        assertThat(byAddress).contains("href=\"/messages/" + eight + "?raddr=bob@example.com\"",
                "data-href=\"/messages/" + eight + "?raddr=bob@example.com\"", ">1 of 8<");
        String deferred = get("/search?status=deferred");
        assertThat(deferred).contains("href=\"/messages/" + eight + "?rstatus=deferred\"", ">1 of 8<");
        // followed: only the deferred recipient
        assertThat(shown(get("/messages/" + eight + "?rstatus=deferred"))).containsExactly("dave@example.org");

        // waiting (deferred or queued), as the Queue page's searches ask: the page shows the waiting recipients
        assertThat(get("/search?status=waiting")).contains("href=\"/messages/" + eight + "?rstatus=waiting\"",
                ">1 of 8<");
        String waiting = get("/messages/" + eight + "?rstatus=waiting");
        assertThat(shown(waiting)).containsExactly("dave@example.org");
        assertThat(get("/messages/" + eight + "?raddr=@example.org&rstatus=WAITING").replaceAll("\\s+", " "))
                .contains("href=\"/messages/" + eight + "?rstatus=waiting\">show all 1 waiting</a>");
        assertThat((List<String>) JsonPath.read(get("/api/messages/" + eight + "?recipientStatus=waiting"),
                "$.recipients[*].recipient")).containsExactly("dave@example.org");

        String both = get("/search?recipient=@example.org&status=bounced");
        assertThat(both).contains("href=\"/messages/" + eight + "?raddr=@example.org&amp;rstatus=bounced\"", ">1 of 8<");
        // a dashboard bar's search (an outcome in an hour): its conditions on the message's rows bind too
        assertThat(get("/search?outcome=deferred&eventFrom=2026-03-02T10:00&eventTo=2026-03-02T11:00"))
                .contains("href=\"/messages/" + eight + "\"", ">1 of 8<");
        // what the page cannot show by (a channel) still counts
        assertThat(get("/search?recipient=u1*&channel=tcp_local")).contains(
                "href=\"/messages/" + many + "?raddr=u1*\"", ">111 of 250<");
        // the quick search by address too
        assertThat(get("/search?q=u1*")).contains("href=\"/messages/" + many + "?raddr=u1*\"", ">111 of 250<");
        // no condition on recipients, or all of them matched: the plain link and the count alone
        String bySender = get("/search?sender=sam@x.test");
        assertThat(bySender).contains("href=\"/messages/" + eight + "\"").doesNotContain(" of 8<");
    }

    @Test
    void theRowsCountsAddUpToTheSearchsMatchingRecipients() {
        for (SearchForm f : List.of(form("@example.com", null, null), form(null, "delivered", null),
                form("u1*", "bounced", null), form(null, null, "tcp_local"), form("@example.org", null, "tcp_local"),
                form(null, "waiting", null), new SearchForm(null, null, null, null, null, null, "tcp_local", null, null,
                        null, null, null, null, null, "deferred", "2026-03-02T10:00", "2026-03-02T11:00", null, null,
                        null))) {
            MessageCriteria c = f.toCriteria();
            PageResult<MessageSummary> result = queries.search(c);
            Map<Long, Long> matching = queries.matchingRecipients(c,
                    result.items().stream().map(MessageSummary::id).toList());
            assertThat(matching.values().stream().mapToLong(Long::longValue).sum()).as(f.toString())
                    .isEqualTo(result.recipients());
            assertThat(matching.keySet()).as(f.toString())
                    .containsExactlyInAnyOrderElementsOf(result.items().stream().map(MessageSummary::id).toList());
        }
        assertThat(queries.matchingRecipients(form(null, null, null).toCriteria(), List.of(eight.longValue())))
                .isEmpty();
    }

    private static SearchForm form(String recipient, String status, String channel) {
        return new SearchForm(null, recipient, recipient == null && status == null && channel == null ? "sam@x.test"
                : null, null, null, status, channel, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }
}
