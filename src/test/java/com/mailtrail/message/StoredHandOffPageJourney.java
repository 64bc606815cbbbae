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
 * The message page and its API read the hand-off stored on each row (attempt.hand_off, recipient.last_hand_off), as the
 * search and the dashboard do, rather than deciding it again by the relay channels configured when the page is read.
 * Here the log was stored with conversion a relay channel (TestLogs imports with the defaults) and the application
 * now runs with {@code mailtrail.ingest.relay-channels=process}: the search's {@code outcome=handoff} finds the hop
 * through conversion (its stored flag), and so must the page, where the rule applied at read time said "delivered"
 * beside a count of one attempt. Over real HTTP on H2 and PostgreSQL (the subclasses).
 */
@AutoConfigureRestTestClient
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoredHandOffPageJourney {

    @Autowired
    RestTestClient http;

    @Autowired
    DataSource dataSource;

    @BeforeAll
    void load() {
        TestLogs.importText(dataSource, "relay.log", RelayHopRowsJourney.LOG);
    }

    private String get(String uri, Object... vars) {
        return http.get().uri(uri, vars).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
    }

    private Number id(String messageId) {
        return JsonPath.read(get("/api/messages?messageId={id}", messageId), "$.items[0].id");
    }

    @Test
    void theSearchFindsTheStoredHandOffsWhateverTheChannelsNow() {
        String json = get("/api/messages?outcome=handoff&channel=conversion");
        assertThat((List<String>) JsonPath.read(json, "$.items[*].messageId"))
                .containsExactlyInAnyOrder("<one@siroe.test>", "<three@siroe.test>");
        assertThat((Integer) JsonPath.read(json, "$.outcomes")).isEqualTo(2);
    }

    @Test
    void theApiMarksTheRowsTheSearchFindsAsHandOffs() {
        String json = get("/api/messages/{id}", id("<one@siroe.test>"));
        assertThat((Integer) JsonPath.read(json, "$.recipients[0].attemptsCount")).isEqualTo(1);
        assertThat((List<Boolean>) JsonPath.read(json, "$.recipients[0].attempts[*].handOff"))
                .containsExactly(true, false);
        assertThat((List<Object>) JsonPath.read(json, "$.recipients[0].attempts[*].handedOnTo"))
                .containsExactly("ims-ms", null);

        String deferredFirst = get("/api/messages/{id}", id("<three@siroe.test>"));
        assertThat((Integer) JsonPath.read(deferredFirst, "$.recipients[0].attemptsCount")).isEqualTo(2);
        assertThat((List<Boolean>) JsonPath.read(deferredFirst, "$.recipients[0].attempts[*].handOff"))
                .containsExactly(false, true, false);
    }

    @Test
    void thePageShowsTheStoredHandOffAsHandedOn() {
        String page = get("/messages/{id}", id("<one@siroe.test>")).replaceAll("\\s+", " ");
        assertThat(page).containsPattern("<tr class=\"attempt hop\">.*?<span class=\"badge hop\" title=\"[^\"]+\">"
                + "handed on to ims-ms</span> <span class=\"mono\">D</span></td> <td class=\"mono\">conversion</td>");
        assertThat(page.split("<span class=\"badge outcome-delivered\">delivered</span>", -1)).hasSize(2);
    }
}
