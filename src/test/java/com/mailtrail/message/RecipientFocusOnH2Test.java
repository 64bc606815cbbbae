package com.mailtrail.message;

import org.springframework.boot.test.context.SpringBootTest;

/** {@link RecipientFocusJourney} on H2, the default database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:recipient-focus;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/recipient-focus"})
class RecipientFocusOnH2Test extends RecipientFocusJourney {
}
