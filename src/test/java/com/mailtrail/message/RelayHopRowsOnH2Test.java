package com.mailtrail.message;

import org.springframework.boot.test.context.SpringBootTest;

/** {@link RelayHopRowsJourney} on H2, the default database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:relay-hop-rows;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/relay-hop-rows"})
class RelayHopRowsOnH2Test extends RelayHopRowsJourney {
}
