package com.mailtrail.system;

import com.mailtrail.MailtrailApplication;
import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.ingest.BeforeMigration;
import com.mailtrail.ingest.TestDatabase;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stop (SIGTERM: the shutdown hook closes the context) that comes while the server starts, here in the middle of
 * its schema migrations on a new database. Spring's close() interrupted the starting thread when it found it waiting,
 * and H2 closed its file under that interrupt ("IO Exception") or the migration failed half way. Now the step in
 * progress ends, the start stops there with one line, and the next start reads the followed log as a start never
 * stopped would: no line lost, none twice.
 */
@ExtendWith(OutputCaptureExtension.class)
class StopDuringStartTest {

    private static final String TABLES = "SELECT (SELECT COUNT(*) FROM message), (SELECT COUNT(*) FROM recipient), "
            + "(SELECT COUNT(*) FROM attempt), (SELECT COUNT(*) FROM connection), (SELECT COUNT(*) FROM raw_block), "
            + "(SELECT COUNT(*) FROM rejected_line), (SELECT SUM(entries) FROM log_file), "
            + "(SELECT SUM(duplicates) FROM log_file), (SELECT SUM(lines) FROM log_file)";

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aStopDuringAMigrationEndsTheStartCleanlyAndTheNextStartLoadsEverythingOnce(String db, CapturedOutput output)
            throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path log = logs.resolve("mail.log_current");
        try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            new LogGenerator(GeneratorConfig.of(400, 61)).generate(w, null);
        }
        String url = url(db, "stopped");

        CountDownLatch migrating = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<ConfigurableApplicationContext> context = new AtomicReference<>();
        AtomicReference<Throwable> startFailure = new AtomicReference<>();
        int before = output.getAll().length();
        Thread main = new Thread(() -> {
            try {
                var app = StopDuringStart.application(MailtrailApplication.class);
                app.addInitializers(c -> {
                    context.set(c);
                    c.getBeanFactory().registerSingleton("holdTheThirdMigration", new BeforeMigration("3",
                            () -> hold(migrating, release)));
                });
                app.run(args(db, url, logs));
            } catch (Throwable t) {
                startFailure.set(t);
            }
        }, "starting");
        main.start();
        assertThat(migrating.await(120, TimeUnit.SECONDS)).as("the migration to V3 began").isTrue();

        // What SpringApplicationShutdownHook does on SIGTERM; the starting thread is waiting (here in the
        // migration), as it often is on a connection, a lock or a file
        Thread hook = new Thread(() -> context.get().close(), "shutdown hook");
        hook.start();
        hook.join(1000);
        assertThat(hook.isAlive()).as("the stop waits for the migration in progress").isTrue();
        release.countDown();
        main.join(120_000);
        hook.join(120_000);
        assertThat(main.isAlive() || hook.isAlive()).isFalse();
        assertThat(startFailure.get()).isInstanceOf(StopDuringStart.Stopped.class);

        // What this start and its stop logged: the output is the whole JVM's, where a pool of another test's context
        // may log at the same moment (a connection refused by an embedded PostgreSQL stopped since)
        String said = ofThreads(output.getAll().substring(before), "starting", "shutdown hook");
        assertThat(said).contains("Mailtrail was stopped while it started")
                .doesNotContain("\tat ", "IO Exception", "Application run failed", "Started MailtrailApplication");

        // the migrations all done, nothing read yet
        List<Map<String, Object>> history;
        try (var c = java.sql.DriverManager.getConnection(url, user(db), user(db).equals("sa") ? "" : "postgres")) {
            JdbcTemplate jdbc = new JdbcTemplate(new org.springframework.jdbc.datasource.SingleConnectionDataSource(c,
                    true));
            history = versions(jdbc);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM log_file", Long.class)).isZero();
        }

        // the next start reads the log, as one on a database never stopped does
        Result again = startAndReadAll(db, url, logs, log);
        Result undisturbed = startAndReadAll(db, url(db, "undisturbed"), logs, log);
        assertThat(history).isEqualTo(undisturbed.history);
        assertThat(history).allSatisfy(row -> assertThat(row.get("success")).isIn(true, Boolean.TRUE));
        assertThat(again.counts).isEqualTo(undisturbed.counts);
        assertThat(again.counts.get(0)).isPositive();
        assertThat(again.counts.get(7)).as("duplicates").isZero();
    }

    private record Result(List<Map<String, Object>> history, List<Long> counts) {
    }

    private Result startAndReadAll(String db, String url, Path logs, Path log) throws Exception {
        var app = StopDuringStart.application(MailtrailApplication.class);
        try (ConfigurableApplicationContext c = app.run(args(db, url, logs))) {
            JdbcTemplate jdbc = c.getBean(JdbcTemplate.class);
            long size = Files.size(log);
            Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
            while (Instant.now().isBefore(deadline) && !Long.valueOf(size).equals(jdbc.queryForObject(
                    "SELECT MAX(position) FROM log_file WHERE state = 'tailing'", Long.class))) {
                Thread.sleep(100);
            }
            List<Long> counts = new ArrayList<>();
            jdbc.query(TABLES, rs -> {
                for (int i = 1; i <= 9; i++) {
                    counts.add(rs.getLong(i));
                }
            });
            assertThat(counts.get(8)).as("lines read").isEqualTo(Files.readAllLines(log).size());
            return new Result(versions(jdbc), counts);
        }
    }

    private static List<Map<String, Object>> versions(JdbcTemplate jdbc) {
        return jdbc.queryForList("SELECT \"version\", \"description\", \"checksum\", \"success\" FROM "
                + "\"flyway_schema_history\" ORDER BY \"installed_rank\"");
    }

    private String url(String db, String name) throws IOException {
        if (db.equals("postgres")) {
            return TestDatabase.emptyPostgresUrl();
        }
        return "jdbc:h2:file:" + Files.createDirectories(dir.resolve(name)).resolve("mailtrail")
                + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    private static String user(String db) {
        return db.equals("postgres") ? "postgres" : "sa";
    }

    private String[] args(String db, String url, Path logs) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--spring.main.banner-mode=off",
                "--spring.datasource.url=" + url, "--spring.datasource.username=" + user(db),
                "--spring.datasource.password=" + (db.equals("postgres") ? "postgres" : ""),
                "--mailtrail.tail.paths=" + logs, "--mailtrail.tail.interval=200ms",
                "--mailtrail.ingest.upload-dir=" + dir.resolve("uploads-" + url.hashCode())));
        if (db.equals("postgres")) {
            args.add("--spring.profiles.active=postgres");
        }
        return args.toArray(String[]::new);
    }

    /** Holds a migration at its start until released, as a long migration would keep the start there. */
    private static void hold(CountDownLatch migrating, CountDownLatch release) {
        migrating.countDown();
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the migration was interrupted", e);
        }
    }

    /**
     * The log records (a line with its stack trace lines, if any) written by the named threads. Spring Boot's console
     * pattern puts the thread's name, cut to its last 15 characters, in brackets.
     */
    private static String ofThreads(String out, String... threads) {
        StringBuilder kept = new StringBuilder();
        boolean keep = false;
        for (String line : out.split("\n", -1)) {
            if (line.matches("^\\d{4}-\\d{2}-\\d{2}T.*")) {
                keep = false;
                for (String t : threads) {
                    String shown = t.length() > 15 ? t.substring(t.length() - 15) : t;
                    keep |= line.contains("[" + " ".repeat(15 - shown.length()) + shown + "]");
                }
            }
            if (keep) {
                kept.append(line).append('\n');
            }
        }
        return kept.toString();
    }
}
