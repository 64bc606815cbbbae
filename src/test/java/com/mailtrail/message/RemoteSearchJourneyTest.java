package com.mailtrail.message;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.client.RestTestClient;
import org.springframework.web.util.HtmlUtils;

import javax.sql.DataSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The search by remote system over real HTTP: the API, the search form, the CSV, a malformed value, and the message
 * page's link from a remote server to the search (logs/remote.log; the queries themselves on both databases are
 * RemoteSearchTest's).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:remote-search-journey;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/remote-search-journey"})
@AutoConfigureRestTestClient
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteSearchJourneyTest {

    @Autowired
    RestTestClient http;

    @Autowired
    DataSource dataSource;

    @BeforeAll
    void load() {
        TestLogs.importResource(dataSource, "/logs/remote.log");
    }

    private String get(String uri, Object... vars) {
        return http.get().uri(uri, vars).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
    }

    @Test
    void theApiFindsMessagesByServerAndClientWithTheirExactTotals() {
        String found = get("/api/messages?remote={r}&outcome=deferred&size=1", ".bigisp.example");
        assertThat((Integer) JsonPath.read(found, "$.total")).isEqualTo(2);
        assertThat((Integer) JsonPath.read(found, "$.recipients")).isEqualTo(2);
        assertThat((Integer) JsonPath.read(found, "$.outcomes")).isEqualTo(2);
        assertThat((List<String>) JsonPath.read(found, "$.items[*].messageId")).containsExactly("<r2@test>");

        String from = get("/api/messages?client={c}&from=2026-03-02&to=2026-03-02", "[203.0.113.5]");
        assertThat((Integer) JsonPath.read(from, "$.total")).isEqualTo(1);
        assertThat((List<String>) JsonPath.read(from, "$.items[*].messageId")).containsExactly("<r1@test>");
    }

    @Test
    void aMalformedValueIsA400SayingWhatIsExpected() {
        for (String uri : List.of("/api/messages?remote=192.0.2", "/api/messages?client=mx*.example")) {
            String body = http.get().uri(uri).exchange().expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith("application/json")
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat((String) JsonPath.read(body, "$.error")).as(uri).startsWith(uri.contains("remote") ? "remote"
                    : "client");
        }
        assertThat((String) JsonPath.read(http.get().uri("/api/messages?remote=192.0.2").exchange()
                .expectBody(String.class).returnResult().getResponseBody(), "$.error"))
                .isEqualTo("remote: '192.0.2' is not an IPv4 address (four numbers 0 to 255, such as 192.0.2.7); a "
                        + "partial address is not searched");
        String page = http.get().uri("/search?client={c}", "<script>").exchange().expectStatus().isBadRequest()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("client must be an IP address").doesNotContain("<script>");
    }

    @Test
    void theFormKeepsTheSearchAndItsCsvAndPagesCarryIt() {
        String page = get("/search?remote={r}&client={c}", "192.0.2.7", "host.spammer.example");
        assertThat(page).contains("name=\"remote\" value=\"192.0.2.7\"", "name=\"client\" value=\"host.spammer.example\"",
                "<strong>1</strong>", HtmlUtils.htmlEscape("<r1@test>"))
                .contains("/search.csv?remote=192.0.2.7&amp;client=host.spammer.example");
        String csv = get("/search.csv?remote={r}", "mx1.bigisp.example");
        assertThat(csv.lines()).hasSize(4);
        assertThat(csv).contains("<r1@test>", "<r2@test>", "<r4@test>");
        String paged = get("/search?remote={r}&size=1", ".bigisp.example");
        assertThat(paged).contains("remote=.bigisp.example").contains("page=1");
    }

    @Test
    void theConnectionsPageLinksAnAddressToTheMessagesRefusedFromIt() {
        // a refusal at SMTP (J) logs the client it refused as its remote system
        String page = get("/connections?ip={ip}", "203.0.113.66");
        java.util.regex.Matcher link = java.util.regex.Pattern.compile("href=\"(/search\\?remote=203\\.0\\.113\\.66[^\"]*)\"")
                .matcher(page);
        assertThat(link.find()).as(page).isTrue();
        String search = HtmlUtils.htmlUnescape(link.group(1));
        assertThat(search).contains("outcome=rejected", "eventFrom=", "eventTo=");
        String found = get("/api" + search.replace("/search", "/messages"));
        assertThat((Integer) JsonPath.read(found, "$.total")).isEqualTo(1);
        assertThat((Integer) JsonPath.read(found, "$.recipients")).isEqualTo(1);
        assertThat((List<String>) JsonPath.read(get(search.replace("/search", "/api/messages")),
                "$.items[*].sender")).containsExactly("spam@spammer.example");
    }

    @Test
    void theMessagePageLinksARemoteServerToItsSearch() {
        long id = JdbcClient.create(dataSource).sql("SELECT id FROM message WHERE message_id = '<r1@test>'")
                .query(Long.class).single();
        String page = get("/messages/{id}", id);
        assertThat(page).contains("href=\"/connections?ip=192.0.2.8\"", "href=\"/search?remote=192.0.2.8\"",
                "href=\"/search?remote=192.0.2.7\"");
        // the link's search lists this message
        assertThat((List<String>) JsonPath.read(get("/api/messages?remote=192.0.2.8"), "$.items[*].messageId"))
                .containsExactly("<r1@test>");
    }

    @Test
    void theMessagePageLinksTheClientItCameFromToItsSearch() {
        long id = JdbcClient.create(dataSource).sql("SELECT id FROM message WHERE message_id = '<r1@test>'")
                .query(Long.class).single();
        // spamhelo (host.spammer.example [203.0.113.5]): the reverse name, and the address linked
        String page = get("/messages/{id}", id);
        assertThat(page).contains("host.spammer.example [<a href=\"/connections?ip=203.0.113.5\"",
                "href=\"/search?client=203.0.113.5\"");
        String api = get("/api/messages/{id}", id);
        assertThat((List<String>) JsonPath.read(api, "$.recipients[*].legs[0].clientIp"))
                .containsExactly("203.0.113.5", "203.0.113.5");
        assertThat((List<String>) JsonPath.read(api, "$.recipients[*].legs[0].clientHost"))
                .containsExactly("host.spammer.example", "host.spammer.example");
        // the link's search lists this message
        assertThat((List<String>) JsonPath.read(get("/api/messages?client=203.0.113.5"), "$.items[*].messageId"))
                .containsExactly("<r1@test>");
    }
}
