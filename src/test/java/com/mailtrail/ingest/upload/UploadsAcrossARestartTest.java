package com.mailtrail.ingest.upload;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.web.LocalHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Uploads accepted and not read to their end when Mailtrail stopped are read when it starts again, under their ids.
 * The upload directory holds what a stopped server left: a job of two files it had not begun (the user's names in its
 * manifest), the directory of a job without one (from a version that wrote none), which cannot be read again, and a
 * job whose reading was cut off at every start so far, which is given up rather than read in a loop.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.datasource.url=jdbc:h2:mem:uploads-restart;DB_CLOSE_DELAY=-1")
class UploadsAcrossARestartTest {

    private static final String ID = "2b0d6a43-5d0e-4b8e-9a51-3c1f2e7d9a10";
    private static final Instant ACCEPTED = Instant.parse("2026-11-28T22:15:00Z");

    @TempDir
    static Path uploads;

    @DynamicPropertySource
    static void leftovers(DynamicPropertyRegistry registry) throws IOException {
        registry.add("mailtrail.ingest.upload-dir", () -> uploads.toString());
        Path dir = Files.createDirectories(uploads.resolve("job-" + ID));
        Path seed = dir.resolve("1.upload");
        try (InputStream in = UploadsAcrossARestartTest.class.getResourceAsStream(
                "/logs/seed-multiple-delivery-attempts.txt")) {
            Files.copy(in, seed);
        }
        StringWriter log = new StringWriter();
        new LogGenerator(GeneratorConfig.of(40, 3)).generate(log, null);
        Path gz = dir.resolve("2.upload");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(log.toString().getBytes(StandardCharsets.UTF_8));
        }
        UploadManifest.write(new UploadJob(ID, dir, List.of(
                new UploadFile("seed-multiple-delivery-attempts.txt", seed, Files.size(seed), false, 1L << 30),
                new UploadFile("mail.log_yesterday.gz", gz, Files.size(gz), true, 1L << 30)), ACCEPTED));
        Files.writeString(Files.createDirectories(uploads.resolve("job-older")).resolve("1.upload"), "lost");
        // and one that every start so far was cut off in (the process died in it each time): not a fourth time
        Path looping = Files.createDirectories(uploads.resolve("job-looping"));
        Path crashes = Files.writeString(looping.resolve("1.upload"), "whatever ends the process\n");
        UploadManifest.write(new UploadJob("looping", looping, List.of(new UploadFile("crashes.log", crashes,
                Files.size(crashes), false, 1L << 30)), ACCEPTED));
        for (int i = 0; i < UploadManifest.MAX_STARTS; i++) {
            assertThat(UploadManifest.anotherStart(looping)).isTrue();
        }
    }

    @RegisterExtension
    final LocalHttp http = new LocalHttp();

    @Test
    void anUploadTheStopLeftUnreadIsReadUnderItsIdOnceTheServerIsUp() throws Exception {
        UploadClient client = new UploadClient(http);
        JsonNode job = client.get("/api/uploads/" + ID);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!job.path("state").asString().matches("done|failed")) {
            assertThat(System.nanoTime()).as("read: " + job).isLessThan(deadline);
            Thread.sleep(50);
            job = client.get("/api/uploads/" + ID);
        }
        assertThat(job.path("state").asString()).as(job.toString()).isEqualTo("done");
        assertThat(job.path("created").asString()).isEqualTo("2026-11-28T22:15:00Z");
        assertThat(job.path("files").findValuesAsString("name"))
                .containsExactly("seed-multiple-delivery-attempts.txt", "mail.log_yesterday.gz");
        assertThat(job.path("files").path(0).path("entries").asLong()).isEqualTo(5);
        assertThat(job.path("files").path(1).path("entries").asLong()).isPositive();
        assertThat(client.get("/api/messages?recipient=user@some.org").path("total").asLong()).isEqualTo(1);

        // read, and gone from the upload directory, with the one that could not be read again
        deadline = System.nanoTime() + 10_000_000_000L;
        while (Files.exists(uploads.resolve("job-" + ID))) {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(uploads.resolve("job-older")).doesNotExist();
        assertThat(uploads.resolve("job-looping")).doesNotExist();
        assertThat(client.get("/api/messages").path("total").asLong()).as("nothing of it read").isEqualTo(
                client.get("/api/uploads/" + ID).path("messages").asLong());
    }
}
