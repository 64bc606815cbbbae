package com.mailtrail.ingest.upload;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.ingest.IngestProperties;
import com.mailtrail.ingest.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import javax.sql.DataSource;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The application as a site on PostgreSQL runs it: the postgres profile, the database given by MAILTRAIL_DB_URL,
 * _USER and _PASSWORD (here an empty database on the embedded server, which Flyway migrates at start-up), and the
 * seed document uploaded over HTTP and found through the API; then a wrong upload removed again through the API.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("postgres")
class PostgresProfileJourneyTest {

    @TempDir
    static Path uploads;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        String url = TestDatabase.emptyPostgresUrl();
        registry.add("MAILTRAIL_DB_URL", () -> url);
        registry.add("MAILTRAIL_DB_USER", () -> "postgres");
        registry.add("MAILTRAIL_DB_PASSWORD", () -> "postgres");
        registry.add("mailtrail.ingest.upload-dir", () -> uploads.toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    DataSource dataSource;

    @Autowired
    IngestProperties ingest;

    @Test
    void theSeedUploadedIntoPostgresIsOneDeliveredMessageWithFourAttemptsAndAWrongUploadIsRemovedAgain()
            throws Exception {
        assertThat(((HikariDataSource) dataSource).getJdbcUrl()).startsWith("jdbc:postgresql:");
        assertThat(((HikariDataSource) dataSource).getDataSourceProperties())
                .containsEntry("reWriteBatchedInserts", "true");
        assertThat(ingest.batchEntries()).isEqualTo(20_000);

        byte[] seed;
        try (InputStream in = getClass().getResourceAsStream("/logs/seed-multiple-delivery-attempts.txt")) {
            seed = in.readAllBytes();
        }
        UploadClient client = new UploadClient(port);
        JsonNode state = client.upload("seed-multiple-delivery-attempts.txt", seed);
        assertThat(state.path("state").asString()).isEqualTo("done");

        JsonNode found = client.get("/api/messages?recipient=user@some.org");
        assertThat(found.path("total").asLong()).isEqualTo(1);
        JsonNode message = client.get("/api/messages/" + found.path("items").path(0).path("id").asLong());
        JsonNode recipient = message.path("recipients").path(0);
        assertThat(recipient.path("recipient").asString()).isEqualTo("user@some.org");
        assertThat(recipient.path("status").asString()).isEqualTo("delivered");
        assertThat(recipient.path("deferrals").asInt()).isEqualTo(3);
        assertThat(recipient.path("attempts").size()).isEqualTo(4);
        assertThat(recipient.path("enqueued").asString()).isEqualTo("1998-01-15T10:31:05.18");
        assertThat(recipient.path("finalTime").asString()).isEqualTo("1998-01-15T20:45:51.55");

        // Another host's log uploaded by mistake, and removed again: the seed's message is all that is left.
        StringWriter other = new StringWriter();
        new LogGenerator(GeneratorConfig.of(50, 7)).generate(other, null);
        JsonNode wrong = client.upload("other-host.log", other.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(client.get("/api/messages").path("total").asLong()).isGreaterThan(1);
        assertThat(client.delete("/api/sources/" + wrong.path("sourceId").asLong())).isEqualTo(202);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!client.get("/api/sources/removal").path("state").asString().matches("done|failed")
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(client.get("/api/sources/removal").path("state").asString()).isEqualTo("done");
        assertThat(client.get("/api/messages").path("total").asLong()).isEqualTo(1);
        assertThat(client.get("/api/messages?recipient=user@some.org").path("items").path(0).path("recipients")
                .asInt()).isEqualTo(1);

        JsonNode database = client.get("/api/database");
        assertThat(database.path("kind").asString()).isEqualTo("PostgreSQL");
        assertThat(database.path("bytes").asLong()).isPositive();
        assertThat(database.path("lastCompaction").isNull()).isTrue();
    }
}
