package com.mailtrail.web;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL restarts or stops under a running Mailtrail: the API and the pages answer 503 saying the database server
 * cannot be reached, in the driver's words rather than the pool's, instead of Spring's default 500 body. A server of
 * its own, started and stopped here, not the one the other tests share; the pool holds two sessions (Flyway needs
 * both), so that the request after a restart meets the session the restart ended (the pool checks a session only
 * after half a second idle).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("postgres")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
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
        registry.add("spring.datasource.hikari.maximum-pool-size", () -> "2");
    }

    @AfterAll
    static void stop() throws IOException {
        if (!stopped) {
            postgres.close();
        }
    }

    @RegisterExtension
    final LocalHttp http = new LocalHttp();

    private final JsonMapper json = JsonMapper.builder().build();

    /** What a restart (pg_ctl restart -m fast) does to each session: the server ends it, "terminating connection". */
    private static void endMailtrailsSessions() throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement st = c.createStatement()) {
            st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
                    + "AND datname = 'postgres' AND backend_type = 'client backend'");
        }
    }

    /**
     * The message API reads in a read-only transaction: the session's query fails, the pool closes the session, its
     * rollback then fails, and that failure hid the database's (a 500, and the first failure logged apart).
     */
    @Test
    @Order(1)
    void aSessionTheServerEndedIsA503AndTheNextRequestWorks() throws Exception {
        for (String path : new String[] {"/api/messages", "/api/sources"}) {
            assertThat(http.get(path).statusCode()).isEqualTo(200);
            endMailtrailsSessions();
            HttpResponse<String> r = http.get(path);
            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(503);
            assertThat(json.readTree(r.body()).path("error").asString()).as(path)
                    .startsWith("the database server cannot be reached (it is stopped, stopping, or out of reach): ");
            // the server runs: once the pool has dropped the sessions it ended (each fails once), requests work
            int status = 0;
            for (int i = 0; i < 3 && status != 200; i++) {
                status = http.get(path).statusCode();
            }
            assertThat(status).as(path).isEqualTo(200);
        }
    }

    @Test
    @Order(2)
    void aStoppedDatabaseServerIsA503ThatSaysItCannotBeReached() throws Exception {
        assertThat(http.get("/api/sources").statusCode()).isEqualTo(200);

        postgres.close();
        stopped = true;
        for (String path : new String[] {"/api/sources", "/api/messages?recipient=@example.com", "/api/charts/volume",
                "/api/connections"}) {
            HttpResponse<String> r = http.get(path);
            assertThat(r.statusCode()).as(path + " " + r.body()).isEqualTo(503);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                    .startsWith("application/json"));
            JsonNode body = json.readTree(r.body());
            assertThat(body.propertyNames()).as(r.body()).containsExactly("error");
            assertThat(body.path("error").asString()).as(path)
                    .startsWith("the database server cannot be reached (it is stopped, stopping, or out of reach): ")
                    .doesNotContain("HikariPool", "Exception");
        }
        HttpResponse<String> page = http.get("/sources");
        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.body()).contains("the database server cannot be reached");
    }
}
