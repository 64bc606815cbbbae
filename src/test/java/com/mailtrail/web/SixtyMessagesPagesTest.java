package com.mailtrail.web;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The search, its CSV download and the message page over real HTTP, on a small log loaded through the real write path. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:sixty-messages;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/sixty-messages"})
class SixtyMessagesPagesTest {

    /**
     * 60 messages from one sender, enqueued on the minute (10:00:00.00) and delivered 5.20 s later; of 2 blocks, the
     * last of 1.
     */
    private static String log() {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            String t = "02-Mar-2026 %02d:%02d:".formatted(10 + i / 60, i % 60);
            String rest = " csv@example.com rfc822;to%d@example.net to%d@example.net /q/tcp_local/ZZc%d.00 <csv-%d@example.com>"
                    .formatted(i, i, i, i);
            int size = i == 59 ? 1 : 2;
            log.append(t).append("00.00 tcp_local    tcp_local    E ").append(size).append(rest).append(" mx\n");
            log.append(t).append("05.20 tcp_local                 D ").append(size).append(rest).append(" smtp;250 ok\n");
        }
        return log.toString();
    }

    @RegisterExtension
    final LocalHttp http = new LocalHttp();

    @BeforeEach
    void load() throws Exception {
        http.importOnce("csv.log", log());
    }

    /**
     * The CSV's times are written as the API writes them, in one shape whatever their value: they were Java's
     * LocalDateTime.toString, which leaves out zero seconds and writes hundredths as milliseconds, so that one column
     * held 2026-03-02T10:00, 2026-03-02T10:00:05.200 and 2026-03-02T10:00:05 (found by QA).
     */
    @Test
    void csvTimesAreWrittenAsTheApiWritesThem() throws Exception {
        List<String> rows = http.ok("/search.csv?sender=csv@example.com&sort=time,asc").lines().toList();
        assertThat(rows).hasSize(61);
        assertThat(rows.get(1)).endsWith(",<csv-0@example.com>,csv@example.com,2,2026-03-02T10:00:00,"
                + "2026-03-02T10:00:05.2,delivered,1");
        JsonNode api = http.json("/api/messages?sender=csv@example.com&sort=time,asc&size=500");
        List<String> apiTimes = new ArrayList<>();
        api.path("items").forEach(m -> apiTimes.add(m.path("firstSeen").asString() + "," + m.path("lastSeen").asString()));
        List<String> csvTimes = rows.subList(1, rows.size()).stream().map(r -> {
            String[] cells = r.split(",");
            return cells[4] + "," + cells[5];
        }).toList();
        assertThat(csvTimes).isEqualTo(apiTimes);
    }

    /**
     * A page number past the last (an old bookmark, a hand-edited address) says so and links to the last page: the
     * Search page said "Page 1000 of 2" above an empty table, its Previous link went to page 999, as empty; with
     * fewer results than a page there was no pager at all, only "1 message" and an empty table (found by QA).
     */
    @Test
    void aPagePastTheLastSaysSoAndLinksToTheLastPage() throws Exception {
        String past = http.ok("/search?sender=csv@example.com&page=999");
        assertThat(past).contains("60</strong>", "Page 1000 is past the last page, 2")
                .contains("<a href=\"/search?sender=csv@example.com&amp;page=1\" rel=\"prev\">&larr; Last page</a>")
                .doesNotContain("Page 1000 of", "rel=\"next\"", "page=998");
        assertThat(http.ok("/search?sender=csv@example.com&page=1")).contains("Page 2 of 2")
                .contains("<a href=\"/search?sender=csv@example.com&amp;page=0\" rel=\"prev\">&larr; Previous</a>");
        assertThat(http.ok("/search?sender=csv@example.com&page=0")).contains("Page 1 of 2")
                .doesNotContain("rel=\"prev\"");

        String small = http.ok("/search?recipient=to7@example.net&page=3");
        assertThat(small).contains("Page 4 is past the last page, 1")
                .contains("<a href=\"/search?recipient=to7@example.net&amp;page=0\" rel=\"prev\">&larr; Last page</a>");
        assertThat(http.ok("/search?recipient=to7@example.net")).doesNotContain("class=\"pager\"");
        assertThat(http.ok("/search?recipient=nobody@example.net&page=3")).contains("<strong>0</strong>")
                .doesNotContain("class=\"pager\"");
    }

    /** "1 block", not "1 blocks" (found by QA). */
    @Test
    void aMessageOfOneBlockSaysBlockInTheSingular() throws Exception {
        JsonNode one = http.json("/api/messages?messageId=csv-59@example.com").path("items").get(0);
        assertThat(one.path("size").asInt()).isEqualTo(1);
        assertThat(http.ok("/messages/" + one.path("id").asLong())).contains(">1 block</dd>")
                .doesNotContain("1 blocks");
        JsonNode two = http.json("/api/messages?messageId=csv-58@example.com").path("items").get(0);
        assertThat(http.ok("/messages/" + two.path("id").asLong())).contains(">2 blocks</dd>");
    }
}
