package com.mailtrail.ingest;

import com.mailtrail.MailtrailApplication;
import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.parse.LogOptions;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server started on an H2 file written before V22: V22 rewrites every recipient row, and H2's file grows several
 * times its live size; the server compacts it before it serves anything, and says so where the last compaction is
 * shown. Without it the file stayed at that size until the file had grown by half again.
 */
class MigrationCompactionTest {

    @TempDir
    Path dir;

    @Test
    void aStartWhoseMigrationsGrewTheFileCompactsItFirst() throws Exception {
        String url = "jdbc:h2:" + dir.resolve("mailtrail");
        long written = databaseBeforeV22(url);

        try (ConfigurableApplicationContext app = start(url, 200_000)) {
            DatabaseStatus.View status = app.getBean(DatabaseStatus.class).now();
            H2Compaction.Result compaction = status.lastCompaction();
            assertThat(compaction).as("the compaction after V22").isNotNull();
            assertThat(compaction.bytesBefore()).as("V22 grew the file by half or more")
                    .isGreaterThanOrEqualTo((long) (H2Compaction.GROWTH * written));
            assertThat(compaction.bytesAfter()).isLessThan(compaction.bytesBefore());
            assertThat(compaction.afterMigrations()).isTrue();
            assertThat(status.bytes()).isLessThan((long) (H2Compaction.GROWTH * written));
            assertThat(status.compactionFailure()).isNull();
            assertThat(new JdbcTemplate(app.getBean(javax.sql.DataSource.class)).queryForObject(
                    "SELECT COUNT(*) FROM recipient WHERE client_ip IS NOT NULL", Long.class)).isPositive();
            // what the administrator reads, over HTTP
            String port = app.getEnvironment().getProperty("local.server.port");
            HttpClient http = HttpClient.newHttpClient();
            String api = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/database"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(api).contains("\"afterMigrations\":true", "\"bytesAfter\":" + compaction.bytesAfter());
            String page = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/sources"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(page.replaceAll("\\s+", " ")).contains(
                    "Compacted after the database migrations of this start (they grew the file) at");
        }
        // started again: nothing to migrate, nothing compacted
        try (ConfigurableApplicationContext app = start(url, 200_000)) {
            assertThat(app.getBean(DatabaseStatus.class).now().lastCompaction()).isNull();
        }
    }

    @Test
    void compactAfterZeroMeansNeverAlsoAfterTheMigrations() throws Exception {
        String url = "jdbc:h2:" + dir.resolve("mailtrail");
        long written = databaseBeforeV22(url);

        try (ConfigurableApplicationContext app = start(url, 0)) {
            DatabaseStatus.View status = app.getBean(DatabaseStatus.class).now();
            assertThat(status.lastCompaction()).isNull();
            assertThat(status.bytes()).as("V22 grew the file and nothing compacted it")
                    .isGreaterThanOrEqualTo((long) (H2Compaction.GROWTH * written));
        }
    }

    /**
     * An H2 file holding a generated day, as a release before V22 left it (no client column, table or index), written
     * out compacted. Returns its size.
     */
    static long databaseBeforeV22(String url) throws IOException {
        SingleConnectionDataSource ds = new SingleConnectionDataSource(url, "sa", "", true);
        try {
            Flyway.configure().dataSource(ds).load().migrate();
            StringWriter log = new StringWriter();
            new LogGenerator(GeneratorConfig.of(1500, 29)).generate(log, null);
            IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);
            engine.ingest(engine.createSource("import", "mail.log"), "mail.log",
                    new ByteArrayInputStream(log.toString().getBytes(StandardCharsets.UTF_8)), LogOptions.auto(),
                    new Progress());
            JdbcTemplate jdbc = new JdbcTemplate(ds);
            for (String sql : List.of("DROP INDEX recipient_client_ip", "DROP TABLE client_system",
                    "ALTER TABLE recipient DROP COLUMN client_ip",
                    "DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '22'")) {
                jdbc.execute(sql);
            }
            jdbc.execute("SHUTDOWN COMPACT");
        } finally {
            ds.destroy();
        }
        return Files.size(Path.of(url.substring("jdbc:h2:".length()) + ".mv.db"));
    }

    /** The server, on a port of its own. */
    private ConfigurableApplicationContext start(String url, long compactAfter) {
        return new SpringApplicationBuilder(MailtrailApplication.class).web(WebApplicationType.SERVLET)
                .run("--spring.datasource.url=" + url, "--mailtrail.tail.paths=", "--server.port=0",
                        "--mailtrail.ingest.upload-dir=" + dir.resolve("uploads"),
                        "--mailtrail.ingest.compact-after=" + compactAfter);
    }
}
