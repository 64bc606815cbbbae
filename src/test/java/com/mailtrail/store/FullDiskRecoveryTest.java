package com.mailtrail.store;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import com.jayway.jsonpath.JsonPath;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The disk under the H2 file fills up, H2 closes the database, and Mailtrail goes on without a restart: the pages read
 * what was committed before, the failed load says why, and once there is room again the same file loads. The disk
 * is H2's own file system abstraction over the real one, made to fail as a full disk does ({@link FullDisk}).
 */
@SpringBootTest
@AutoConfigureMockMvc
class FullDiskRecoveryTest {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        FullDisk.serverIn(registry, dir);
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    IngestEngine engine;

    @Autowired
    DataSource dataSource;

    @AfterEach
    void roomAgain() {
        FullDisk.full = false;
    }

    private static byte[] generate(int messages, long seed) throws java.io.IOException {
        StringWriter w = new StringWriter();
        new LogGenerator(GeneratorConfig.of(messages, seed)).generate(w, null);
        return w.toString().getBytes(StandardCharsets.UTF_8);
    }

    private IngestEngine.FileResult load(String name, long seed) throws Exception {
        return engine.ingest(engine.createSource("upload", name), name, new ByteArrayInputStream(generate(60, seed)),
                LogOptions.auto(), new Progress());
    }

    @Test
    void aFullDiskClosesTheDatabaseAndRoomAgainOpensItWithoutARestart() throws Exception {
        long first = load("first.log", 1).messages();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        jdbc.execute("CHECKPOINT"); // written out, as H2 does within a second of a commit

        FullDisk.full = true;
        // a change, then H2 writes its pages out (as it would within a second): the write fails, H2 closes the database
        jdbc.update("UPDATE log_source SET name = name || ''");
        assertThatThrownBy(() -> jdbc.execute("CHECKPOINT")).hasStackTraceContaining("No space left on device");
        // H2 closed the database when the write failed, and the pool let it go: the next load opens the file again,
        // stores its rows in H2's memory, and fails, in the user's terms, when H2 cannot write them (until this
        // release it said "done" when it met no closed database, and its rows were lost when H2 closed it)
        assertThatThrownBy(() -> load("second.log", 2)).hasMessage("cannot store second.log: the database could not "
                + "write or read its file " + dir.resolve("mailtrail.mv.db") + ": No space left on device (the lines "
                + "read since the database last wrote its file are not stored; load the file again once it can "
                + "write: the lines stored already are not added twice)");
        // reading needs no room (before the pool let the closed database go, every page was a 500 until a restart)
        mvc.perform(get("/api/messages")).andExpect(status().isOk()).andExpect(jsonPath("$.total").value(first));

        // Having opened the file again for that read, H2 may write to it within its write delay (half a second), fail
        // on the disk still full, and close the database once more, maybe only after there is room again: the load
        // right after the room is stored all the same (it failed about 1 run in 10 before; LeftOverWriteFailureTest
        // makes that moment certain).
        FullDisk.full = false;
        long second = load("second.log (again)", 2).messages();
        mvc.perform(get("/api/messages")).andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(first + second));

        // The disk fills again under an upload: its job says so in the same terms (it was H2's "General error: ..."
        // chain). H2 holds small commits in memory: this upload is large enough that H2 writes while it is read.
        FullDisk.full = true;
        String id = JsonPath.read(mvc.perform(multipart("/api/uploads").file(new MockMultipartFile("file",
                "third.log", "text/plain", generate(3000, 3)))).andExpect(status().isAccepted())
                .andReturn().getResponse().getContentAsString(), "$.id");
        String job = "";
        for (int i = 0; i < 300 && !job.matches("(?s)\\{\"id\":\"[^\"]*\",\"state\":\"(failed|done)\".*"); i++) {
            Thread.sleep(100);
            job = mvc.perform(get("/api/uploads/" + id)).andReturn().getResponse().getContentAsString();
        }
        assertThat(JsonPath.<String>read(job, "$.state")).isEqualTo("failed");
        // Where H2's write fails decides which step meets it (or, when the commits H2 lost are found first, the
        // engine says that, in its own words); whichever it is, the job speaks of the database, not in H2's terms.
        assertThat(JsonPath.<String>read(job, "$.error")).contains("the database ")
                .doesNotContain("General error", "IO Exception", "FileChannel", "SQL statement", "[50000", "[900");
    }
}
