package com.mailtrail.message;

import com.mailtrail.ingest.TestDatabase;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link RecipientFocusJourney} on PostgreSQL, through the postgres profile as a site runs it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mailtrail.ingest.upload-dir=target/test-uploads/recipient-focus-postgres"})
@ActiveProfiles("postgres")
class RecipientFocusOnPostgresTest extends RecipientFocusJourney {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        String url = TestDatabase.emptyPostgresUrl();
        registry.add("MAILTRAIL_DB_URL", () -> url);
        registry.add("MAILTRAIL_DB_USER", () -> "postgres");
        registry.add("MAILTRAIL_DB_PASSWORD", () -> "postgres");
    }
}
