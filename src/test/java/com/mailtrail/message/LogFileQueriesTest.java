package com.mailtrail.message;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Raw lines come back exactly as read, from whichever compressed block holds them; rejected lines are listed. */
@SpringBootTest(properties = "spring.datasource.url=jdbc:h2:mem:rawlines;DB_CLOSE_DELAY=-1")
@AutoConfigureMockMvc
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogFileQueriesTest {

    static final String GARBAGE_1 = "this is not an entry";
    static final String GARBAGE_2 = "éèê \"quoted\" <b>not html</b>";

    @Autowired
    LogFileQueries files;

    @Autowired
    DataSource dataSource;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MockMvc mvc;

    List<String> lines;
    long fileId;

    @BeforeAll
    void importWithTwoBadLines() throws Exception {
        StringWriter out = new StringWriter();
        new LogGenerator(GeneratorConfig.of(300, 7)).generate(out, null);
        lines = new ArrayList<>(Arrays.asList(out.toString().split("\n")));
        lines.add(3, GARBAGE_1);   // line 4
        lines.add(700, GARBAGE_2); // line 701
        byte[] bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        IngestEngine engine = new IngestEngine(dataSource, Set.of("conversion", "reprocess", "process"), 1000);
        fileId = engine.ingest(engine.createSource("test", "x"), "with-bad-lines.log", new ByteArrayInputStream(bytes),
                LogOptions.auto(), new Progress()).fileId();
    }

    @Test
    void everyLineComesBackAsReadAcrossBlocks() {
        assertThat(jdbc.sql("SELECT COUNT(*) FROM raw_block WHERE file_id = :f").param("f", fileId)
                .query(Long.class).single()).as("blocks").isGreaterThan(2);
        for (int n = 1; n <= lines.size(); n++) {
            RawLine raw = files.line(fileId, n);
            assertThat(raw.text()).as("line %d", n).isEqualTo(lines.get(n - 1));
            assertThat(raw.name()).isEqualTo("with-bad-lines.log");
        }
    }

    @Test
    void lineOutsideTheFileIsNotFound() {
        assertThatThrownBy(() -> files.line(fileId, 0)).isInstanceOf(MessageNotFoundException.class);
        assertThatThrownBy(() -> files.line(fileId, lines.size() + 1)).isInstanceOf(MessageNotFoundException.class);
        assertThatThrownBy(() -> files.line(fileId + 123_456, 1)).isInstanceOf(MessageNotFoundException.class)
                .hasMessage("no log file with id " + (fileId + 123_456));
    }

    @Test
    void rejectedLinesAreListedWithTheirReasonAndText() throws Exception {
        PageResult<RejectedLine> page = files.rejected(fileId, 0, 50);
        assertThat(page.total()).isEqualTo(2);
        assertThat(page.items()).extracting(RejectedLine::line).containsExactly(4L, 701L);
        assertThat(page.items()).extracting(RejectedLine::text).containsExactly(GARBAGE_1, GARBAGE_2);
        assertThat(page.items()).allSatisfy(r -> assertThat(r.reason()).isNotBlank());
        assertThat(files.rejected(fileId, 1, 1).items()).extracting(RejectedLine::line).containsExactly(701L);

        mvc.perform(get("/api/files/{file}/rejected?size=1", fileId))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(2))
                .andExpect(jsonPath("$.size").value(1))
                .andExpect(jsonPath("$.items[0].line").value(4))
                .andExpect(jsonPath("$.items[0].text").value(GARBAGE_1));
        mvc.perform(get("/api/files/{file}/lines/{line}", fileId, 701))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.text").value(GARBAGE_2));
        mvc.perform(get("/api/files/{file}/rejected", fileId + 123_456))
                .andExpect(status().isNotFound())
                .andExpect(jsonPath("$.error").value("no log file with id " + (fileId + 123_456)));
    }
}
