package com.mailtrail.ingest;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import javax.sql.DataSource;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({IngestProperties.class, RetentionProperties.class})
class IngestConfiguration {

    // After Flyway: the engine reads the stored message keys when it starts.
    @Bean
    @DependsOnDatabaseInitialization
    IngestEngine ingestEngine(DataSource dataSource, IngestProperties properties) {
        return new IngestEngine(dataSource, properties.relayChannels(), properties.batchEntries());
    }

    @Bean
    StopReads stopReads(IngestEngine engine) {
        return new StopReads(engine);
    }
}
