package com.mailtrail.ingest;

import com.mailtrail.MailtrailApplication;
import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.parse.LogOptions;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The command-line import on a database a stop left half rebuilt: it says so, finishes the rebuild, then imports. */
class ImportCommandTest {

    @TempDir
    Path dir;

    private static String log(int messages, long seed) throws IOException {
        StringWriter w = new StringWriter();
        new LogGenerator(GeneratorConfig.of(messages, seed)).generate(w, null);
        return w.toString();
    }

    @Test
    void anImportFirstFinishesARebuildAStopInterrupted() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("mailtrail");
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(url);
        ds.setUser("sa");
        Flyway.configure().dataSource(ds).load().migrate();
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 200);
        for (String name : List.of("mail.log", "wrong.log")) {
            long source = engine.createSource("upload", name);
            engine.ingest(source, name, new ByteArrayInputStream(log(200, name.length()).getBytes(
                    StandardCharsets.UTF_8)), LogOptions.auto(), new Progress());
            engine.finishSource(source, null);
        }
        long wrong = new JdbcTemplate(ds).queryForObject("SELECT id FROM log_source WHERE name = 'wrong.log'",
                Long.class);
        IngestEngine stopping = new IngestEngine(CrashingDataSource.failingBatch(ds, 2),
                Set.of("conversion", "reprocess", "process"), 200);
        assertThatThrownBy(() -> stopping.removeSources(List.of(wrong)));
        Path more = Files.writeString(dir.resolve("more.log"), log(50, 99));

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        int status;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = ImportCommand.run(MailtrailApplication.class, new String[]{"--spring.datasource.url=" + url,
                    more.toString()});
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }

        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("import: first finishing the rebuild that "
                + "removing a log source began: the stored text of the other files is read again");
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("imported ");
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM log_file WHERE replayed IS NOT NULL", Long.class))
                .isZero();
        assertThat(jdbc.queryForList("SELECT name FROM log_source ORDER BY id", String.class))
                .containsExactly("mail.log", more.toString());
    }
}
