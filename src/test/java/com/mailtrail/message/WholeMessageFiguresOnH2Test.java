package com.mailtrail.message;

import org.springframework.boot.test.context.SpringBootTest;

/** {@link WholeMessageFiguresJourney} on H2, the default database. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:whole-message-figures;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/whole-message-figures"})
class WholeMessageFiguresOnH2Test extends WholeMessageFiguresJourney {
}
