package com.mailtrail.web;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A '+' in log text (a sub-address such as john+news@shop.example, or a domain an attacker wrote as a+b.example),
 * over real HTTP: the links the server builds from it (the dashboard's bars, the Queue page's rows, the search's
 * pager) find what they count. They left the '+' as it was, and the server read it back as a space: a click on the
 * a+b.example bar searched for "a b.example" and listed nothing.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:plus-in-links;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/plus-in-links"})
class PlusInLinksTest {

    private static final String LOG = """
            02-Mar-2026 10:00:00.00 tcp_local    tcp_local    E 1 john+news@shop.example rfc822;ann+x@a+b.example ann+x@a+b.example /q/tcp_local/ZZp1.00 <p1@shop.example>
            02-Mar-2026 10:05:00.00 tcp_local                 Q 1 john+news@shop.example rfc822;ann+x@a+b.example ann+x@a+b.example /q/tcp_local/ZZp1.00 <p1@shop.example> smtp;451 4.7.1 greylisted, try again later
            02-Mar-2026 10:10:00.00 tcp_local    tcp_local    E 1 john+news@shop.example rfc822;bo+y@a+b.example bo+y@a+b.example /q/tcp_local/ZZp2.00 <p2@shop.example>
            02-Mar-2026 10:15:00.00 tcp_local                 Q 1 john+news@shop.example rfc822;bo+y@a+b.example bo+y@a+b.example /q/tcp_local/ZZp2.00 <p2@shop.example> smtp;451 4.7.1 greylisted, try again later
            """;

    @RegisterExtension
    final LocalHttp http = new LocalHttp();

    @BeforeEach
    void importOnce() throws Exception {
        http.importOnce("plus.log", LOG);
    }

    /** How many messages a search page lists. */
    private static long listed(String page) {
        return Pattern.compile("href=\"/messages/(\\d+)[?\"]").matcher(page).results().map(m -> m.group(1)).distinct()
                .count();
    }

    @Test
    void theDomainBarOfADomainWithAPlusListsItsMessages() throws Exception {
        JsonNode chart = http.json("/api/charts/domains");
        assertThat(chart.get("labels").get(0).asText()).isEqualTo("a+b.example");
        String link = chart.get("series").get(0).get("links").get(0).asText();

        String page = http.ok(link);
        assertThat(page).contains("value=\"a+b.example\"");
        assertThat(listed(page)).as(link).isEqualTo(2);
    }

    @Test
    void theQueueRowOfADomainWithAPlusListsItsMessages() throws Exception {
        Matcher row = Pattern.compile("<a href=\"([^\"]+)\">a\\+b\\.example</a>").matcher(http.ok("/queue"));
        assertThat(row.find()).isTrue();
        String link = row.group(1).replace("&amp;", "&");

        assertThat(listed(http.ok(link))).as(link).isEqualTo(2);
    }

    @Test
    void theNextPageOfASearchForASubAddressListsTheRest() throws Exception {
        String sender = URLEncoder.encode("john+news@shop.example", StandardCharsets.UTF_8);
        String first = http.ok("/search?size=1&sender=" + sender);
        assertThat(listed(first)).isEqualTo(1);
        Matcher next = Pattern.compile("href=\"([^\"]+)\"[^>]*rel=\"next\"").matcher(first);
        assertThat(next.find()).as("a link to the next page").isTrue();
        String link = next.group(1).replace("&amp;", "&");

        assertThat(listed(http.ok(link))).as(link).isEqualTo(1);
    }
}
