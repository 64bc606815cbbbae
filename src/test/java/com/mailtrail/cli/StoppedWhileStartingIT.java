package com.mailtrail.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The jar stopped with SIGTERM while it starts on a new H2 database, a log directory to follow: during its
 * migrations, while its beans are made, as its web server starts. The stop ends the start without a stack trace, and
 * the next start reads the followed log to the same figures as an import of it into a database never stopped.
 */
class StoppedWhileStartingIT {

    private static final Pattern SUMMARY = Pattern.compile("imported (\\d+) entries, \\d+ messages, (\\d+) rejected, "
            + "(\\d+) duplicates");
    private static final int SIGTERM = 143;

    @TempDir
    static Path shared;
    private static Path logs;
    private static long entries;
    private static long rejected;

    @BeforeAll
    static void aLogAndItsUndisturbedImport() throws Exception {
        logs = Files.createDirectories(shared.resolve("logs"));
        Path log = logs.resolve("mail.log_current");
        JarCommandsIT.generate(log, 3000, 12);
        JarCommandsIT.Run imported = JarCommandsIT.java(Files.createDirectories(shared.resolve("reference")),
                "import", log.toString());
        assertThat(imported.status()).as(imported.stderr()).isZero();
        Matcher m = SUMMARY.matcher(imported.stdout());
        assertThat(m.find()).as(imported.stdout()).isTrue();
        entries = Long.parseLong(m.group(1));
        rejected = Long.parseLong(m.group(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Migrating schema \"PUBLIC\" to version \"2", "Initialized JPA EntityManagerFactory",
            "Tomcat initialized"})
    void aStopDuringTheStartEndsItCleanlyAndTheNextStartReadsEverythingOnce(String moment, @TempDir Path dir)
            throws Exception {
        Path out = dir.resolve("stopped.out");
        Process first = JarCommandsIT.start(dir, out, dir.resolve("stopped.err"), "--server.port=0",
                "--mailtrail.tail.paths=" + logs);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!Files.readString(out).contains(moment)) {
            assertThat(first.isAlive()).as(Files.readString(out)).isTrue();
            assertThat(System.nanoTime()).as("reached: " + moment).isLessThan(deadline);
            Thread.sleep(20);
        }
        first.destroy();
        assertThat(first.waitFor(120, TimeUnit.SECONDS)).as("stopped in time").isTrue();
        assertThat(first.exitValue()).isEqualTo(SIGTERM);
        String said = Files.readString(out) + Files.readString(dir.resolve("stopped.err"));
        assertThat(said).doesNotContain("\tat ", " ERROR ", "IO Exception", "Application run failed");
        if (moment.startsWith("Migrating")) {
            assertThat(said).contains("Mailtrail was stopped while it started").doesNotContain("Started Mailtrail");
        } else {
            // the stop may come after the beans are made: then the start ends and the server stops as any stop does
            assertThat(said).containsAnyOf("Mailtrail was stopped while it started", "Started Mailtrail");
        }

        Path again = dir.resolve("again.out");
        Process second = JarCommandsIT.start(dir, again, dir.resolve("again.err"), "--server.port=0",
                "--mailtrail.tail.paths=" + logs, "--mailtrail.tail.interval=200ms");
        try {
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            Matcher port;
            while (!(port = Pattern.compile("Tomcat started on port (\\d+)").matcher(Files.readString(again)))
                    .find()) {
                assertThat(second.isAlive()).as(Files.readString(again)).isTrue();
                assertThat(System.nanoTime()).as("started in time").isLessThan(deadline);
                Thread.sleep(200);
            }
            HttpClient http = HttpClient.newHttpClient();
            String sources = "";
            long size = Files.size(logs.resolve("mail.log_current"));
            while (!sources.contains("\"position\":" + size + ",")) {
                assertThat(System.nanoTime()).as("read in time: " + sources).isLessThan(deadline);
                Thread.sleep(200);
                sources = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port.group(1)
                        + "/api/sources")).build(), HttpResponse.BodyHandlers.ofString()).body();
            }
            assertThat(figure(sources, "entries")).isEqualTo(entries);
            assertThat(figure(sources, "rejected")).isEqualTo(rejected);
            assertThat(figure(sources, "duplicates")).isZero();
        } finally {
            second.destroy();
            assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.readString(again)).doesNotContain("\tat ", " ERROR ");
    }

    private static long figure(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":(\\d+)").matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return Long.parseLong(m.group(1));
    }
}
