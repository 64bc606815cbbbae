package com.mailtrail.ingest;

import db.migration.V13__relay_hand_offs_in_hourly_counts;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The migrations that need the relay channels (V13, V15) get them as the Flyway placeholder relaychannels. Written as
 * a YAML list, mailtrail.ingest.relay-channels is no single property (relay-channels[0], [1]...): a placeholder taken
 * from ${mailtrail.ingest.relay-channels:} came out empty, and the migrations used the default channels while the
 * engine used the configured ones.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "spring.datasource.url=jdbc:h2:mem:relay-placeholder;DB_CLOSE_DELAY=-1",
        "spring.config.additional-location=classpath:relay-channels-list.yml"})
class RelayChannelsPlaceholderTest {

    @Autowired
    Flyway flyway;

    @Autowired
    IngestProperties properties;

    @Test
    void aYamlListOfRelayChannelsReachesTheMigrations() {
        assertThat(properties.relayChannels()).containsExactlyInAnyOrder("conversion", "mtaconv");
        String placeholder = flyway.getConfiguration().getPlaceholders()
                .get(V13__relay_hand_offs_in_hourly_counts.PLACEHOLDER);
        assertThat(placeholder).isNotBlank();
        Set<String> channels = Arrays.stream(placeholder.split(",")).map(String::strip).collect(Collectors.toSet());
        assertThat(channels).isEqualTo(properties.relayChannels());
    }
}
