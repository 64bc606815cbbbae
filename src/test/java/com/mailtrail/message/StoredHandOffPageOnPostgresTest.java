package com.mailtrail.message;

import com.mailtrail.ingest.TestDatabase;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link StoredHandOffPageJourney} on PostgreSQL, through the postgres profile as a site runs it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "mailtrail.ingest.relay-channels=process",
        "mailtrail.ingest.upload-dir=target/test-uploads/stored-hand-off-page-postgres"})
@ActiveProfiles("postgres")
class StoredHandOffPageOnPostgresTest extends StoredHandOffPageJourney {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        String url = TestDatabase.emptyPostgresUrl();
        registry.add("MAILTRAIL_DB_URL", () -> url);
        registry.add("MAILTRAIL_DB_USER", () -> "postgres");
        registry.add("MAILTRAIL_DB_PASSWORD", () -> "postgres");
    }
}
