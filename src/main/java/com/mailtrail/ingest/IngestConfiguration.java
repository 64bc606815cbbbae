package com.mailtrail.ingest;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;
import java.util.HashMap;
import java.util.Map;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({IngestProperties.class, RetentionProperties.class})
class IngestConfiguration {

    // After Flyway: the engine reads the stored message keys when it starts.
    @Bean
    @DependsOnDatabaseInitialization
    IngestEngine ingestEngine(DataSource dataSource, IngestProperties properties) {
        return new IngestEngine(dataSource, properties.relayChannels(), properties.batchEntries());
    }

    /**
     * The relay channels the engine uses, for the migrations that need them (V13, V15) as the Flyway placeholder
     * relaychannels: from the bound properties, so that a YAML list (relay-channels[0], [1]...) reaches them too, where
     * ${mailtrail.ingest.relay-channels:} in application.properties resolved to nothing and they took the defaults.
     */
    @Bean
    FlywayConfigurationCustomizer relayChannelsPlaceholder(IngestProperties properties) {
        return configuration -> {
            Map<String, String> placeholders = new HashMap<>(configuration.getPlaceholders());
            placeholders.put("relaychannels", String.join(",", properties.relayChannels()));
            configuration.placeholders(placeholders);
        };
    }

    @Bean
    MigrationCompaction migrationCompaction(IngestProperties properties) {
        return new MigrationCompaction(properties.compactAfter() > 0, properties.compactWait());
    }

    @Bean
    StopReads stopReads(IngestEngine engine) {
        return new StopReads(engine);
    }
}
