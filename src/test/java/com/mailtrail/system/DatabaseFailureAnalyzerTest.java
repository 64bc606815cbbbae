package com.mailtrail.system;

import com.mailtrail.MailtrailApplication;
import com.mailtrail.ingest.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Start-up failures of the database are explained, not dumped: each case is the real exception of the real driver
 * (H2, the PostgreSQL driver against a closed port and against the embedded server), wrapped as Flyway wraps it.
 * The H2 file held by another process needs a second process: JarCommandsIT runs that one with the jar.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseFailureAnalyzerTest {

    private static FailureAnalysis analyze(String url, String user, String password) {
        SQLException e = null;
        try (Connection ignored = DriverManager.getConnection(url, user, password)) {
            // connected: nothing to analyze
        } catch (SQLException thrown) {
            e = thrown;
        }
        assertThat((Throwable) e).as("connecting to " + url + " fails").isNotNull();
        MockEnvironment env = new MockEnvironment().withProperty("spring.datasource.url", url)
                .withProperty("spring.datasource.username", user);
        return new DatabaseFailureAnalyzer(env).analyze(new IllegalStateException("Unable to obtain connection", e));
    }

    @Test
    void postgresThatIsNotListeningIsNamedWithWhatToCheck() {
        FailureAnalysis a = analyze("jdbc:postgresql://127.0.0.1:1/mailtrail?connectTimeout=5", "mailtrail", "secret");
        assertThat(a.getDescription()).startsWith("PostgreSQL at jdbc:postgresql://127.0.0.1:1/mailtrail")
                .contains("cannot be reached");
        assertThat(a.getAction()).contains("MAILTRAIL_DB_URL");
    }

    @Test
    void postgresWithoutTheDatabaseSaysToCreateIt() {
        String url = TestDatabase.emptyPostgresUrl().replaceFirst("/mailtrail\\d+", "/nosuchdb");
        FailureAnalysis a = analyze(url, "postgres", "postgres");
        assertThat(a.getDescription()).contains("has no such database", "nosuchdb");
        // the database the URL names, not always "mailtrail" (the action said createdb -O postgres mailtrail)
        assertThat(a.getAction()).contains("createdb -O postgres nosuchdb");
    }

    @Test
    void postgresRefusingTheUserNamesTheUserAndTheVariables() {
        // without the URL's own ?user=postgres, which the driver would take instead
        FailureAnalysis a = analyze(TestDatabase.emptyPostgresUrl().replaceFirst("\\?.*", ""), "nobody", "x");
        assertThat(a.getDescription()).contains("refused user nobody");
        assertThat(a.getAction()).contains("MAILTRAIL_DB_USER", "MAILTRAIL_DB_PASSWORD");
    }

    @Test
    void h2FileThatIsNotADatabaseSaysHowToStartAgain(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("mailtrail.mv.db"), "this is a mail log, not a database\n".repeat(200));
        FailureAnalysis a = analyze("jdbc:h2:file:" + dir.resolve("mailtrail"), "sa", "");
        assertThat(a.getDescription()).contains("cannot be read");
        assertThat(a.getAction()).contains("backup", "imported again");
    }

    @Test
    void h2WithAnotherPasswordSaysWhichSettingsToGive(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("mailtrail");
        try (Connection c = DriverManager.getConnection(url, "sa", "right")) {
            c.createStatement().execute("SHUTDOWN");
        }
        FailureAnalysis a = analyze(url, "sa", "wrong");
        assertThat(a.getDescription()).contains("refused the user name or password");
        assertThat(a.getAction()).contains("--spring.datasource.password");
    }

    @Test
    void otherFailuresAreLeftToSpringBoot() {
        MockEnvironment env = new MockEnvironment().withProperty("spring.datasource.url", "jdbc:h2:mem:x");
        DatabaseFailureAnalyzer analyzer = new DatabaseFailureAnalyzer(env);
        assertThat(analyzer.analyze(new IllegalStateException("no database involved"))).isNull();
        assertThat(analyzer.analyze(new SQLException("syntax", "42000", 42000))).isNull();
    }

    @Test
    void aPasswordInTheUrlIsNotPrinted() {
        assertThat(DatabaseFailureAnalyzer.redacted("jdbc:postgresql://db/mailtrail?user=m&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db/mailtrail?user=m&password=***&ssl=true");
        assertThat(DatabaseFailureAnalyzer.redacted("jdbc:h2:file:./x;PASSWORD=abc;CACHE_SIZE=8"))
                .isEqualTo("jdbc:h2:file:./x;PASSWORD=***;CACHE_SIZE=8");
    }

    @Test
    void theApplicationPrintsTheExplanationInsteadOfAStackTrace(CapturedOutput output) {
        String url = TestDatabase.emptyPostgresUrl().replaceFirst("/mailtrail\\d+", "/nosuchdb");
        assertThatThrownBy(() -> new SpringApplicationBuilder(MailtrailApplication.class)
                .web(WebApplicationType.NONE)
                .run("--spring.profiles.active=postgres", "--spring.datasource.url=" + url,
                        "--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
                        "--mailtrail.tail.paths="))
                .isNotNull();
        assertThat(output.getAll()).contains("APPLICATION FAILED TO START", "has no such database", "createdb")
                .doesNotContain("\tat org.postgresql");
    }
}
