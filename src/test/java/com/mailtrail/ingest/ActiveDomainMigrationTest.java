package com.mailtrail.ingest;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database written before V4 gets the active domains of its recipients, by the rule the write path follows
 * (MessageStore.activeDomain): a search by domain then finds the list members and aliases stored before too.
 */
class ActiveDomainMigrationTest {

    /** The PostgreSQL databases' pools closed and the databases dropped, test by test. */
    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }


    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void recipientsStoredBeforeGetTheirActiveDomain(String database) {
        DataSource ds = TestDatabase.empty(database);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").target("3").load().migrate();
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        String[][] rows = {
                {"engineering@example.com", "vcosta@ironbridge-consulting.example"}, // a list member elsewhere
                {"bert@sesta.com", "bert@ims-ms-daemon"}, // a local delivery: a channel, not a domain
                {"info@example.com", "sales@example.com"}, // an alias in the same domain
                {"ann@example.org", null}, // delivered to the address it was sent to
                {"odd@example.net", "weird@"}, // no domain at all
        };
        for (int i = 0; i < rows.length; i++) {
            String address = rows[i][0];
            jdbc.update("INSERT INTO recipient (id, message_ref, recipient, original_recipient, address_search, "
                            + "active_search, address_code, domain, status, attempts, deferrals, search_bucket) "
                            + "VALUES (?, 1, ?, ?, ?, ?, 0, ?, 'delivered', 1, 0, 0)", i + 1,
                    rows[i][1] == null ? address : rows[i][1], address, address, rows[i][1],
                    MessageStore.domain(address));
        }

        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();

        Map<String, String> activeDomains = jdbc.queryForList("SELECT address_search, active_domain FROM recipient")
                .stream().filter(r -> r.get("active_domain") != null).collect(Collectors.toMap(
                        r -> (String) r.get("address_search"), r -> (String) r.get("active_domain")));
        assertThat(activeDomains).containsExactly(Map.entry("engineering@example.com",
                "ironbridge-consulting.example"));
        for (String[] row : rows) {
            assertThat(MessageStore.activeDomain(row[1], MessageStore.domain(row[0])))
                    .isEqualTo(activeDomains.get(row[0]));
        }
    }
}
