package com.mailtrail.web;

import com.mailtrail.ingest.IngestEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Connections page filtered by a remote address, over real HTTP: that address's own figures, also when it is not
 * among the 20 busiest, and the recipients refused at SMTP from it (found by QA: it showed the day's totals and
 * "0 ... entries of" an address whose 22 recipients had been refused).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:connections-address;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/connections-address"})
class ConnectionsAddressPageTest {

    @RegisterExtension
    final LocalHttp http = new LocalHttp();

    @Autowired
    IngestEngine engine;

    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void importOnce() throws Exception {
        http.loadOnce("log_file", () -> com.mailtrail.dashboard.AddressFiguresTest.load(engine));
    }

    private String page(String path) {
        return http.ok(path).replaceAll("\\s+", " ");
    }

    @Test
    void filteredByAnAddressThePageGivesItsOwnFigures() throws Exception {
        String page = page("/connections?ip=203.0.113.66");
        assertThat(page).contains("<h2 id=\"address\">203.0.113.66</h2>")
                .contains("1 connection in, 1 out, 0 rejected (X), 0 failed before it was established (Y), "
                        + "0 authentication (U); 2 recipients refused at SMTP (J) from it");
        assertThat(page("/connections")).doesNotContain("id=\"address\"");
    }

    /** From a refused recipient's page to its client's figures: the attempt's remote address links there. */
    @Test
    void anAttemptsRemoteAddressLinksToItsConnections() throws Exception {
        long id = jdbc.sql("SELECT message_ref FROM recipient WHERE recipient = 'ann@example.org'").query(Long.class)
                .single();
        // (the link has a title after its href)
        assertThat(page("/messages/" + id)).containsPattern("WIN-45WTI8PY \\[<a href=\"/connections"
                + "\\?ip=203\\.0\\.113\\.66\"[^>]*>203\\.0\\.113\\.66</a>]");
        // and says it was refused, where it spoke of enqueues and delivery attempts that never were
        assertThat(page("/messages/" + id)).contains("Refused at SMTP: the MTA refused this mail before queuing it (J)")
                .doesNotContain("A delivery attempt belongs to");
    }
}
