package com.mailtrail.message;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.web.util.HtmlUtils;

import javax.sql.DataSource;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Searches an administrator types as they like, over real HTTP, on H2 and PostgreSQL (the subclasses): a channel in
 * any case, and the Queue page's recipients without a domain.
 */
@AutoConfigureRestTestClient
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SearchJourney {

    /**
     * The seed (tcp_internal to tcp_local), a message logged with upper-case channel names, and three waiting
     * recipients: two without a domain (postmaster, and one with nothing after its @), one at y.test.
     */
    static final String LOG = """
            15-Jan-1998 11:00:00.00 TCP_INTERNAL TCP_UPPER    E 3 ann@x.test rfc822;bob@y.test bob@y.test imta/queue/tcp_upper/ZZ01UPPER.00 <upper@x.test>
            15-Jan-1998 11:00:05.00 TCP_UPPER                 D 3 ann@x.test rfc822;bob@y.test bob@y.test imta/queue/tcp_upper/ZZ01UPPER.00 <upper@x.test> dns;mx.y.test (TCP|192.0.2.1|2788|192.0.2.2|25) smtp; 250 Ok
            15-Jan-1998 21:00:00.00 tcp_local    l            E 1 ann@x.test rfc822;postmaster postmaster imta/queue/l/ZZ01LOCAL.00 <local@x.test>
            15-Jan-1998 21:00:00.00 tcp_local    l            E 1 ann@x.test rfc822;carl@y.test carl@y.test imta/queue/l/ZZ01LOCAL.00 <local@x.test>
            15-Jan-1998 21:00:01.00 tcp_local    tcp_local    E 1 ann@x.test rfc822;weird@ weird@ imta/queue/tcp_local/ZZ01WEIRD.00 <weird@x.test>
            15-Jan-1998 22:00:00.00 tcp_other    ims-ms       E 1  rfc822;ann@x.test ann@x.test imta/queue/ims-ms/ZZ01NULL.00 <null@x.test>
            15-Jan-1998 23:00:00.00 tcp_case     ims-ms       E 1 dora@x.test rfc822;eve@z.test eve@z.test imta/queue/ims-ms/ZZ01CASE.00 <Ab12.Cd34@Case.X.Test>
            15-Jan-1998 23:10:00.00 tcp_case     ims-ms       E 1 dora@x.test rfc822;fay@z.test fay@z.test imta/queue/ims-ms/ZZ01TWIN1.00 <Twin@x.test>
            15-Jan-1998 23:20:00.00 tcp_case     ims-ms       E 1 dora@x.test rfc822;gus@z.test gus@z.test imta/queue/ims-ms/ZZ01TWIN2.00 <twin@x.test>
            15-Jan-1998 23:30:00.00 tcp_case     process      E 1 postmaster@x.test rfc822;dora@x.test dora@x.test imta/queue/process/ZZ01NTF1.00 <ntf1@x.test>,<AB12.CD34@CASE.X.TEST>
            15-Jan-1998 23:40:00.00 tcp_case     process      E 1 postmaster@x.test rfc822;dora@x.test dora@x.test imta/queue/process/ZZ01NTF2.00 <ntf2@x.test>,<twin@x.test>
            """;

    @Autowired
    RestTestClient http;

    @Autowired
    DataSource dataSource;

    @BeforeAll
    void load() {
        TestLogs.importResource(dataSource, TestLogs.SEED);
        TestLogs.importText(dataSource, "more.log", LOG);
    }

    private String get(String uri, Object... vars) {
        return http.get().uri(uri, vars).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
    }

    private List<String> ids(String uri, Object... vars) {
        return JsonPath.read(get(uri, vars), "$.items[*].messageId");
    }

    @Test
    void aChannelMatchesInAnyCase() {
        // channel=TCP_LOCAL found nothing: the log writes tcp_local, and an administrator types it as they like
        for (String channel : List.of("tcp_local", "TCP_LOCAL", "Tcp_Local")) {
            assertThat(ids("/api/messages?channel={c}", channel)).as(channel)
                    .containsExactlyInAnyOrder("<01IRUD7SVA3Q9UN2D4@sesta.com>", "<local@x.test>", "<weird@x.test>");
            // with an outcome, the channel of that outcome (the recipient's row and its attempts)
            assertThat(ids("/api/messages?channel={c}&outcome=deferred", channel)).as(channel)
                    .containsExactly("<01IRUD7SVA3Q9UN2D4@sesta.com>");
            assertThat(ids("/api/messages?channel={c}&outcome=delivered", channel)).as(channel)
                    .containsExactly("<01IRUD7SVA3Q9UN2D4@sesta.com>");
        }
        // and a log's upper-case channel, as logged or in lower case
        for (String channel : List.of("TCP_UPPER", "tcp_upper", "Tcp_Upper")) {
            assertThat(ids("/api/messages?channel={c}", channel)).as(channel).containsExactly("<upper@x.test>");
        }
        assertThat(ids("/api/messages?channel={c}", "tcp_internal"))
                .containsExactlyInAnyOrder("<upper@x.test>", "<01IRUD7SVA3Q9UN2D4@sesta.com>");
        assertThat(ids("/api/messages?channel={c}&outcome=delivered", "tcp_upper")).containsExactly("<upper@x.test>");
        assertThat(ids("/api/messages?channel={c}", "tcp_lo")).isEmpty();

        String page = get("/search?channel={c}", "TCP_LOCAL");
        assertThat(page).contains("<strong>3</strong>", HtmlUtils.htmlEscape("<01IRUD7SVA3Q9UN2D4@sesta.com>"));
        String csv = get("/search.csv?channel={c}", "TCP_LOCAL");
        assertThat(csv.lines()).hasSize(4);
        assertThat(csv).contains("<01IRUD7SVA3Q9UN2D4@sesta.com>", "<weird@x.test>");
    }

    @Test
    void theQueuesNoDomainRowLinksToASearchOfExactlyItsRecipients() {
        String queue = get("/queue");
        Matcher row = Pattern.compile("<span>\\(no domain\\)</span>\\s*</th>\\s*<td class=\"num\">"
                + "<a href=\"([^\"]+)\">2</a></td>").matcher(queue);
        assertThat(row.find()).as("the (no domain) row's total links to its search:\n%s", queue).isTrue();
        String link = HtmlUtils.htmlUnescape(row.group(1));
        assertThat(link).isEqualTo("/search?deliveredTo=@&status=waiting");

        String found = get("/api" + link.replace("/search", "/messages"));
        assertThat((Integer) JsonPath.read(found, "$.total")).isEqualTo(2);
        assertThat((Integer) JsonPath.read(found, "$.recipients")).isEqualTo(2);
        assertThat((List<String>) JsonPath.read(found, "$.items[*].messageId"))
                .containsExactlyInAnyOrder("<local@x.test>", "<weird@x.test>");
        // the domain's own row still lists its recipient alone
        String yTest = get("/api/messages?deliveredTo=y.test&status=waiting");
        assertThat((Integer) JsonPath.read(yTest, "$.recipients")).isEqualTo(1);

        String page = get(link);
        assertThat(page).contains("delivered to no domain", "name=\"deliveredTo\" value=\"@\"",
                "<strong>2</strong>", HtmlUtils.htmlEscape("<local@x.test>"));
        // with a recipient address too (its own index path)
        assertThat(ids("/api/messages?deliveredTo=@&recipient=postmaster")).containsExactly("<local@x.test>");
        assertThat(ids("/api/messages?deliveredTo=@&recipient=carl@y.test")).isEmpty();
        // the age cell of the row links as well
        assertThat(queue).contains("/search?deliveredTo=@&amp;status=waiting&amp;enqueuedFrom=");
    }

    @Test
    void theNullSenderIsFoundAsThePagesWriteIt() {
        // The pages write an empty envelope sender (a bounce, a notification) as <>, which found nothing
        assertThat(ids("/api/messages?sender={s}", "<>")).containsExactly("<null@x.test>");
        assertThat(ids("/api/messages?sender={s}", " <> ")).containsExactly("<null@x.test>");
        assertThat(get("/search?sender={s}", "<>")).contains(HtmlUtils.htmlEscape("<null@x.test>"), "(null sender)");
    }

    @Test
    void aDelayIsTakenInAnyCaseAsStatusAndCategoryAre() {
        // delay=>1D was refused while status=DELIVERED and category=DNS were taken
        // the seed's recipient: delivered 10 h 14 min after its enqueue
        for (String delay : List.of("4-24h", "4-24H", " 4-24H ")) {
            assertThat(ids("/api/messages?delay={d}", delay)).as(delay)
                    .containsExactly("<01IRUD7SVA3Q9UN2D4@sesta.com>");
        }
        assertThat(ids("/api/messages?delay={d}", ">1D")).isEmpty();
    }

    @Test
    void aDomainOfOnlyAnAtIsStillRefusedWhereItMakesNoSense() {
        http.get().uri("/api/messages?deliveredTo={d}", "@@").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.error").value(e -> assertThat((String) e)
                        .contains("deliveredTo must be a domain, as in example.com, or @ alone"));
    }

    /**
     * A Message-ID is found in whatever case it is typed or pasted (a ticket, a header, a tool that folded it), on the
     * API, the Search page, the CSV and the header's box alike; it was matched in its logged case only.
     */
    @Test
    void aMessageIdIsFoundInAnyCase() {
        String logged = "<Ab12.Cd34@Case.X.Test>";
        Number id = JsonPath.read(get("/api/messages?messageId={id}", logged), "$.items[0].id");
        for (String typed : List.of(logged, "<ab12.cd34@case.x.test>", "<AB12.CD34@CASE.X.TEST>",
                "ab12.cd34@case.x.test", " AB12.Cd34@case.x.TEST ")) {
            assertThat(ids("/api/messages?messageId={id}", typed)).as(typed).containsExactly(logged);
            assertThat(get("/search?messageId={id}", typed)).as(typed)
                    .contains("<strong>1</strong>", HtmlUtils.htmlEscape(logged));
            assertThat(get("/search.csv?messageId={id}", typed).lines()).as(typed).hasSize(2)
                    .anyMatch(line -> line.startsWith(id + "," + logged + ","));
            http.get().uri("/search?q={q}", typed).exchange().expectStatus().isFound()
                    .expectHeader().value("Location", l -> assertThat(l).endsWith("/messages/" + id));
        }
        assertThat(ids("/api/messages?messageId={id}", "<ab12.cd34@case.x.tes>")).isEmpty();

        // Two ids that differ only in case stay two messages, as the MTA logged them: a search in any case lists both
        for (String typed : List.of("<Twin@x.test>", "<twin@x.test>", "TWIN@X.TEST")) {
            assertThat(ids("/api/messages?messageId={id}", typed)).as(typed)
                    .containsExactlyInAnyOrder("<Twin@x.test>", "<twin@x.test>");
        }
        // The header's box goes to the one typed in its own case (it listed both), and lists them only when the case
        // typed is neither's
        String bothTwins = get("/api/messages?messageId={id}", "<twin@x.test>");
        Number lower = ((List<Number>) JsonPath.read(bothTwins, "$.items[?(@.messageId == '<twin@x.test>')].id")).get(0);
        Number upper = ((List<Number>) JsonPath.read(bothTwins, "$.items[?(@.messageId == '<Twin@x.test>')].id")).get(0);
        for (var typed : java.util.Map.of("<Twin@x.test>", upper, "Twin@x.test", upper, " <twin@x.test> ", lower,
                "twin@x.test", lower).entrySet()) {
            http.get().uri("/search?q={q}", typed.getKey()).exchange().expectStatus().isFound()
                    .expectHeader().value("Location", l -> assertThat(l).as(typed.getKey())
                            .endsWith("/messages/" + typed.getValue()));
        }
        for (String typed : List.of("TWIN@X.TEST", "<twin@X.test>")) {
            assertThat(get("/search?q={q}", typed)).as(typed).contains("Messages with this Message-ID",
                    HtmlUtils.htmlEscape("<Twin@x.test>"), HtmlUtils.htmlEscape("<twin@x.test>"));
        }

        // A notification links to its original, and back, though it names it in another case; the original in the
        // notification's own case wins where there is one
        String notification = get("/api/messages/{id}", (Number) JsonPath.read(
                get("/api/messages?messageId={id}", "<NTF1@X.TEST>,<AB12.CD34@CASE.X.TEST>"), "$.items[0].id"));
        assertThat((Number) JsonPath.read(notification, "$.original.id")).isEqualTo(id);
        assertThat((List<String>) JsonPath.read(get("/api/messages/{id}", id), "$.notifications[*].messageId"))
                .containsExactly("<ntf1@x.test>");
        String twins = get("/api/messages?messageId={id}", "<twin@x.test>");
        Number lowerTwin = ((List<Number>) JsonPath.read(twins, "$.items[?(@.messageId == '<twin@x.test>')].id")).get(0);
        Number upperTwin = ((List<Number>) JsonPath.read(twins, "$.items[?(@.messageId == '<Twin@x.test>')].id")).get(0);
        String second = get("/api/messages/{id}", (Number) JsonPath.read(
                get("/api/messages?messageId={id}", "<ntf2@x.test>"), "$.items[0].id"));
        assertThat((Number) JsonPath.read(second, "$.original.id")).isEqualTo(lowerTwin);
        assertThat((List<String>) JsonPath.read(get("/api/messages/{id}", lowerTwin), "$.notifications[*].messageId"))
                .containsExactly("<ntf2@x.test>");
        assertThat((List<String>) JsonPath.read(get("/api/messages/{id}", upperTwin), "$.notifications[*].messageId"))
                .isEmpty();
    }

    /**
     * The header's quick search names what it matched: a prefix or a domain is not "this address", and a term that
     * is no address at all (an @ or a * alone) found nothing "for this Message-ID or address" as any other does.
     */
    @Test
    void theQuickSearchSaysWhatItMatched() {
        assertThat(get("/search?q={q}", "bob@y.test")).contains("Messages to this address");
        assertThat(get("/search?q={q}", "bo*")).contains("Messages to addresses starting with this")
                .doesNotContain("Messages to this address").contains(HtmlUtils.htmlEscape("<upper@x.test>"));
        assertThat(get("/search?q={q}", "@y.test")).contains("Messages to addresses in this domain")
                .doesNotContain("Messages to this address");
        for (String q : List.of("@", "*", "nobody@nowhere.test", "nob*")) {
            assertThat(get("/search?q={q}", q)).as(q).contains("Nothing found for this Message-ID or address");
        }
    }

    /**
     * A date without a time, as an administrator types it: from is that day's 00:00, to the next day's, so that
     * from=D&to=D is the whole day D (found by QA: refused with a 400). A malformed date keeps its clear 400.
     */
    @Test
    void aBareDateIsTheWholeDay() {
        int all = JsonPath.read(get("/api/messages?size=1"), "$.total");
        assertThat(all).isPositive();
        assertThat((Integer) JsonPath.read(get("/api/messages?from=1998-01-15&to=1998-01-15&size=1"), "$.total"))
                .isEqualTo(all);
        // the last message of the day, first seen at 23:40, is in the day that to= ends
        assertThat(get("/api/messages?to=1998-01-15&messageId={id}", "<ntf2@x.test>")).contains("\"total\":1");
        assertThat((Integer) JsonPath.read(get("/api/messages?from=1998-01-16&size=1"), "$.total")).isZero();
        assertThat((Integer) JsonPath.read(get("/api/messages?to=1998-01-14&size=1"), "$.total")).isZero();
        assertThat((Integer) JsonPath.read(get("/api/messages?enqueuedFrom=1998-01-15&enqueuedTo=1998-01-15&size=1"),
                "$.total")).isPositive();

        // the page takes it too, and gives the form back as the date-time it stands for (a datetime-local input
        // would show a bare date as empty, and the next search would lose it)
        String page = get("/search?from=1998-01-15&to=1998-01-15");
        assertThat(page).contains("name=\"from\" value=\"1998-01-15T00:00\"").contains("name=\"to\" value=\"1998-01-16T00:00\"");

        String bad = http.get().uri("/api/messages?from=1998-01-32").exchange().expectStatus().isBadRequest()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(bad).contains("from must be an ISO-8601 local date-time such as 2026-03-02T10:00")
                .contains("or a date such as 2026-03-02").contains("got '1998-01-32'");
    }
}
