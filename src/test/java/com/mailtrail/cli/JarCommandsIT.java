package com.mailtrail.cli;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar as an administrator runs it: {@code java -jar target/mailtrail.jar convert|generate}, with no web
 * server started. Runs in the integration-test phase, after the jar is built.
 */
class JarCommandsIT {

    private static final Path JAR = Path.of("target", "mailtrail.jar");

    record Run(int status, String stdout, String stderr) {
    }

    static Run java(Path dir, String... args) throws IOException, InterruptedException {
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        Process p = start(dir, out, err, args);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finishes").isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    /**
     * What {@code generate --messages N --seed S > log} writes, written here: the same generator, without a JVM
     * started for it ({@link #generateThenConvertRoundTripsThroughTheJar} runs the command itself).
     */
    static void generate(Path log, int messages, long seed) throws IOException {
        try (Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            new LogGenerator(GeneratorConfig.of(messages, seed)).generate(out, null);
        }
    }

    /** {@code java -jar target/mailtrail.jar args...} in {@code dir}, its output to the two files. */
    static Process start(Path dir, Path out, Path err, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
    }

    @Test
    void convertPrintsTheSeedDocumentsFiveEntriesWithoutStartingAServer(@TempDir Path dir) throws Exception {
        Path seed = dir.resolve("seed.txt");
        try (var in = getClass().getResourceAsStream("/logs/seed-multiple-delivery-attempts.txt")) {
            Files.copy(in, seed);
        }
        Run run = java(dir, "convert", seed.toString());
        assertThat(run.status()).isZero();
        assertThat(run.stdout().lines()).hasSize(5);
        assertThat(run.stdout()).contains("\"code\":\"D\"", "\"remoteHost\":\"host.some.org\"", "\"smtpCode\":250");
        assertThat(run.stdout() + run.stderr()).doesNotContain("Tomcat", "Started MailtrailApplication");
    }

    @Test
    void generateThenConvertRoundTripsThroughTheJar(@TempDir Path dir) throws Exception {
        Run generated = java(dir, "generate", "--messages", "50", "--seed", "3");
        assertThat(generated.status()).isZero();
        long lines = generated.stdout().lines().count();
        assertThat(lines).isGreaterThan(100);
        Path log = dir.resolve("mail.log_current");
        Files.writeString(log, generated.stdout());
        Run converted = java(dir, "convert", log.toString());
        assertThat(converted.status()).isZero();
        assertThat(converted.stderr()).isEmpty();
        assertThat(converted.stdout().lines().count()).isEqualTo(lines);
    }

    @Test
    void importFillsTheDatabaseWithoutTheWebServerAndPrintsOneSummaryLine(@TempDir Path dir) throws Exception {
        Path seed = dir.resolve("seed.txt");
        try (var in = getClass().getResourceAsStream("/logs/seed-multiple-delivery-attempts.txt")) {
            Files.copy(in, seed);
        }
        Run run = java(dir, "import", seed.toString());
        assertThat(run.status()).as(run.stderr()).isZero();
        assertThat(run.stdout().strip()).startsWith("imported 5 entries, 1 messages, 0 rejected, 0 duplicates in ");
        assertThat(dir.resolve("data").resolve("mailtrail.mv.db")).exists();
        // compacted at the end without an error (H2 writes errors to a trace file beside the data)
        assertThat(dir.resolve("data").resolve("mailtrail.trace.db")).doesNotExist();
        assertThat(run.stdout() + run.stderr()).doesNotContain("Tomcat");

        Run again = java(dir, "import", seed.toString());
        assertThat(again.stdout()).contains("imported 0 entries, 0 messages, 0 rejected, 5 duplicates");

        Run missing = java(dir, "import", dir.resolve("nope.log").toString());
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.stderr()).contains("nope.log: no such file");
    }

    /** {@code zcat mail.log_yesterday.gz | java -jar mailtrail.jar import -}: a pipe, gzip or not, as a file. */
    @Test
    void importReadsStandardInputPipedToIt(@TempDir Path dir) throws Exception {
        Path seed = dir.resolve("seed.txt");
        try (var in = getClass().getResourceAsStream("/logs/seed-multiple-delivery-attempts.txt")) {
            Files.copy(in, seed);
        }
        Path gz = dir.resolve("seed.txt.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(Files.readAllBytes(seed));
        }
        Run piped = piped(dir, gz, "import", "-");
        assertThat(piped.status()).as(piped.stderr()).isZero();
        assertThat(piped.stdout().strip()).startsWith("imported 5 entries, 1 messages, 0 rejected, 0 duplicates in ");

        Run again = piped(dir, seed, "import", "--name=mta1:mail.log_current", "-");
        assertThat(again.status()).as(again.stderr()).isZero();
        assertThat(again.stdout()).contains("imported 0 entries, 0 messages, 0 rejected, 5 duplicates");
    }

    /** As {@link #java}, with {@code input} on its standard input through a pipe. */
    private static Run piped(Path dir, Path input, String... args) throws IOException, InterruptedException {
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toAbsolutePath().toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        try (var stdin = p.getOutputStream()) {
            Files.copy(input, stdin);
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finishes").isTrue();
        return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void importWhileTheServerHoldsTheDatabaseSaysWhatToDoInsteadOfAStackTrace(@TempDir Path dir) throws Exception {
        Path seed = dir.resolve("seed.txt");
        try (var in = getClass().getResourceAsStream("/logs/seed-multiple-delivery-attempts.txt")) {
            Files.copy(in, seed);
        }
        Path serverDir = Files.createDirectory(dir.resolve("server"));
        Path serverOut = serverDir.resolve("server.out");
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                JAR.toAbsolutePath().toString(), "--server.port=0").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(serverOut.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!Files.readString(serverOut).contains("Started MailtrailApplication")) {
                assertThat(server.isAlive()).as("the server runs: " + Files.readString(serverOut)).isTrue();
                assertThat(System.nanoTime()).as("the server started in time").isLessThan(deadline);
                Thread.sleep(200);
            }
            String db = "--spring.datasource.url=jdbc:h2:file:" + dir.resolve("data").resolve("mailtrail");
            Run imported = java(Files.createDirectory(dir.resolve("import")), "import", db, seed.toString());
            Run secondServer = java(Files.createDirectory(dir.resolve("second")), "--server.port=0", db);
            for (Run run : List.of(imported, secondServer)) {
                assertThat(run.status()).isEqualTo(1);
                String said = run.stdout() + run.stderr();
                assertThat(said).contains("APPLICATION FAILED TO START", "is in use by another process",
                        dir.resolve("data").resolve("mailtrail.mv.db").toString(), "/api/uploads");
                assertThat(said).doesNotContain("\tat ");
            }
        } finally {
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void postgresThatCannotBeReachedIsSaidInTwoSentences(@TempDir Path dir) throws Exception {
        Path log = Files.writeString(dir.resolve("mail.log"), "");
        Run run = java(dir, "import", "--spring.profiles.active=postgres",
                "--spring.datasource.url=jdbc:postgresql://127.0.0.1:1/mailtrail", log.toString());
        assertThat(run.status()).isEqualTo(1);
        assertThat(run.stdout() + run.stderr()).contains("PostgreSQL at jdbc:postgresql://127.0.0.1:1/mailtrail cannot be reached",
                "MAILTRAIL_DB_URL").doesNotContain("\tat ");
    }

    @Test
    void badArgumentsExitWithTwoAndSayWhy(@TempDir Path dir) throws Exception {
        Run run = java(dir, "generate", "--messages", "lots");
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.stderr()).isNotBlank();
    }
}
