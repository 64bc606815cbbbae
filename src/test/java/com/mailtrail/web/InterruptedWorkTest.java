package com.mailtrail.web;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.ingest.CrashingDataSource;
import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import javax.sql.DataSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * What a stop interrupted is dealt with by the next server as soon as it is up: a removal half way through is
 * finished, an upload cut short is failed. The database is prepared before the server starts, as a stop leaves it.
 */
@SpringBootTest
@AutoConfigureMockMvc
@TestPropertySource(properties = {"spring.datasource.url=" + InterruptedWorkTest.URL,
        "mailtrail.ingest.upload-dir=target/test-uploads/interrupted-work"})
class InterruptedWorkTest {

    static final String URL = "jdbc:h2:mem:interrupted-work;DB_CLOSE_DELAY=-1";
    private static long entriesKept;

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeAll
    static void aServerStoppedInTheMiddleOfARemoval() throws IOException {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(URL);
        ds.setUser("sa");
        Flyway.configure().dataSource(ds).load().migrate();
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 200);
        long kept = load(engine, "mail.log", 300, 51);
        long wrong = load(engine, "wrong-host.log", 100, 52);
        entriesKept = new JdbcTemplate(ds).queryForObject("SELECT entries FROM log_file WHERE source_id = ?",
                Long.class, kept);
        IngestEngine stopping = new IngestEngine(CrashingDataSource.failingBatch(ds, 3),
                Set.of("conversion", "reprocess", "process"), 200);
        assertThatThrownBy(() -> stopping.removeSources(List.of(wrong)));
        assertThat(stopping.rebuildPending()).isTrue();

        // and an upload and an import the stop cut short, as it leaves their rows: the source running, its file
        // being read
        cutShort(engine, ds, "upload", "cut-short.log");
        cutShort(engine, ds, "import", "imported.log");
    }

    private static void cutShort(IngestEngine engine, DataSource ds, String kind, String name) {
        long cut = engine.createSource(kind, name);
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        jdbc.update("UPDATE log_source SET created = ? WHERE id = ?", LocalDateTime.now().minusMinutes(5), cut);
        jdbc.update("INSERT INTO log_file (id, source_id, name, head_length, position, lines, entries, rejected, "
                + "duplicates, state, updated) VALUES (?, ?, ?, 0, 4096, 17, 17, 0, 0, 'reading', ?)",
                cut + 1, cut, name, LocalDateTime.now().minusMinutes(5));
    }

    private static long load(IngestEngine engine, String name, int messages, long seed) throws IOException {
        StringWriter w = new StringWriter();
        new LogGenerator(GeneratorConfig.of(messages, seed)).generate(w, null);
        long source = engine.createSource("upload", name);
        engine.ingest(source, name, new ByteArrayInputStream(w.toString().getBytes(StandardCharsets.UTF_8)),
                LogOptions.auto(), new Progress());
        engine.finishSource(source, null);
        return source;
    }

    @Test
    void anUploadAndAnImportTheStopCutShortAreFailedOnceUp() {
        for (String name : List.of("cut-short.log", "imported.log")) {
            assertThat(jdbc.queryForObject("SELECT state FROM log_source WHERE name = ?", String.class, name))
                    .isEqualTo("failed");
            assertThat(jdbc.queryForObject("SELECT error FROM log_file WHERE name = ?", String.class, name))
                    .isEqualTo("interrupted: Mailtrail stopped while reading this file, after line 17; load the "
                            + "file again: the lines stored already are not added twice");
        }
    }

    @Test
    void theNextServerFinishesItOnceUp() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        String body = "";
        while (Instant.now().isBefore(deadline) && !body.contains("\"state\":\"done\"")) {
            Thread.sleep(50);
            body = mvc.perform(get("/api/sources/removal")).andReturn().getResponse().getContentAsString();
        }
        assertThat(body).contains("\"state\":\"done\"", "\"source\":\"(continued after a stop)\"");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM log_file WHERE replayed IS NOT NULL", Long.class))
                .isZero();
        assertThat(jdbc.queryForList("SELECT name FROM log_source ORDER BY id", String.class))
                .containsExactly("mail.log", "cut-short.log", "imported.log");
        assertThat(jdbc.queryForObject("SELECT entries FROM log_file WHERE name = 'mail.log'", Long.class))
                .isEqualTo(entriesKept);
        String page = mvc.perform(get("/sources")).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("Finishing the rebuild a stop", "Done at");
    }
}
