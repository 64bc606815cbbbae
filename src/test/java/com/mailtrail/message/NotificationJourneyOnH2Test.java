package com.mailtrail.message;

import org.springframework.boot.test.context.SpringBootTest;

/** {@link NotificationJourney} on H2, the default database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:notification-journey;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/notification-journey"})
class NotificationJourneyOnH2Test extends NotificationJourney {
}
