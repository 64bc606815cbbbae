package com.mailtrail.ingest;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.jayway.jsonpath.JsonPath;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The server with {@code mailtrail.retention.days} set: the Sources page and {@code GET /api/database} say how much is
 * kept and what the last look removed. (The scheduler's first look comes a minute after the start; the test looks
 * itself.)
 */
@SpringBootTest
@AutoConfigureMockMvc
@TestPropertySource(properties = {"spring.datasource.url=jdbc:h2:mem:retention;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/retention", "mailtrail.retention.days=3"})
class RetentionJourneyTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    IngestEngine engine;

    @Autowired
    Retention retention;

    /** The page with its runs of white space made one space, as a reader sees it. */
    private String sourcesPage() throws Exception {
        return mvc.perform(get("/sources")).andExpect(status().isOk()).andReturn().getResponse().getContentAsString()
                .replaceAll("\\s+", " ");
    }

    @Test
    void theSourcesPageAndTheApiSayWhatIsKeptAndWhatWasRemoved() throws Exception {
        for (LocalDate day : new LocalDate[]{LocalDate.of(2026, 3, 2), LocalDate.of(2026, 3, 9)}) {
            StringWriter w = new StringWriter();
            new LogGenerator(new GeneratorConfig(40, day.getDayOfMonth(), null, 1, day)).generate(w, null);
            engine.ingest(engine.createSource("upload", "mail-" + day + ".log"), "mail-" + day + ".log",
                    new ByteArrayInputStream(w.toString().getBytes(StandardCharsets.UTF_8)), LogOptions.auto(),
                    new Progress());
        }
        String before = sourcesPage();
        assertThat(before).contains("Keeps <span>3</span> days of log time, counted back from the newest message.")
                .doesNotContain("it removed");

        Retention.Run run = retention.runOnce();
        assertThat(run.removed().messages()).isPositive();

        assertThat(sourcesPage()).contains("it removed <span>" + run.removed().messages() + "</span> messages from "
                + "before <span>" + run.removed().cutoff().toString().replace('T', ' ').substring(0, 16) + "</span>");
        String json = mvc.perform(get("/api/database")).andExpect(status().isOk())
                .andExpect(jsonPath("$.retentionDays").value(3))
                .andExpect(jsonPath("$.lastPurge.removed.messages").value(run.removed().messages()))
                .andReturn().getResponse().getContentAsString();
        assertThat(LocalDateTime.parse(JsonPath.<String>read(json, "$.lastPurge.removed.cutoff")))
                .isEqualTo(run.removed().cutoff());
    }
}
