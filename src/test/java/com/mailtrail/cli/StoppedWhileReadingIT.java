package com.mailtrail.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar stopped as a service manager or a container runtime stops it (SIGTERM, which {@link Process#destroy()}
 * sends) in the middle of a large read: the read ends at a batch, says after which line, the database closes cleanly,
 * and loading the file again adds exactly the lines that were not stored.
 */
class StoppedWhileReadingIT {

    private static final Pattern STOPPED_AT = Pattern.compile("interrupted: Mailtrail stopped while reading this "
            + "file, after line (\\d+); load the file again: the lines stored already are not added twice");
    private static final Pattern SUMMARY = Pattern.compile("imported (\\d+) entries, \\d+ messages, (\\d+) rejected, "
            + "(\\d+) duplicates");
    /** The exit status of a JVM ended by SIGTERM (128 + 15), its shutdown hooks run. */
    private static final int SIGTERM = 143;

    @TempDir
    static Path shared;
    private static Path log;

    /** A generated log large enough to be read for several seconds: about 220,000 lines, 55 MB. */
    @BeforeAll
    static void largeLog() throws Exception {
        log = shared.resolve("mail.log");
        Process p = JarCommandsIT.start(shared, log, shared.resolve("generate.err"), "generate", "--messages", "30000",
                "--seed", "9");
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
    }

    /** Stops the process as a service manager does: it must have run its shutdown hooks and ended in time. */
    private static void sigterm(Process p) throws InterruptedException {
        p.destroy();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("stopped in time").isTrue();
        assertThat(p.exitValue()).isEqualTo(SIGTERM);
    }

    private static long lines(Path file) throws IOException {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        }
    }

    private static long deadline(int seconds) {
        return System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    }

    /** Imports the whole file again and checks it adds exactly the lines the stopped read did not store. */
    private static void assertImportingItAgainAddsTheRest(Path dir, long storedLines) throws Exception {
        JarCommandsIT.Run again = JarCommandsIT.java(Files.createDirectories(dir.resolve("again")), "import",
                "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("data").resolve("mailtrail"), log.toString());
        assertThat(again.status()).as(again.stderr()).isZero();
        Matcher summary = SUMMARY.matcher(again.stdout());
        assertThat(summary.find()).as(again.stdout()).isTrue();
        assertThat(Long.parseLong(summary.group(3))).as("duplicates: the lines stored before the stop")
                .isEqualTo(storedLines);
        assertThat(Long.parseLong(summary.group(1)) + Long.parseLong(summary.group(2)) + storedLines)
                .isEqualTo(lines(log));
    }

    @Test
    void aServerStoppedDuringAnUploadEndsItAtABatchAndLoadingItAgainAddsTheRest(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("server.out");
        Process server = JarCommandsIT.start(dir, out, dir.resolve("server.err"), "--server.port=0");
        try {
            long started = deadline(90);
            Matcher port;
            while (!(port = Pattern.compile("Tomcat started on port (\\d+)").matcher(Files.readString(out))).find()) {
                assertThat(server.isAlive()).as("the server runs: " + Files.readString(out)).isTrue();
                assertThat(System.nanoTime()).as("the server started in time").isLessThan(started);
                Thread.sleep(200);
            }
            String base = "http://localhost:" + port.group(1);
            HttpClient http = HttpClient.newHttpClient();
            String boundary = "mailtrailStoppedWhileReading";
            HttpRequest upload = HttpRequest.newBuilder(URI.create(base + "/api/uploads"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.concat(
                            HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; "
                                    + "name=\"file\"; filename=\"mail.log\"\r\n\r\n"),
                            HttpRequest.BodyPublishers.ofFile(log),
                            HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n")))
                    .build();
            HttpResponse<String> accepted = http.send(upload, HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
            Matcher id = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(accepted.body());
            assertThat(id.find()).isTrue();
            // and a second upload, waiting for its turn when the server stops
            assertThat(http.send(upload, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(202);

            // Stopped once some of it is stored.
            long reading = deadline(60);
            while (true) {
                String status = http.send(HttpRequest.newBuilder(URI.create(base + "/api/uploads/" + id.group(1)))
                        .build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(status).as("still reading when stopped").doesNotContain("\"state\":\"done\"");
                Matcher entries = Pattern.compile("\"entries\":(\\d+)").matcher(status);
                if (entries.find() && Long.parseLong(entries.group(1)) > 0) {
                    break;
                }
                assertThat(System.nanoTime()).as("the upload is read: " + status).isLessThan(reading);
                Thread.sleep(100);
            }
            sigterm(server);
        } finally {
            server.destroyForcibly();
        }

        String said = Files.readString(out) + Files.readString(dir.resolve("server.err"));
        Matcher stoppedAt = STOPPED_AT.matcher(said);
        assertThat(stoppedAt.find()).as(said).isTrue();
        assertThat(said).as("no error, no stack trace").doesNotContain(" ERROR ", "\tat ")
                .contains("not read: Mailtrail stopped before this upload's turn; upload the files again");
        assertThat(dir.resolve("data").resolve("mailtrail.trace.db")).as("H2 wrote no error").doesNotExist();
        assertImportingItAgainAddsTheRest(dir, Long.parseLong(stoppedAt.group(1)));
    }

    @Test
    void anImportStoppedEndsAtABatchAndSaysWhereAndRunningItAgainAddsTheRest(@TempDir Path dir) throws Exception {
        Path err = dir.resolve("import.err");
        Process importing = JarCommandsIT.start(dir, dir.resolve("import.out"), err, "import", log.toString());
        try {
            // Stopped once the database has grown by some batches (it cannot be asked: the import holds it).
            Path db = dir.resolve("data").resolve("mailtrail.mv.db");
            long reading = deadline(90);
            while (!Files.exists(db) || Files.size(db) < (4 << 20)) {
                assertThat(importing.isAlive()).as("still importing: " + Files.readString(err)).isTrue();
                assertThat(System.nanoTime()).as("the import writes").isLessThan(reading);
                Thread.sleep(50);
            }
            sigterm(importing);
        } finally {
            importing.destroyForcibly();
        }

        String said = Files.readString(err);
        assertThat(said).startsWith("import: " + log + ": interrupted: Mailtrail stopped while reading this file");
        assertThat(said).doesNotContain("\tat ", "Exception");
        assertThat(Files.readString(dir.resolve("import.out"))).isEmpty();
        Matcher stoppedAt = STOPPED_AT.matcher(said);
        assertThat(stoppedAt.find()).isTrue();
        assertImportingItAgainAddsTheRest(dir, Long.parseLong(stoppedAt.group(1)));
    }
}
