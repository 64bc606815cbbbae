package com.mailtrail.web;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.store.FullDisk;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.json.JsonMapper;

import javax.sql.DataSource;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static com.mailtrail.web.ApiErrors.error;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The database fails under a request, over real HTTP: the disk under the H2 file fills up and H2 closes the database
 * (the disk is H2's file system over the real one, failing as a full disk does: {@link FullDisk}), or a table is
 * gone. The API answers {@code {"error"}} in the user's terms with 503, or a short 500, the pages the error page; the
 * stack trace goes to the server's log once and never to the client (it was Spring's default 500 body).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DatabaseFailureAnswersTest {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        FullDisk.serverIn(registry, dir);
    }

    @RegisterExtension
    final LocalHttp http = new LocalHttp();

    @Autowired
    DataSource dataSource;

    @Autowired
    IngestEngine engine;

    private final JsonMapper json = JsonMapper.builder().build();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private JdbcTemplate jdbc;

    @BeforeEach
    void usableDatabaseAndListeningLog() {
        jdbc = new JdbcTemplate(dataSource);
        // a test before may have left the pool a session of the database H2 closed: the first use drops them all
        for (int i = 0; i < 5; i++) {
            try {
                jdbc.queryForObject("SELECT 1", Integer.class);
                break;
            } catch (RuntimeException closed) {
                // the next session opens the file again
            }
        }
        if (jdbc.queryForObject("SELECT COUNT(*) FROM log_source", Long.class) == 0) {
            engine.createSource("upload", "mail.log"); // a row to change, so that H2 has pages to write out
        }
        logged.start();
        root().addAppender(logged);
    }

    @AfterEach
    void roomAgain() {
        FullDisk.full = false;
        root().detachAppender(logged);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }


    /**
     * The disk is full and H2, failing to write its pages out (as its background writer would within a second of a
     * change, outside the pool), closes the database; the pool still holds sessions of it, which the next request
     * meets. (A session of the pool that meets the failed write itself has the pool let the database go at once.)
     */
    private void fillTheDisk() throws SQLException {
        jdbc.execute("CHECKPOINT");
        FullDisk.full = true;
        jdbc.update("UPDATE log_source SET name = name || ''");
        try (Connection writer = DriverManager.getConnection(((HikariDataSource) dataSource).getJdbcUrl(), "sa", "");
             Statement st = writer.createStatement()) {
            assertThatThrownBy(() -> st.execute("CHECKPOINT")).hasStackTraceContaining("No space left on device");
        } catch (SQLException closed) {
            // H2 may tell its failed write again as the session ends
        }
        logged.list.clear(); // what follows is the request's
    }

    /**
     * What Mailtrail, Spring and Tomcat logged with a stack trace while the listener listened. Not the pool's notice
     * that it dropped a session of the closed database (Hikari's own WARN, with H2's exception), which is about the
     * session rather than the request.
     */
    private List<ILoggingEvent> tracesLogged() {
        return logged.list.stream().filter(e -> e.getThrowableProxy() != null)
                .filter(e -> !e.getLoggerName().startsWith("com.zaxxer.hikari.")).toList();
    }

    private static final String CLOSED_BY_FULL_DISK = "the database is closed: H2 closed it when it could not "
            + "write its file %s (No space left on device); it opens again once the file can be written";

    @Test
    void aDatabaseClosedByAFullDiskIsA503InTheUsersTermsAndTheNextRequestReadsAgain() throws Exception {
        assertThat(http.get("/api/sources").statusCode()).isEqualTo(200); // and the client is warm: the next is quick

        fillTheDisk();
        HttpResponse<String> failed = http.get("/api/sources");
        assertThat(error(failed, 503)).isEqualTo(CLOSED_BY_FULL_DISK.formatted(dir.resolve("mailtrail.mv.db")));
        assertThat(failed.body()).doesNotContain("Exception", "org.h2", "SQL", "timestamp", "trace");

        // logged once, with H2's own words and the stack trace, for the administrator
        assertThat(tracesLogged()).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            assertThat(e.getFormattedMessage()).startsWith("GET /api/sources: the database is closed");
            assertThat(ThrowableProxyUtil.asString(e.getThrowableProxy())).contains("org.h2.", "90098");
        });

        // the pool dropped the closed database's sessions: the next request opens the file again, and reading
        // needs no room
        HttpResponse<String> again = http.get("/api/sources");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(json.readTree(again.body()).path(0).path("name").asString()).isEqualTo("mail.log");
    }

    @Test
    void theSourcesPageSaysTheSameOnTheErrorPage() throws Exception {
        assertThat(http.get("/sources").statusCode()).isEqualTo(200);

        fillTheDisk();
        HttpResponse<String> page = http.get("/sources");
        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/html"));
        assertThat(page.body()).contains("503 Service Unavailable", "the database is closed: H2 closed it when it "
                + "could not write its file").doesNotContain("org.h2", "Exception");
        assertThat(tracesLogged()).hasSize(1);
    }

    @Test
    void anUnexpectedFailureIsAShort500AndItsStackTraceIsLoggedOnce() throws Exception {
        // not the disk: a table gone from under Mailtrail (a hand-made change, a bad restore)
        jdbc.execute("ALTER TABLE log_source RENAME TO log_source_elsewhere");
        try {
            HttpResponse<String> failed = http.get("/api/sources");
            assertThat(error(failed, 500))
                    .isEqualTo("an unexpected error stopped this request; the server's log has the details");

            assertThat(tracesLogged()).singleElement().satisfies(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.ERROR);
                assertThat(e.getFormattedMessage()).isEqualTo("GET /api/sources: unexpected failure");
                assertThat(ThrowableProxyUtil.asString(e.getThrowableProxy()))
                        .contains("BadSqlGrammarException", "Table \"LOG_SOURCE\" not found");
            });
        } finally {
            jdbc.execute("ALTER TABLE log_source_elsewhere RENAME TO log_source");
        }
    }
}
