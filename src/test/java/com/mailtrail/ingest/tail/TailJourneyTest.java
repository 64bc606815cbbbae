package com.mailtrail.ingest.tail;

import com.mailtrail.web.LocalHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The application follows a log directory on its own, and shows how far it has read at /api/sources. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:tail-journey;DB_CLOSE_DELAY=-1",
        "mailtrail.tail.interval=100ms"})
class TailJourneyTest {

    @TempDir
    static Path logs;

    @DynamicPropertySource
    static void tailed(DynamicPropertyRegistry registry) {
        registry.add("mailtrail.tail.paths", () -> logs.toString());
    }

    @RegisterExtension
    final LocalHttp http = new LocalHttp();

    @Autowired
    TailPoller poller;


    @Test
    void newLinesShowUpWithoutAnyRequest() throws Exception {
        assertThat(poller.isRunning()).isTrue();
        LogText text = LogText.generate(150, 61);
        List<byte[]> p = text.pieces(2);
        Path current = logs.resolve("mail.log_current");
        Files.write(current, p.get(0));
        long firstEntries = LogText.read(p.get(0)).entries();
        // The entries are counted at the batch's commit, while the round that read them still says "reading":
        // wait for the round's end, on a busy machine it comes later
        JsonNode file = awaitFile(f -> f.path("entries").asLong() == firstEntries
                && f.path("state").asString().equals("tailing"));
        assertThat(file.path("name").asString()).isEqualTo("mail.log_current");
        assertThat(file.path("state").asString()).isEqualTo("tailing");
        assertThat(file.path("lag").asLong()).isZero();

        Files.write(current, p.get(1), StandardOpenOption.APPEND);
        long allEntries = LogText.read(text.bytes()).entries();
        file = awaitFile(f -> f.path("entries").asLong() == allEntries);
        assertThat(file.path("position").asLong()).isEqualTo(text.bytes().length);
        assertThat(file.path("size").asLong()).isEqualTo(text.bytes().length);
        assertThat(file.path("lines").asLong()).isEqualTo(text.lines());
        assertThat(file.path("cut").asLong()).isZero();

        // A line over 64 KiB is stored cut: the Sources page says so beside the rejected lines
        Files.writeString(current, "20-Nov-2026 00:03:30.31 38ee.b.0 tcp_local    +            O "
                + "TCP|192.0.2.25|25|203.0.113.29|55802 SMTP " + "x".repeat(70_000) + "\n", StandardOpenOption.APPEND);
        file = awaitFile(f -> f.path("lines").asLong() == text.lines() + 1);
        assertThat(file.path("cut").asLong()).isEqualTo(1);
        assertThat(file.path("cutLines").valueStream().map(JsonNode::asLong)).containsExactly(text.lines() + 1);

        // logrotate's copytruncate, with lines written after the last look (no round runs meanwhile: a round holds
        // the poller's lock): they are read from the copy, which mailtrail.tail.files does not match; the truncation
        // is a notice, not an error, and the lag is known
        byte[] more = LogText.generate(20, 62).bytes();
        long linesCopied = text.lines() + 1 + LogText.read(more).lines();
        synchronized (poller) {
            Files.write(current, more, StandardOpenOption.APPEND);
            Files.copy(current, logs.resolve("mail.log_current.1"));
            Files.write(current, p.get(0));
        }
        JsonNode truncated = awaitFile(f -> f.path("state").asString().equals("truncated"));
        assertThat(truncated.path("notice").asString()).startsWith("truncated: found at ")
                .contains("the " + (text.lines() + 1) + " lines read from it are kept")
                .contains("The " + LogText.read(more).lines() + " lines written after that look were read from its "
                        + "copy mail.log_current.1");
        // Its lines are in the copy now, mail.log_current holding other lines: the row, and the lines it cites on a
        // message's page and in the API, name the copy
        assertThat(truncated.path("name").asString()).isEqualTo("mail.log_current.1");
        assertThat(truncated.path("notice").asString()).endsWith("Shown under its copy's name since, its lines being "
                + "in mail.log_current.1 now: mail.log_current, emptied, holds other lines");
        long message = http.json("/api/messages").path("items").path(0).path("id").asLong();
        List<String> cited = http.json("/api/messages/" + message).findValues("file").stream()
                .map(JsonNode::asString).distinct().toList();
        assertThat(cited).containsExactly("mail.log_current.1");
        assertThat(http.ok("/messages/" + message)).contains("mail.log_current.1:")
                .doesNotContain("mail.log_current:");
        assertThat(truncated.path("lines").asLong()).isEqualTo(linesCopied);
        assertThat(truncated.path("error").isNull()).isTrue();
        assertThat(truncated.path("lag").asLong()).isZero();
        assertThat(truncated.path("lagAtLeast").isNull()).isTrue();
        String page = http.ok("/sources");
        String row = page.substring(page.indexOf("id=\"file-" + truncated.path("id").asLong() + "\""));
        // its figures, and its notes on the line under them
        int next = row.indexOf("class=\"source-file", row.indexOf("</tr>"));
        row = row.substring(0, next >= 0 ? next : row.indexOf("</tbody>"));
        assertThat(row).contains(">mail.log_current.1</td>")
                .contains("<span class=\"file-notice\">truncated: found at ").doesNotContain("class=\"error")
                .doesNotContain(">unknown</td>");
    }

    private JsonNode awaitFile(Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            JsonNode tail = http.json("/api/sources").valueStream()
                    .filter(s -> s.path("kind").asString().equals("tail")).findFirst().orElse(null);
            if (tail != null) {
                assertThat(tail.path("name").asString()).isEqualTo(logs.toAbsolutePath().normalize().toString());
                last = tail.path("files").path(0);
                if (!last.isMissingNode() && done.test(last)) {
                    return last;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the tailer did not get there; last seen: " + last);
    }
}
