package com.mailtrail.ingest.upload;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.ingest.H2Compaction;
import com.mailtrail.web.LocalHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The running server compacts its H2 file after a large upload (here: more than 2,000 entries): the file ends no
 * larger than the log, requests made while the pool is suspended wait and succeed, nothing is lost, H2 leaves no
 * trace file of errors, and the next upload is stored as usual.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CompactionJourneyTest {

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:h2:file:" + dir.resolve("db").resolve("mailtrail")
                + ";AUTO_SERVER=FALSE;CACHE_SIZE=8192");
        registry.add("mailtrail.ingest.upload-dir", () -> dir.resolve("uploads").toString());
        registry.add("mailtrail.ingest.compact-after", () -> "2000");
        registry.add("mailtrail.ingest.compact-wait", () -> "2s");
    }

    @RegisterExtension
    final LocalHttp http = new LocalHttp();

    @Autowired
    H2Compaction compaction;

    @Autowired
    DataSource dataSource;

    @Test
    void aLargeUploadIsFollowedByACompactionThatLosesNothingAndFailsNoRequest() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                try {
                    statuses.add(http.get("/api/messages?status=deferred&size=5").statusCode());
                } catch (RuntimeException e) {
                    statuses.add(-1);
                }
            }
        });
        reader.start();
        UploadClient client = new UploadClient(http);
        byte[] day = log(1500, 3);
        JsonNode first = client.upload("day-1.log", day);
        long entries = first.path("entries").asLong();
        assertThat(entries).isGreaterThan(2000);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (compaction.last().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        stop.set(true);
        reader.join();

        H2Compaction.Result r = compaction.last().orElseThrow(() -> new AssertionError("not compacted within 30 s: "
                + compaction.failure().map(H2Compaction.Failure::reason).orElse("it was not tried")));
        // the requests running meanwhile open the database again after the compaction, and H2 may add a small chunk
        // of its own then (8 KiB seen, on a loaded machine)
        long size = Files.size(dir.resolve("db").resolve("mailtrail.mv.db"));
        assertThat(r.bytesAfter()).isLessThan(r.bytesBefore()).isLessThan(day.length);
        assertThat(size).isBetween(r.bytesAfter(), r.bytesAfter() + 64 * 1024).isLessThan(day.length);
        assertThat(dir.resolve("db").resolve("mailtrail.trace.db")).doesNotExist();
        assertThat(statuses).isNotEmpty().containsOnly(200);
        JsonNode database = client.get("/api/database");
        assertThat(database.path("kind").asString()).isEqualTo("H2");
        assertThat(database.path("bytes").asLong()).isBetween(r.bytesAfter(), r.bytesAfter() + 64 * 1024);
        assertThat(database.path("compactAfter").asLong()).isEqualTo(2000);
        assertThat(database.path("lastCompaction").path("bytesAfter").asLong()).isEqualTo(r.bytesAfter());
        assertThat(database.path("lastCompaction").path("at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*");
        assertThat(database.path("compactionFailure").isNull()).isTrue();
        String page = client.page("/sources");
        // both conditions, as the README gives them: the page said "after every 2,000 entries" alone
        assertThat(page.replaceAll("\\s+", " ")).contains("Database: <span>H2</span>", "Compacted at",
                "compacted once <span>2,000</span> entries have come in since the last time and the file has grown "
                        + "by half");
        long messages = client.get("/api/messages?size=1").path("total").asLong();
        assertThat(messages).isEqualTo(first.path("messages").asLong());

        // the pool is back: the next upload is stored and found
        JsonNode second = client.upload("day-2.log", log(40, 4));
        assertThat(second.path("state").asString()).isEqualTo("done");
        assertThat(client.get("/api/messages?size=1").path("total").asLong())
                .isEqualTo(messages + second.path("messages").asLong());

        // a connection kept longer than compact-wait: no compaction, the page and the API say why, the pool goes on
        try (Connection held = dataSource.getConnection()) {
            assertThat(compaction.compact()).isEmpty();
            assertThat(client.get("/api/messages?size=1").path("total").asLong()).isPositive();
        }
        JsonNode failed = client.get("/api/database");
        assertThat(failed.path("compactionFailure").path("reason").asString())
                .isEqualTo("connections still in use after 2.0 s");
        assertThat(failed.path("lastCompaction").path("bytesAfter").asLong()).isEqualTo(r.bytesAfter());
        assertThat(client.page("/sources")).containsPattern(
                "Not\\s+compacted at <span>\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d</span>:\\s+"
                        + "<span>connections still in use after 2.0 s</span>");
    }

    private static byte[] log(int messages, long seed) throws IOException {
        StringWriter out = new StringWriter();
        new LogGenerator(GeneratorConfig.of(messages, seed)).generate(out, null);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }
}
