package com.mailtrail.message;

import org.springframework.boot.test.context.SpringBootTest;

/** {@link StoredHandOffPageJourney} on H2, the default database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:stored-hand-off-page;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.relay-channels=process",
        "mailtrail.ingest.upload-dir=target/test-uploads/stored-hand-off-page"})
class StoredHandOffPageOnH2Test extends StoredHandOffPageJourney {
}
