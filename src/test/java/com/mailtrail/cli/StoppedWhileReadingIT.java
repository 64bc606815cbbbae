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
 * and reading the file again adds exactly the lines that were not stored: the server does so itself when it starts
 * again, for the upload cut off and the one waiting; the import when it is run again.
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

    /**
     * A generated log large enough to be read for seconds: about 112,000 lines, 29 MB. The stops below come at the
     * first batch stored, or at 4 MB of a database that a whole import leaves at 17 MB (compacted): well before the
     * end. (It was twice as large; most of it is read three times over, which made this one of the slowest classes.)
     */
    @BeforeAll
    static void largeLog() throws Exception {
        log = shared.resolve("mail.log");
        JarCommandsIT.generate(log, 15000, 9);
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

    /** The server jar started in {@code dir} on a free port; its base URL once it is up. */
    private static String startServer(Path dir, Path out, Process[] server) throws Exception {
        server[0] = JarCommandsIT.start(dir, out, dir.resolve(out.getFileName() + ".err"), "--server.port=0");
        long started = deadline(90);
        Matcher port;
        while (!(port = Pattern.compile("Tomcat started on port (\\d+)").matcher(Files.readString(out))).find()) {
            assertThat(server[0].isAlive()).as("the server runs: " + Files.readString(out)).isTrue();
            assertThat(System.nanoTime()).as("the server started in time").isLessThan(started);
            Thread.sleep(200);
        }
        return "http://localhost:" + port.group(1);
    }

    private static String get(HttpClient http, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static long figure(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return Long.parseLong(m.group(1));
    }

    @Test
    void aServerStoppedDuringAnUploadEndsItAtABatchAndReadsTheRestWhenItStartsAgain(@TempDir Path dir)
            throws Exception {
        Path out = dir.resolve("server.out");
        Process[] server = new Process[1];
        HttpClient http = HttpClient.newHttpClient();
        String[] jobs = new String[2];
        try {
            String base = startServer(dir, out, server);
            String boundary = "mailtrailStoppedWhileReading";
            HttpRequest upload = HttpRequest.newBuilder(URI.create(base + "/api/uploads"))
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.concat(
                            HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; "
                                    + "name=\"file\"; filename=\"mail.log\"\r\n\r\n"),
                            HttpRequest.BodyPublishers.ofFile(log),
                            HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n")))
                    .build();
            // the upload, and the same file again, waiting for its turn when the server stops
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> accepted = http.send(upload, HttpResponse.BodyHandlers.ofString());
                assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
                Matcher id = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(accepted.body());
                assertThat(id.find()).isTrue();
                jobs[i] = id.group(1);
            }

            // Stopped once some of it is stored.
            long reading = deadline(60);
            while (true) {
                String status = get(http, base + "/api/uploads/" + jobs[0]);
                assertThat(status).as("still reading when stopped").doesNotContain("\"state\":\"done\"");
                if (figure(status, "entries") > 0) {
                    break;
                }
                assertThat(System.nanoTime()).as("the upload is read: " + status).isLessThan(reading);
                Thread.sleep(100);
            }
            sigterm(server[0]);
        } finally {
            server[0].destroyForcibly();
        }

        String said = Files.readString(out) + Files.readString(dir.resolve("server.out.err"));
        Matcher stoppedAt = STOPPED_AT.matcher(said);
        assertThat(stoppedAt.find()).as(said).isTrue();
        long stored = Long.parseLong(stoppedAt.group(1));
        assertThat(said).as("no error, no stack trace").doesNotContain(" ERROR ", "\tat ")
                .contains("not read yet: Mailtrail stopped before its turn; it is read when Mailtrail starts again");
        assertThat(dir.resolve("data").resolve("mailtrail.trace.db")).as("H2 wrote no error").doesNotExist();

        // Started again: both uploads are read under their ids, the first again whole, adding only what it had not.
        Path again = dir.resolve("again.out");
        try {
            String base = startServer(dir, again, server);
            String[] status = new String[2];
            long reading = deadline(120);
            for (int i = 0; i < 2; i++) {
                while (!(status[i] = get(http, base + "/api/uploads/" + jobs[i])).contains("\"state\":\"done\"")) {
                    assertThat(status[i]).doesNotContain("\"state\":\"failed\"");
                    assertThat(System.nanoTime()).as("read after the start: " + status[i]).isLessThan(reading);
                    Thread.sleep(200);
                }
            }
            long lines = lines(log);
            assertThat(figure(status[0], "duplicates")).as("the lines stored before the stop").isEqualTo(stored);
            assertThat(figure(status[0], "entries") + figure(status[0], "rejected")).isEqualTo(lines - stored);
            assertThat(figure(status[1], "duplicates")).as("the same file again").isEqualTo(lines);
            sigterm(server[0]);
        } finally {
            server[0].destroyForcibly();
        }
        assertThat(Files.readString(again)).doesNotContain(" ERROR ", "\tat ");
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
