package com.mailtrail.web;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Removing a source from the Sources page and through the API: what may go, what may not and why, and how it ends. */
@SpringBootTest
@AutoConfigureMockMvc
@TestPropertySource(properties = {"spring.datasource.url=jdbc:h2:mem:source-removal;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/source-removal"})
class SourceRemovalPagesTest {

    static final String SCRIPT = "<script>alert(1)</script>";

    @TempDir
    static Path followed;

    @DynamicPropertySource
    static void tailPaths(DynamicPropertyRegistry registry) {
        registry.add("mailtrail.tail.paths", () -> followed.toString());
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    IngestEngine engine;

    @Autowired
    JdbcTemplate jdbc;

    private final JsonMapper json = JsonMapper.builder().build();

    private long load(String name, String text) throws IOException {
        long source = engine.createSource("upload", name);
        engine.ingest(source, name, new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), LogOptions.auto(),
                new Progress());
        engine.finishSource(source, null);
        return source;
    }

    private static List<String> generated() throws IOException {
        StringWriter w = new StringWriter();
        new LogGenerator(GeneratorConfig.of(200, 41)).generate(w, null);
        return w.toString().lines().toList();
    }

    private JsonNode removalWhenOver() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            JsonNode r = json.readTree(mvc.perform(get("/api/sources/removal")).andReturn().getResponse()
                    .getContentAsString());
            String state = r.path("state").asString();
            if (state.equals("done") || state.equals("failed") || Instant.now().isAfter(deadline)) {
                return r;
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aWrongUploadIsRemovedFromThePageAndWhatTheOtherFileBroughtStays() throws Exception {
        List<String> lines = generated();
        String first = String.join("\n", lines.subList(0, lines.size() / 2)) + "\n";
        String all = String.join("\n", lines) + "\n";
        long wrong = load(SCRIPT, first);
        long kept = load("mail.log", all); // its first half came with the other upload: duplicates until it goes
        assertThat(jdbc.queryForObject("SELECT duplicates FROM log_file WHERE source_id = ?", Long.class, kept))
                .isPositive();

        String page = mvc.perform(get("/sources")).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
        assertThat(page).contains("action=\"/sources/" + wrong + "/remove\"", "action=\"/sources/" + kept + "/remove\"",
                "Remove this source", "href=\"/search?source=" + wrong + "\"").doesNotContain(SCRIPT);

        mvc.perform(post("/sources/" + wrong + "/remove"))
                .andExpect(status().is3xxRedirection()).andExpect(header().string("Location", "/sources"));
        JsonNode removal = removalWhenOver();
        assertThat(removal.path("state").asString()).isEqualTo("done");
        assertThat(removal.path("sourceId").asLong()).isEqualTo(wrong);
        assertThat(removal.path("source").asString()).isEqualTo("upload " + SCRIPT);

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM log_source WHERE id = ?", Long.class, wrong)).isZero();
        assertThat(jdbc.queryForObject("SELECT entries + duplicates + rejected FROM log_file WHERE source_id = ?",
                Long.class, kept)).isEqualTo(lines.size());
        assertThat(jdbc.queryForObject("SELECT duplicates FROM log_file WHERE source_id = ?", Long.class, kept))
                .isZero();
        page = mvc.perform(get("/sources")).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("id=\"removal\"", "data-state=\"done\"", "Removing <span class=\"mono\">upload "
                + "&lt;script&gt;alert(1)&lt;/script&gt;</span>", "Done at").doesNotContain(SCRIPT);
        // what went, though its rows are gone (FinishedRemovalTest checks the counts on both databases)
        String half = String.format(java.util.Locale.ROOT, "%,d", lines.size() / 2);
        assertThat(page).contains("<span class=\"removed-counts\">1 file, " + half + " lines, " + half
                + " entries</span> removed;");
    }

    @Test
    void whatCannotBeRemovedIsRefusedWithTheReason() throws Exception {
        long tail = jdbc.queryForObject("SELECT id FROM log_source WHERE kind = 'tail'", Long.class);
        String tailAnswer = mvc.perform(delete("/api/sources/" + tail)).andExpect(status().isConflict())
                .andReturn().getResponse().getContentAsString();
        assertThat(json.readTree(tailAnswer).path("error").asString())
                .isEqualTo(followed.toAbsolutePath().normalize() + " is still followed (mailtrail.tail.paths): it "
                        + "would be read again from the start at the next round. Take it out of mailtrail.tail.paths, "
                        + "restart, then remove it");
        String page = mvc.perform(get("/sources")).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("Followed now: to remove it").doesNotContain("action=\"/sources/" + tail + "/remove\"");

        long reading = engine.createSource("upload", "still-reading.log"); // not finished: being read
        mvc.perform(delete("/api/sources/" + reading)).andExpect(status().isConflict());
        String refused = mvc.perform(post("/sources/" + reading + "/remove")).andExpect(status().isConflict())
                .andReturn().getResponse().getContentAsString();
        assertThat(refused).contains("still-reading.log is still being read; remove it when it is done");
        engine.finishSource(reading, null);

        String missing = mvc.perform(delete("/api/sources/987654321")).andExpect(status().isNotFound())
                .andReturn().getResponse().getContentAsString();
        assertThat(json.readTree(missing).path("error").asString()).isEqualTo("there is no log source 987654321");
    }

    @Test
    void whileTheRebuildRunsEveryPageSaysHowFarItHasCome() throws Exception {
        StringWriter w = new StringWriter();
        new LogGenerator(GeneratorConfig.of(3000, 43)).generate(w, null);
        load("large.log", w.toString()); // about 20,000 lines: read again for a while
        long small = load("small.log", String.join("\n", generated().subList(0, 40)) + "\n");
        Thread removing = new Thread(() -> engine.removeSources(List.of(small)));
        removing.start();
        String seen = null;
        while (seen == null && removing.isAlive()) {
            String page = mvc.perform(get("/search")).andReturn().getResponse().getContentAsString();
            if (page.contains("id=\"rebuild-notice\"")) {
                seen = page.replaceAll("\\s+", " ");
            }
        }
        removing.join();
        assertThat(seen).as("the notice while the rebuild ran").isNotNull()
                .containsPattern("A source is being removed: the database is being built again from the other files "
                        + "\\(<span>[0-9,]+ of [0-9,]+ lines</span>\\)\\. Until it is done, searches and charts show only "
                        + "part of what is stored");
        assertThat(mvc.perform(get("/search")).andReturn().getResponse().getContentAsString())
                .doesNotContain("rebuild-notice");
    }

    @Test
    void theApiAnswers202WithWhereToFollowTheRebuild() throws Exception {
        long source = load("api.log", String.join("\n", generated().subList(0, 50)) + "\n");
        String accepted = mvc.perform(delete("/api/sources/" + source)).andExpect(status().isAccepted())
                .andExpect(header().string("Location", "/api/sources/removal"))
                .andReturn().getResponse().getContentAsString();
        assertThat(json.readTree(accepted).path("sourceId").asLong()).isEqualTo(source);
        assertThat(removalWhenOver().path("state").asString()).isEqualTo("done");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM log_file WHERE source_id = ?", Long.class, source))
                .isZero();
    }
}
