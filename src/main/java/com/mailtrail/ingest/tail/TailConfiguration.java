package com.mailtrail.ingest.tail;

import com.mailtrail.ingest.H2Compaction;
import com.mailtrail.ingest.IngestEngine;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TailProperties.class)
class TailConfiguration {

    @Bean
    TailPoller tailPoller(IngestEngine engine, DataSource dataSource, TailProperties properties,
                          H2Compaction compaction) {
        return new TailPoller(engine, JdbcClient.create(dataSource), properties, compaction::afterImport);
    }
}
