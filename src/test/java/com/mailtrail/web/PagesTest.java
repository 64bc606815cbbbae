package com.mailtrail.web;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import org.springframework.web.util.HtmlUtils;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Every page renders from real data (the seed document, imported through the real write path). */
@TestPropertySource(properties = {"spring.datasource.url=jdbc:h2:mem:pages-test;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/pages"})
class PagesTest extends OneMessagePagesTest {

    @Override
    InputStream log() {
        return getClass().getResourceAsStream("/logs/seed-multiple-delivery-attempts.txt");
    }

    @Override
    String name() {
        return "seed.txt";
    }

    @Test
    void dashboardShowsTheSeedsFiguresAndSixCharts() throws Exception {
        mvc.perform(get("/")).andExpect(status().isOk())
                .andExpect(header().string("Content-Security-Policy", containsString("script-src 'self'")))
                .andExpect(content().string(allOf(containsString("Dashboard"), containsString("data-url=\"/api/charts/volume"),
                        containsString("10 h 14 min"), not(containsString("<script>")))));
    }

    /**
     * The templates' notes for developers stay on the server: the dashboard sent "(DashboardQueries.kpiLinks)" to every
     * browser in an HTML comment, and the queue, search and upload pages theirs (found by QA).
     */
    @Test
    void noPageSendsTheTemplatesNotes() throws Exception {
        for (String page : new String[] {"/", "/queue", "/search?status=delivered&eventFrom=1998-01-15T00:00:00",
                "/search?source=1", "/upload", "/sources", "/connections"}) {
            mvc.perform(get(page)).andExpect(status().isOk()).andExpect(content().string(not(containsString("<!--"))));
        }
    }

