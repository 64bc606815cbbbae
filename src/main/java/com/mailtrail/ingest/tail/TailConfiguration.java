package com.mailtrail.ingest.tail;

import com.mailtrail.ingest.H2Compaction;
import com.mailtrail.ingest.IngestEngine;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TailProperties.class)
class TailConfiguration {

    /**
     * Only in the server: the command-line import starts the same application without a web server, and there it ended
     * the server's followed directories as "no longer in mailtrail.tail.paths" (on PostgreSQL while the server went on
     * following them), or followed them itself when the variable was set where it ran.
     */
    @Bean
    @ConditionalOnWebApplication
    TailPoller tailPoller(IngestEngine engine, DataSource dataSource, TailProperties properties,
                          H2Compaction compaction) {
        return new TailPoller(engine, JdbcClient.create(dataSource), properties, compaction::afterImport);
    }
}
