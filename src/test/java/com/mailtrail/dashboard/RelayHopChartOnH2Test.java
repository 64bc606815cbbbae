package com.mailtrail.dashboard;

import org.springframework.boot.test.context.SpringBootTest;

/** {@link RelayHopChartJourney} on H2, the default database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:relay-hop-chart;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/relay-hop-chart"})
class RelayHopChartOnH2Test extends RelayHopChartJourney {
}
