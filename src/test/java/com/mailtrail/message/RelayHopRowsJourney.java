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
 * A recipient through conversion logs the relay channel's D (its hand-off) and then its delivery: the message page
 * said "Attempts 1" beside two "delivered" rows (found in review). The hop's row and the API's attempt now say it was
 * handed on, by the same rule as the count; a Q on the relay channel stays a failed attempt. Over real HTTP on H2 and
 * PostgreSQL (the subclasses).
 */
@AutoConfigureRestTestClient
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RelayHopRowsJourney {

    static final String LOG = """
            02-Mar-2026 09:00:00.00 tcp_local    conversion   E 9 amy@siroe.test rfc822;bert@sesta.test bert@sesta.test /q/conversion/ZZa1.00 <one@siroe.test>
            02-Mar-2026 09:00:01.00 conversion   ims-ms       E 9 amy@siroe.test rfc822;bert@sesta.test bert@ims-ms-daemon /q/ims-ms/ZZa2.00 <one@siroe.test>
            02-Mar-2026 09:00:01.10 conversion                D 9 amy@siroe.test rfc822;bert@sesta.test bert@sesta.test /q/conversion/ZZa1.00 <one@siroe.test>
            02-Mar-2026 09:00:02.00 ims-ms                    D 9 amy@siroe.test rfc822;bert@sesta.test bert@ims-ms-daemon /q/ims-ms/ZZa2.00 <one@siroe.test>
            02-Mar-2026 09:30:00.00 tcp_local    conversion   E 9 amy@siroe.test rfc822;dora@sesta.test dora@sesta.test /q/conversion/ZZc1.00 <three@siroe.test>
            02-Mar-2026 09:30:01.00 conversion                Q 9 amy@siroe.test rfc822;dora@sesta.test dora@sesta.test /q/conversion/ZZc1.00 <three@siroe.test> Temporary <b>conversion</b> failure
            02-Mar-2026 09:40:01.00 conversion   ims-ms       E 9 amy@siroe.test rfc822;dora@sesta.test dora@ims-ms-daemon /q/ims-ms/ZZc2.00 <three@siroe.test>
            02-Mar-2026 09:40:01.10 conversion                D 9 amy@siroe.test rfc822;dora@sesta.test dora@sesta.test /q/conversion/ZZc1.00 <three@siroe.test>
            02-Mar-2026 09:40:02.00 ims-ms                    D 9 amy@siroe.test rfc822;dora@sesta.test dora@ims-ms-daemon /q/ims-ms/ZZc2.00 <three@siroe.test>
            """;

    @Autowired
    RestTestClient http;

    @Autowired
    DataSource dataSource;

    @BeforeAll
    void load() {
        TestLogs.importText(dataSource, "relay.log", LOG);
    }

    private String get(String uri, Object... vars) {
        return http.get().uri(uri, vars).exchange().expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
    }

    private Number id(String messageId) {
        return JsonPath.read(get("/api/messages?messageId={id}", messageId), "$.items[0].id");
    }

    @Test
    void theApiMarksTheRelayChannelsDequeueAsAHandOff() {
        String json = get("/api/messages/{id}", id("<one@siroe.test>"));
        assertThat((Integer) JsonPath.read(json, "$.recipients[0].attemptsCount")).isEqualTo(1);
        assertThat((List<String>) JsonPath.read(json, "$.recipients[0].attempts[*].channel"))
                .containsExactly("conversion", "ims-ms");
        // outcome stays what the log says, for clients that read it
        assertThat((List<String>) JsonPath.read(json, "$.recipients[0].attempts[*].outcome"))
                .containsExactly("delivered", "delivered");
        assertThat((List<Boolean>) JsonPath.read(json, "$.recipients[0].attempts[*].handOff"))
                .containsExactly(true, false);
        assertThat((List<Object>) JsonPath.read(json, "$.recipients[0].attempts[*].handedOnTo"))
                .containsExactly("ims-ms", null);
    }

    @Test
    void aDeferralOnTheRelayChannelIsNoHandOff() {
        String json = get("/api/messages/{id}", id("<three@siroe.test>"));
        assertThat((Integer) JsonPath.read(json, "$.recipients[0].attemptsCount")).isEqualTo(2);
        assertThat((List<String>) JsonPath.read(json, "$.recipients[0].attempts[*].code"))
                .containsExactly("Q", "D", "D");
        assertThat((List<Boolean>) JsonPath.read(json, "$.recipients[0].attempts[*].handOff"))
                .containsExactly(false, true, false);
    }

    @Test
    void thePageShowsTheHopAsHandedOnNotDelivered() {
        String page = get("/messages/{id}", id("<three@siroe.test>")).replaceAll("\\s+", " ");
        assertThat(page).containsPattern("<tr class=\"attempt outcome-deferred\">.*?"
                + "<span class=\"badge outcome-deferred\">deferred</span>");
        assertThat(page).containsPattern("<tr class=\"attempt hop\">.*?<span class=\"badge hop\" title=\"[^\"]+\">"
                + "handed on to ims-ms</span> <span class=\"mono\">D</span></td> <td class=\"mono\">conversion</td>");
        // one delivered row: the delivery itself
        assertThat(page.split("<span class=\"badge outcome-delivered\">delivered</span>", -1)).hasSize(2);
        // the diagnostic stays text
        assertThat(page).contains("Temporary &lt;b&gt;conversion&lt;/b&gt; failure").doesNotContain("<b>conversion");
    }
}