    @Test
    void chartDataIsJson() throws Exception {
        mvc.perform(get("/api/charts/volume")).andExpect(status().isOk())
                .andExpect(content().string(containsString("\"delivered\"")));
        mvc.perform(get("/api/charts/nonsense")).andExpect(status().isNotFound())
                .andExpect(content().string(containsString("no chart named nonsense")));
        mvc.perform(get("/api/charts/volume?from=yesterday")).andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("from must be an ISO-8601 local date-time such as 2026-03-02T10:00")));
    }

    @Test
    void searchFindsTheSeedByRecipientAndShowsAnErrorForBadInput() throws Exception {
        mvc.perform(get("/search?recipient=user@some.org")).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("&lt;01IRUD7SVA3Q9UN2D4@sesta.com&gt;"),
                        containsString("Download all as CSV"))));
        mvc.perform(get("/search?status=lost")).andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("status must be one of")));
        mvc.perform(get("/search")).andExpect(status().isOk())
                .andExpect(content().string(containsString("How to search")));
    }

    /**
     * The help says how conditions on recipients combine, as the search does: it said "Status, channel and category
     * match a message when any of its recipients has them", which reads as @b.com with dns finding a message with a
     * b.com recipient and a DNS failure of anyone (found by QA).
     */
    @Test
    void searchHelpSaysTheConditionsOnRecipientsHoldForOneRecipient() throws Exception {
        String help = mvc.perform(get("/search")).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        assertThat(help).contains("must all hold for the same recipient")
                .doesNotContain("match a message when any of its recipients has them");
    }

    /**
     * A search with conditions on recipients counts the recipients that meet them beside the messages, on the page and
     * in the API; one with none has no such count (the seed: one message, its one recipient delivered).
     */
    @Test
    void aSearchWithConditionsOnRecipientsCountsTheRecipientsToo() throws Exception {
        String page = mvc.perform(get("/search?status=delivered")).andExpect(status().isOk()).andReturn()
                .getResponse().getContentAsString();
        assertThat(text(page)).contains("1 message, 1 matching recipient Download all as CSV");
        assertThat(text(mvc.perform(get("/search?status=bounced")).andReturn().getResponse().getContentAsString()))
                .contains("0 messages").doesNotContain("matching");
        assertThat(text(mvc.perform(get("/search?from=1998-01-15T00:00")).andReturn().getResponse()
                .getContentAsString())).contains("1 message Download all as CSV").doesNotContain("matching");
        mvc.perform(get("/api/messages?status=delivered&channel=tcp_local")).andExpect(status().isOk())
                .andExpect(content().string(startsWith("{\"total\":1,\"recipients\":1,\"page\":0,")));
        mvc.perform(get("/api/messages?from=1998-01-15T00:00")).andExpect(status().isOk())
                .andExpect(content().string(allOf(startsWith("{\"total\":1,\"page\":0,"),
                        not(containsString("\"recipients\":1,\"page\"")))));
    }

    /**
     * A search for an outcome or a failure category also counts the matching outcomes, as the charts of failure reasons,
     * destinations and deliveries per channel count them: the seed's one recipient had no route to host twice (one
     * message, one recipient, two outcomes of category network). A search without an outcome has no such count.
     */
    @Test
    void aSearchForAnOutcomeCountsTheMatchingOutcomesToo() throws Exception {
        String page = mvc.perform(get("/search?category=network")).andExpect(status().isOk()).andReturn()
                .getResponse().getContentAsString();
        assertThat(text(page)).contains("1 message, 1 matching recipient, 2 matching outcomes Download all as CSV");
        assertThat(text(mvc.perform(get("/search?outcome=delivered&channel=tcp_local")).andReturn().getResponse()
                .getContentAsString())).contains("1 message, 1 matching recipient, 1 matching outcome Download");
        assertThat(text(mvc.perform(get("/search?status=delivered")).andReturn().getResponse().getContentAsString()))
                .doesNotContain("outcome");
        mvc.perform(get("/api/messages?category=network&eventFrom=1998-01-15T10:00&eventTo=1998-01-15T11:00"))
                .andExpect(status().isOk())
                .andExpect(content().string(startsWith("{\"total\":1,\"recipients\":1,\"outcomes\":1,\"page\":0,")));
        mvc.perform(get("/api/messages?outcome=deferred")).andExpect(status().isOk())
                .andExpect(content().string(startsWith("{\"total\":1,\"recipients\":1,\"outcomes\":3,\"page\":0,")));
        mvc.perform(get("/api/messages?status=delivered")).andExpect(status().isOk())
                .andExpect(content().string(not(containsString("\"outcomes\""))));
    }

    /** The page's text as a reader sees it: tags dropped, entities decoded, white space collapsed. */
    private static String text(String html) {
        return HtmlUtils.htmlUnescape(html.replaceAll("<[^>]*>", " ")).replaceAll("\\s+", " ").replace(" ,", ",");
    }

    @Test
    void searchBySourceListsTheMessagesItBrought() throws Exception {
        long source = jdbc.sql("SELECT id FROM log_source WHERE name = 'seed.txt'").query(Long.class).single();
        mvc.perform(get("/search?source=" + source)).andExpect(status().isOk())
                .andExpect(content().string(containsString("&lt;01IRUD7SVA3Q9UN2D4@sesta.com&gt;")));
        mvc.perform(get("/api/messages?source=" + (source + 999_999))).andExpect(status().isOk())
                .andExpect(content().string(containsString("\"total\":0")));
        mvc.perform(get("/api/messages?source=abc")).andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("source must be a source id")));
    }

    @Test
    void everyDashboardBarLeadsToASearchThatFindsWhatItCounts() throws Exception {
        // The seed's one recipient was delivered after 4 outcomes and 10 h 14 min: the 4 bar and the 4-24h bar.
        mvc.perform(get("/search?attempts=4")).andExpect(status().isOk())
                .andExpect(content().string(containsString("&lt;01IRUD7SVA3Q9UN2D4@sesta.com&gt;")));
        mvc.perform(get("/search?attempts=1")).andExpect(status().isOk())
                .andExpect(content().string(containsString("<strong>0</strong>")));
        mvc.perform(get("/search?delay=4-24h")).andExpect(status().isOk())
                .andExpect(content().string(containsString("&lt;01IRUD7SVA3Q9UN2D4@sesta.com&gt;")));
        mvc.perform(get("/search").param("delay", "<1m")).andExpect(status().isOk())
                .andExpect(content().string(containsString("<strong>0</strong>")));
        mvc.perform(get("/api/messages?delay=soon")).andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("delay must be one of")));
        mvc.perform(get("/api/charts/attempts")).andExpect(status().isOk())
                .andExpect(content().string(containsString("/search?attempts=4")));
        mvc.perform(get("/api/charts/delays")).andExpect(status().isOk())
                .andExpect(content().string(containsString("/search?delay=4-24h")));

        // The seed's deferrals to some.org for no route to host (network), followed from the chart to its page,
        // which keeps what the form does not show when it is sent again.
        String chart = mvc.perform(get("/api/charts/domains?from=1998-01-15T00:00&to=1998-01-16T00:00"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        java.util.regex.Matcher link = java.util.regex.Pattern
                .compile("\"(/search\\?deliveredTo=some\\.org&outcome=deferred&category=network[^\"]*)\"")
                .matcher(chart);
        org.assertj.core.api.Assertions.assertThat(link.find()).as(chart).isTrue();
        mvc.perform(get(java.net.URI.create(link.group(1)))).andExpect(status().isOk())
                .andExpect(content().string(containsString("&lt;01IRUD7SVA3Q9UN2D4@sesta.com&gt;")))
                .andExpect(content().string(containsString("<strong>1</strong>")))
                .andExpect(content().string(containsString("name=\"outcome\" value=\"deferred\"")))
                .andExpect(content().string(containsString("name=\"deliveredTo\" value=\"some.org\"")))
                .andExpect(content().string(containsString("delivered to some.org")))
                .andExpect(content().string(containsString("name=\"eventFrom\" value=\"1998-01-15T00:00:00\"")));
        mvc.perform(get("/search?recipient=@some.org&outcome=delivered&category=network")).andExpect(status().isOk())
                .andExpect(content().string(containsString("<strong>0</strong>")));
    }

    @Test
    void aSearchPageNamesEveryConditionItsFormDoesNotShow() throws Exception {
        // The attempts, delay and source of a search have no field in the form: unnamed, the page listed fewer
        // messages than "all" with nothing saying why.
        mvc.perform(get("/search?attempts=4&eventFrom=1998-01-15T00:00:00&eventTo=1998-01-16T00:00:00"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("<span>ended after 4 outcomes</span>")));
        mvc.perform(get("/search?attempts=10")).andExpect(status().isOk())
                .andExpect(content().string(containsString("<span>ended after 10 or more outcomes</span>")))
                .andExpect(content().string(not(containsString("in that time"))));
        mvc.perform(get("/search").param("delay", "4-24h")).andExpect(status().isOk())
                .andExpect(content().string(containsString("<span>delivered after 4-24h</span>")));
        long source = jdbc.sql("SELECT id FROM log_source WHERE name = 'seed.txt'").query(Long.class).single();
        mvc.perform(get("/search?source=" + source)).andExpect(status().isOk())
                .andExpect(content().string(containsString("Only messages with entries from <a href=\"/sources\">log "
                        + "source " + source + "</a>")))
                .andExpect(content().string(not(containsString("From the dashboard"))));
    }

    @Test
    void quickSearchGoesStraightToTheMessage() throws Exception {
        mvc.perform(get("/search?q=01IRUD7SVA3Q9UN2D4@sesta.com")).andExpect(status().is3xxRedirection())
                .andExpect(header().string("Location", endsWith("/messages/" + id)));
        mvc.perform(get("/search?q=adam@hosta.sesta.com")).andExpect(status().isOk())
                .andExpect(content().string(containsString("Messages from this address")));
    }

    @Test
    void csvHasTheWholeResult() throws Exception {
        mvc.perform(get("/search.csv?recipient=@some.org")).andExpect(status().isOk())
                .andExpect(header().string("Content-Type", containsString("text/csv")))
                .andExpect(content().string(allOf(containsString("id,message_id,sender"),
                        containsString("<01IRUD7SVA3Q9UN2D4@sesta.com>,adam@hosta.sesta.com,3,1998-01-15T10:31:05.18,"))));
    }

    @Test
    void sizeIsNamedInBlocksOnTheSearchPageTheMessagePageAndTheCsv() throws Exception {
        // The log's size field counts blocks of BLOCK_SIZE (1 KB by default), not bytes: the seed's message is 3.
        String search = mvc.perform(get("/search?recipient=user@some.org")).andExpect(status().isOk()).andReturn()
                .getResponse().getContentAsString();
        assertThat(search).containsPattern("<th scope=\"col\" class=\"num\"[^>]*>Size \\(blocks\\)</th>")
                .contains("<td class=\"num\">3</td>");
        mvc.perform(get("/messages/" + id)).andExpect(status().isOk())
                .andExpect(content().string(containsString(">3 blocks</dd>")));
        mvc.perform(get("/search.csv?recipient=@some.org")).andExpect(status().isOk())
                .andExpect(content().string(startsWith("id,message_id,sender,size_blocks,first_seen,")));
    }

    @Test
    void aFoldedEntryIsShownWithAllItsLinesAsLogged() throws Exception {
        // The seed is in the documentation's folded form: each entry spans lines, from its time stamp to the line
        // before a blank or prose. The raw text under each event showed only the first of them.
        List<String> seed;
        try (InputStream in = log()) {
            seed = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        String page = mvc.perform(get("/messages/" + id)).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        for (int[] entry : new int[][]{{11, 14}, {16, 20}, {24, 28}, {32, 36}, {40, 46}}) {
            String logged = String.join("\n", seed.subList(entry[0] - 1, entry[1]));
            assertThat(page).as("lines %d to %d", entry[0], entry[1])
                    .containsPattern("<span class=\"where\">seed.txt:" + entry[0] + "</span>\\s*<code class=\"rawline\">"
                            + Pattern.quote(HtmlUtils.htmlEscape(logged)) + "</code>");
        }
        // escaped, and without the prose after the last entry
        assertThat(page).contains("&lt;01IRUD7SVA3Q9UN2D4@sesta.com&gt;\n  dns;host.some.org")
                .doesNotContain("1. The message comes in");
    }

    @Test
    void messagePageShowsAttemptsReasonsAndRawLines() throws Exception {
        mvc.perform(get("/messages/" + id)).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("user@some.org"), containsString(">network<"),
                        containsString(">refused<"), containsString("host.some.org"),
                        containsString("TCP active open: Failed connect() Error: connection refused"),
                        containsString("seed.txt:40"), containsString("data-message-url=\"/api/messages/" + id))));
        mvc.perform(get("/messages/999999")).andExpect(status().isNotFound())
                .andExpect(content().string(allOf(containsString("404"), not(containsString("Exception")))));
    }

    @Test
    void dashboardFiguresThatCountLinkToTheSearchForWhatTheyCount() throws Exception {
        // The bounced figure linked to the messages first seen in the range (from, to), while it counts bounces by
        // their own time; the deferred figure to the Queue page, which counts the queued too. The recipients figure
        // had no link: its search is the range's hours alone.
        String page = mvc.perform(get("/")).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        assertThat(page).contains(
                "href=\"/search?from=1998-01-15T10:00:00&amp;to=1998-01-15T21:00:00\">1</a>",
                "href=\"/search?eventFrom=1998-01-15T10:00:00&amp;eventTo=1998-01-15T21:00:00\">1</a>",
                "href=\"/search?status=deferred\">0</a>",
                "href=\"/search?status=bounced&amp;eventFrom=1998-01-15T10:00:00&amp;eventTo=1998-01-15T21:00:00\">0</a>",
                "deferred now (<a href=\"/queue\">queue</a>)");
        assertThat(page).doesNotContain("status=bounced&amp;from=");
        mvc.perform(get("/search?from=1998-01-15T10:00:00&to=1998-01-15T21:00:00")).andExpect(status().isOk())
                .andExpect(content().string(containsString("&lt;01IRUD7SVA3Q9UN2D4@sesta.com&gt;")));
    }

    @Test
    void aSearchByEnqueueTimeNamesItAndKeepsIt() throws Exception {
        // What a Queue page age cell searches: the form has no field for the enqueue range, so the page names it.
        mvc.perform(get("/search?status=delivered&enqueuedFrom=1998-01-15T10:31:00&enqueuedTo=1998-01-15T10:32:00"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("&lt;01IRUD7SVA3Q9UN2D4@sesta.com&gt;")))
                .andExpect(content().string(containsString("<span>enqueued at or after 1998-01-15 10:31:00</span>")))
                .andExpect(content().string(containsString("<span>enqueued before 1998-01-15 10:32:00</span>")))
                .andExpect(content().string(containsString("name=\"enqueuedTo\" value=\"1998-01-15T10:32:00\"")));
        // a bar's hour, named as the table writes times (it read 1998-01-15T20:00 beside 1998-01-15 20:45:51)
        mvc.perform(get("/search?eventFrom=1998-01-15T20:00&eventTo=1998-01-15T21:00")).andExpect(status().isOk())
                .andExpect(content().string(containsString("<span>at or after 1998-01-15 20:00</span>")))
                .andExpect(content().string(containsString("<span>before 1998-01-15 21:00</span>")));
        // enqueued at 10:31:05.18: not before 10:31
        mvc.perform(get("/search?enqueuedTo=1998-01-15T10:31:05")).andExpect(status().isOk())
                .andExpect(content().string(containsString("<strong>0</strong>")));
        mvc.perform(get("/search?enqueuedFrom=1998-01-15T10:32&enqueuedTo=1998-01-15T10:31"))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(containsString("enqueuedFrom must be before enqueuedTo")));
    }

    @Test
    void queuePageRenders() throws Exception {
        mvc.perform(get("/queue")).andExpect(status().isOk())
                .andExpect(content().string(containsString("as of the newest log time")));
    }

    @Test
    void unknownPageIsAFriendly404WithoutAStackTrace() throws Exception {
        mvc.perform(get("/no/such/page").accept("text/html")).andExpect(status().isNotFound());
    }
}
