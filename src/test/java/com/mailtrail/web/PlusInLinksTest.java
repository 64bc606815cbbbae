package com.mailtrail.web;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

    @LocalServerPort
    int port;

    @Autowired
    IngestEngine engine;

    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void importOnce() throws Exception {
        if (jdbc.sql("SELECT COUNT(*) FROM message").query(Long.class).single() == 0) {
            engine.ingest(engine.createSource("test", "plus"), "plus.log",
                    new ByteArrayInputStream(LOG.getBytes(StandardCharsets.US_ASCII)), LogOptions.auto(), new Progress());
        }
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }

    /** How many messages a search page lists. */
    private static long listed(String page) {
        return Pattern.compile("href=\"/messages/(\\d+)\"").matcher(page).results().map(m -> m.group(1)).distinct()
                .count();
    }

    @Test
    void theDomainBarOfADomainWithAPlusListsItsMessages() throws Exception {
        JsonNode chart = JsonMapper.builder().build().readTree(get("/api/charts/domains"));
        assertThat(chart.get("labels").get(0).asText()).isEqualTo("a+b.example");
        String link = chart.get("series").get(0).get("links").get(0).asText();

        String page = get(link);
        assertThat(page).contains("value=\"a+b.example\"");
        assertThat(listed(page)).as(link).isEqualTo(2);
    }

    @Test
    void theQueueRowOfADomainWithAPlusListsItsMessages() throws Exception {
        Matcher row = Pattern.compile("<a href=\"([^\"]+)\">a\\+b\\.example</a>").matcher(get("/queue"));
        assertThat(row.find()).isTrue();
        String link = row.group(1).replace("&amp;", "&");

        assertThat(listed(get(link))).as(link).isEqualTo(2);
    }

    @Test
    void theNextPageOfASearchForASubAddressListsTheRest() throws Exception {
        String sender = URLEncoder.encode("john+news@shop.example", StandardCharsets.UTF_8);
        String first = get("/search?size=1&sender=" + sender);
        assertThat(listed(first)).isEqualTo(1);
        Matcher next = Pattern.compile("href=\"([^\"]+)\"[^>]*rel=\"next\"").matcher(first);
        assertThat(next.find()).as("a link to the next page").isTrue();
        String link = next.group(1).replace("&amp;", "&");

        assertThat(listed(get(link))).as(link).isEqualTo(1);
    }
}
