package com.mailtrail.ingest.upload;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.ingest.Bombs;
import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.IngestProperties;
import com.mailtrail.ingest.Progress;
import com.mailtrail.ingest.TestDatabase;
import com.mailtrail.parse.LogOptions;
import com.mailtrail.web.LocalHttp;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
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

    private static String url;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        url = TestDatabase.emptyPostgresUrl();
        registry.add("MAILTRAIL_DB_URL", () -> url);
        registry.add("MAILTRAIL_DB_USER", () -> "postgres");
        registry.add("MAILTRAIL_DB_PASSWORD", () -> "postgres");
        registry.add("mailtrail.ingest.upload-dir", () -> uploads.toString());
    }

    @RegisterExtension
    final LocalHttp http = new LocalHttp();

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
        UploadClient client = new UploadClient(http);
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

        // Another host's log uploaded by mistake, and removed again: what was there before is all that is left (the
        // other tests of this class share the database and may have run first).
        long before = client.get("/api/messages").path("total").asLong();
        StringWriter other = new StringWriter();
        new LogGenerator(GeneratorConfig.of(50, 7)).generate(other, null);
        JsonNode wrong = client.upload("other-host.log", other.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(client.get("/api/messages").path("total").asLong()).isGreaterThan(before);
        assertThat(client.delete("/api/sources/" + wrong.path("sourceId").asLong())).isEqualTo(202);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!client.get("/api/sources/removal").path("state").asString().matches("done|failed")
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(client.get("/api/sources/removal").path("state").asString()).isEqualTo("done");
        assertThat(client.get("/api/messages").path("total").asLong()).isEqualTo(before);
        assertThat(client.get("/api/messages?recipient=user@some.org").path("items").path(0).path("recipients")
                .asInt()).isEqualTo(1);

        JsonNode database = client.get("/api/database");
        assertThat(database.path("kind").asString()).isEqualTo("PostgreSQL");
        assertThat(database.path("bytes").asLong()).isPositive();
        assertThat(database.path("lastCompaction").isNull()).isTrue();
        assertThat(database.path("waitingForAnotherProcessSince").isNull()).isTrue();
    }

    /** As on H2 (UploadJourneyTest): the lines stored cut are counted, with their numbers, in the status and sources. */
    @Test
    void linesStoredCutAreCountedOnPostgresToo() throws Exception {
        StringWriter log = new StringWriter();
        new LogGenerator(GeneratorConfig.of(20, 21)).generate(log, null);
        java.util.List<String> lines = new java.util.ArrayList<>(log.toString().lines().toList());
        lines.add(3, UploadJourneyTest.LONG_LINE);
        byte[] text = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);

        UploadClient client = new UploadClient(http);
        JsonNode job = client.upload(new Multipart().file("file", "long-lines.log", text));

        assertThat(job.path("state").asString()).isEqualTo("done");
        assertThat(job.path("cut").asLong()).isEqualTo(1);
        assertThat(job.path("files").path(0).path("cutLines").valueStream().map(JsonNode::asLong)).containsExactly(4L);
        assertThat(job.path("files").path(0).path("cutNote").asString())
                .isEqualTo("1 line longer than 64 KiB stored cut to that length: line 4");
        JsonNode stored = client.get("/api/sources").valueStream()
                .filter(s -> s.path("id").asLong() == job.path("sourceId").asLong()).findFirst().orElseThrow()
                .path("files").path(0);
        assertThat(stored.path("cut").asLong()).isEqualTo(1);
        assertThat(stored.path("cutLines").valueStream().map(JsonNode::asLong)).containsExactly(4L);
    }

    @Test
    void aCutOffGzipKeepsItsLinesBeforeTheBreakAndAnEmptyFileIsReadWithNoEntries() throws Exception {
        StringWriter log = new StringWriter();
        new LogGenerator(GeneratorConfig.of(1500, 13)).generate(log, null);
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(log.toString().getBytes(StandardCharsets.UTF_8));
        }
        byte[] whole = gz.toByteArray();
        byte[] cut = Bombs.cutWhereTheTrailerClaimsTooMuch(whole, whole.length / 2, ingest.maxRatio());
        byte[] before = Bombs.readUpToTheBreak(cut);
        long lines = new String(before, 0, Bombs.lastLineEnd(before), StandardCharsets.UTF_8).lines().count();

        JsonNode job = new UploadClient(http).upload(new Multipart().file("file", "mail.log_yesterday.gz", cut)
                .file("file", "mail.log_current", new byte[0]));

        assertThat(job.path("files").valueStream().map(f -> f.path("state").asString() + " " + f.path("error")
                .asString(""))).containsExactly("failed mail.log_yesterday.gz: the input ends early, after line " + lines
                + " (Unexpected end of ZLIB input stream: a truncated .gz file?); the lines before it were stored",
                "done ");
        assertThat(new JdbcTemplate(dataSource).queryForList("SELECT name || ' ' || state || ' ' || lines FROM "
                + "log_file WHERE source_id = ? ORDER BY id", String.class, job.path("sourceId").asLong()))
                .containsExactly("mail.log_yesterday.gz failed " + lines, "mail.log_current done 0");
    }

    @Test
    void anUploadWaitsWhileAnImportInAnotherProcessReadsAndThePagesSaySo() throws Exception {
        // The import: an engine of its own on the same database, in the middle of a file (held in its read).
        HikariDataSource otherProcess = new HikariDataSource();
        otherProcess.setJdbcUrl(url);
        otherProcess.setUsername("postgres");
        otherProcess.setPassword("postgres");
        otherProcess.addDataSourceProperty("ApplicationName", "other-process");
        PipedOutputStream importedFile = new PipedOutputStream();
        PipedInputStream reading = new PipedInputStream(importedFile);
        IngestEngine importing = new IngestEngine(otherProcess, ingest.relayChannels(), 1000);
        long source = importing.createSource("import", "mail.log_yesterday");
        Thread imports = new Thread(() -> {
            try {
                importing.ingest(source, "mail.log_yesterday", reading, LogOptions.auto(), new Progress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        imports.start();
        try {
            // The upload must start after the import took its turn: started first, it would take the turn itself
            // and never wait, which a loaded machine made happen.
            JdbcTemplate sql = new JdbcTemplate(dataSource);
            long held = System.nanoTime() + 30_000_000_000L;
            while (sql.queryForObject("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    + "WHERE l.locktype = 'advisory' AND l.granted AND a.application_name = 'other-process'",
                    Long.class) == 0) {
                assertThat(System.nanoTime()).as("the import takes its turn").isLessThan(held);
                Thread.sleep(20);
            }
            UploadClient client = new UploadClient(http);
            StringWriter log = new StringWriter();
            new LogGenerator(GeneratorConfig.of(20, 8)).generate(log, null);
            JsonNode[] uploaded = new JsonNode[1];
            Thread uploads = new Thread(() -> {
                try {
                    uploaded[0] = client.upload("today.log", log.toString().getBytes(StandardCharsets.UTF_8));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            uploads.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (client.get("/api/database").path("waitingForAnotherProcessSince").isNull()) {
                assertThat(System.nanoTime()).as("the upload waits").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(client.page("/sources")).contains("another process (an <code>import</code>?) is reading "
                    + "into this database");

            importedFile.close(); // the import's file ends: its turn is over
            imports.join(30_000);
            uploads.join(30_000);
            assertThat(uploaded[0].path("state").asString()).isEqualTo("done");
            assertThat(client.get("/api/database").path("waitingForAnotherProcessSince").isNull()).isTrue();
            assertThat(client.page("/sources")).doesNotContain("another process");
        } finally {
            importedFile.close();
            otherProcess.close();
        }
    }
}
