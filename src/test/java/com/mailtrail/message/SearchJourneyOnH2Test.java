package com.mailtrail.message;

import org.springframework.boot.test.context.SpringBootTest;

/** {@link SearchJourney} on H2, the default database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:search-journey;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/search-journey"})
class SearchJourneyOnH2Test extends SearchJourney {
}
