package com.mailtrail.message;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import javax.sql.DataSource;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An administrator looks up the documentation's message by its Message-ID, over real HTTP: finds it, opens it, sees
 * three deferrals and the delivery, and shows the raw line of an attempt.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:journey;DB_CLOSE_DELAY=-1"})
@AutoConfigureRestTestClient
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MessageJourneyTest {

    @Autowired
    RestTestClient http;

    @Autowired
    DataSource dataSource;

    long fileId;

    @BeforeAll
    void importSeed() {
        fileId = TestLogs.importResource(dataSource, TestLogs.SEED).fileId();
    }

    private String get(String uri, Object... vars) {
        return http.get().uri(uri, vars).accept(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
    }

    @Test
    void findsTheSeedByMessageIdAndShowsThreeDeferralsThenTheDelivery() {
        String found = get("/api/messages?messageId={id}", "01IRUD7SVA3Q9UN2D4@sesta.com");
        assertThat((Integer) JsonPath.read(found, "$.total")).isEqualTo(1);
        assertThat((String) JsonPath.read(found, "$.items[0].messageId")).isEqualTo("<01IRUD7SVA3Q9UN2D4@sesta.com>");
        assertThat((String) JsonPath.read(found, "$.items[0].sender")).isEqualTo("adam@hosta.sesta.com");
        assertThat((String) JsonPath.read(found, "$.items[0].status")).isEqualTo("delivered");
        assertThat((String) JsonPath.read(found, "$.items[0].firstSeen")).isEqualTo("1998-01-15T10:31:05.18");
        Number id = JsonPath.read(found, "$.items[0].id");

        String message = get("/api/messages/{id}", id);
        assertThat((Boolean) JsonPath.read(message, "$.approximate")).isFalse();
        assertThat((String) JsonPath.read(message, "$.grouping")).isEqualTo("message-id");
        assertThat((List<?>) JsonPath.read(message, "$.recipients")).hasSize(1);
        assertThat((String) JsonPath.read(message, "$.recipients[0].recipient")).isEqualTo("user@some.org");
        assertThat((String) JsonPath.read(message, "$.recipients[0].status")).isEqualTo("delivered");
        assertThat((Integer) JsonPath.read(message, "$.recipients[0].deferrals")).isEqualTo(3);
        assertThat((Integer) JsonPath.read(message, "$.recipients[0].attemptsCount")).isEqualTo(4);
        assertThat((String) JsonPath.read(message, "$.recipients[0].enqueued")).isEqualTo("1998-01-15T10:31:05.18");
        assertThat((String) JsonPath.read(message, "$.recipients[0].finalTime")).isEqualTo("1998-01-15T20:45:51.55");

        List<String> codes = JsonPath.read(message, "$.recipients[0].attempts[*].code");
        assertThat(codes).containsExactly("Q", "Q", "Q", "D");
        List<String> categories = JsonPath.read(message, "$.recipients[0].attempts[*].category");
        assertThat(categories).containsExactly("network", "network", "refused", null);
        List<String> diagnostics = JsonPath.read(message, "$.recipients[0].attempts[*].diagnostic");
        assertThat(diagnostics.get(0)).contains("no route to host");
        assertThat(diagnostics.get(2)).contains("connection refused");
        assertThat((String) JsonPath.read(message, "$.recipients[0].attempts[3].outcome")).isEqualTo("delivered");
        assertThat((String) JsonPath.read(message, "$.recipients[0].attempts[3].remoteHost")).isEqualTo("host.some.org");
        assertThat((Integer) JsonPath.read(message, "$.recipients[0].attempts[3].smtpCode")).isEqualTo(250);
        assertThat((Double) JsonPath.read(message, "$.recipients[0].attempts[0].gapSeconds")).isEqualTo(5.19);

        assertThat((List<?>) JsonPath.read(message, "$.recipients[0].legs")).hasSize(1);
        assertThat((String) JsonPath.read(message, "$.recipients[0].legs[0].from")).isEqualTo("tcp_internal");
        assertThat((String) JsonPath.read(message, "$.recipients[0].legs[0].to")).isEqualTo("tcp_local");
        assertThat((String) JsonPath.read(message, "$.files[0].name")).isEqualTo("seed-multiple-delivery-attempts.txt");

        // the raw line of the first deferral, by both addresses
        Number file = JsonPath.read(message, "$.recipients[0].attempts[0].fileId");
        Number line = JsonPath.read(message, "$.recipients[0].attempts[0].line");
        String raw = get("/api/raw?file={file}&line={line}", file, line);
        assertThat((String) JsonPath.read(raw, "$.text")).startsWith("15-Jan-1998 10:31:10.37 tcp_local");
        assertThat(get("/api/files/{file}/lines/{line}", file, line)).isEqualTo(raw);
    }

    @Test
    void aNotificationsMessageIdAsLoggedFindsTheNotification() {
        // The documentation's bounce notification: its message id field is <new>,<original>, which an
        // administrator copies from the line whole; that found nothing, neither in the API nor in the header's box
        TestLogs.importText(dataSource, "notification.log", """
                19-JAN-1998 20:49:33 tcp_local    process      E 1  rfc822;adam@sesta.com adam@sesta.com \
                imta/queue/process/ZZ01ISKP0S0LVQ94DTZB.00 <01ISKP22MW8894DTAS@SESTA.COM>,<01ISKP0RYMAS94DU0K@SESTA.COM>
                """);
        String logged = "<01ISKP22MW8894DTAS@SESTA.COM>,<01ISKP0RYMAS94DU0K@SESTA.COM>";

        String found = get("/api/messages?messageId={id}", logged);
        assertThat((Integer) JsonPath.read(found, "$.total")).isEqualTo(1);
        assertThat((String) JsonPath.read(found, "$.items[0].messageId")).isEqualTo("<01ISKP22MW8894DTAS@SESTA.COM>");
        Number id = JsonPath.read(found, "$.items[0].id");
        assertThat((String) JsonPath.read(get("/api/messages/{id}", id), "$.originalMessageId"))
                .isEqualTo("<01ISKP0RYMAS94DU0K@SESTA.COM>");

        http.get().uri("/search?q={q}", logged).exchange()
                .expectStatus().isFound()
                .expectHeader().value("Location", l -> assertThat(l).endsWith("/messages/" + id));
    }

    @Test
    void anAddressAsTheLogOrAHeaderWritesItFindsItsMessages() {
        // The original recipient as its log field reads (rfc822;user@some.org) and an address in angle brackets (an
        // SMTP reply, a header) were searched as they were typed and found nothing
        for (String recipient : List.of("rfc822;user@some.org", "<user@some.org>", "RFC822;user@some.org")) {
            String found = get("/api/messages?recipient={r}", recipient);
            assertThat((Integer) JsonPath.read(found, "$.total")).as(recipient).isEqualTo(1);
            assertThat((String) JsonPath.read(found, "$.items[0].messageId")).isEqualTo("<01IRUD7SVA3Q9UN2D4@sesta.com>");
        }
        assertThat((Integer) JsonPath.read(get("/api/messages?sender={s}", "<adam@hosta.sesta.com>"), "$.total"))
                .isEqualTo(1);
        for (String q : List.of("rfc822;user@some.org", "<user@some.org>")) {
            String page = http.get().uri("/search?q={q}", q).exchange().expectStatus().isOk()
                    .expectBody(String.class).returnResult().getResponseBody();
            assertThat(page).as(q).contains("Messages to this address", "&lt;01IRUD7SVA3Q9UN2D4@sesta.com&gt;");
        }
    }

    @Test
    void unknownMessageIsA404WithAnErrorBody() {
        http.get().uri("/api/messages/{id}", 999_999_999L).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.error").isEqualTo("no message with id 999999999");
    }

    @Test
    void badParameterIsA400WithoutAStackTrace() {
        String body = http.get().uri("/api/messages?status=lost").exchange()
                .expectStatus().isBadRequest()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat((String) JsonPath.read(body, "$.error")).startsWith("status must be one of");
        assertThat(body).doesNotContain("Exception").doesNotContain("at com.");
    }

    @Test
    void lineBeyondTheFileIsA404() {
        http.get().uri("/api/raw?file={file}&line={line}", fileId, 1_000_000).exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.error").isEqualTo("log file " + fileId + " has no stored line 1000000");
    }
}
