package com.mailtrail.web;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL stops under a running Mailtrail (a restart of the database server, a crash): the API and the pages
 * answer 503 saying the database server cannot be reached, in the driver's words rather than the pool's, instead of
 * Spring's default 500 body. A server of its own, started and stopped here, not the one the other tests share.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("postgres")
class StoppedPostgresTest {

    @TempDir
    static Path uploads;

    private static EmbeddedPostgres postgres;
    private static boolean stopped;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        try {
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
        registry.add("MAILTRAIL_DB_URL", () -> postgres.getJdbcUrl("postgres", "postgres"));
        registry.add("MAILTRAIL_DB_USER", () -> "postgres");
        registry.add("MAILTRAIL_DB_PASSWORD", () -> "postgres");
        registry.add("mailtrail.ingest.upload-dir", uploads::toString);
        // a request waits this long for a session before it fails (30 s by default)
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
    }

    @AfterAll
    static void stop() throws IOException {
        if (!stopped) {
            postgres.close();
        }
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aStoppedDatabaseServerIsA503ThatSaysItCannotBeReached() throws Exception {
        assertThat(get("/api/sources").statusCode()).isEqualTo(200);

        postgres.close();
        stopped = true;
        for (String path : new String[] {"/api/sources", "/api/messages?recipient=@example.com", "/api/charts/volume",
                "/api/connections"}) {
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(503);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                    .startsWith("application/json"));
            JsonNode body = json.readTree(r.body());
            assertThat(body.propertyNames()).as(r.body()).containsExactly("error");
            assertThat(body.path("error").asString()).as(path)
                    .startsWith("the database server cannot be reached (it is stopped, stopping, or out of reach): ")
                    .doesNotContain("HikariPool", "Exception");
        }
        HttpResponse<String> page = get("/sources");
        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.body()).contains("the database server cannot be reached");
    }
}
