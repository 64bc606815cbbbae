package com.mailtrail.web;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dashboard range that does not start and end on the hour, over real HTTP: the figures other than messages are
 * counted by whole hours, and the page says which (found by QA: from 14:30 to 14:45 it read "354 messages, 0
 * recipients, – delivered" and nothing said why).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:dashboard-hours;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/dashboard-hours"})
class DashboardHoursNoteTest {

    @RegisterExtension
    final LocalHttp http = new LocalHttp();

    @BeforeEach
    void importOnce() throws Exception {
        http.importOnce("two.txt", """
                15-Jan-1998 10:31:00.00 tcp_local    tcp_local    E 1 ann@x.test rfc822;bob@y.test bob@y.test imta/queue/tcp_local/ZZ01A.00 <a@x.test>
                15-Jan-1998 10:40:00.00 tcp_local                 D 1 ann@x.test rfc822;bob@y.test bob@y.test imta/queue/tcp_local/ZZ01A.00 <a@x.test> mx.y.test dns;mx.y.test (TCP|192.0.2.1|1|192.0.2.2|25) (ok) smtp;250 ok
                15-Jan-1998 11:10:00.00 tcp_local    tcp_local    E 1 ann@x.test rfc822;carl@y.test carl@y.test imta/queue/tcp_local/ZZ01B.00 <b@x.test>
                15-Jan-1998 11:10:30.00 tcp_local                 D 1 ann@x.test rfc822;carl@y.test carl@y.test imta/queue/tcp_local/ZZ01B.00 <b@x.test> mx.y.test dns;mx.y.test (TCP|192.0.2.1|1|192.0.2.2|25) (ok) smtp;250 ok
                """);
    }

    @Test
    void aRangeWithinAnHourSaysItsHourlyFiguresAreEmpty() throws Exception {
        String page = http.ok("/?from=1998-01-15T10:30&to=1998-01-15T10:45");
        assertThat(page).contains("No whole hour begins in this range");
        // the median time to delivery was 9 min, of the delivery at 10:40 that no other figure counted
        assertThat(page).doesNotContain("9 min");
    }

    @Test
    void aRangeOffTheHourNamesTheHoursItsFiguresCount() throws Exception {
        String page = http.ok("/?from=1998-01-15T10:30&to=1998-01-15T11:30");
        assertThat(page).contains("count the hours that begin in this range: 1998-01-15 11:00 to 12:00");
        assertThat(page).contains("30 s").doesNotContain("9 min");
    }

    @Test
    void aRangeOnTheHourHasNoNote() throws Exception {
        String page = http.ok("/?from=1998-01-15T10:00&to=1998-01-15T12:00");
        assertThat(page).doesNotContain("hours that begin").doesNotContain("No whole hour");
        assertThat(page).contains("eventFrom=1998-01-15T10:00:00&amp;eventTo=1998-01-15T12:00:00\">2</a>");
    }
}
