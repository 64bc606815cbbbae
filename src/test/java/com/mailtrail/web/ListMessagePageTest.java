package com.mailtrail.web;

import com.mailtrail.ingest.ListMessage;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** A message to a list of 250 members: its page shows a hundred recipients at a time, and each status apart. */
@TestPropertySource(properties = {"spring.datasource.url=jdbc:h2:mem:list-page-test;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/list-page"})
class ListMessagePageTest extends OneMessagePagesTest {

    @Override
    InputStream log() {
        ListMessage list = ListMessage.of(250, 10, 25); // every 25th member bounced: 10 of them
        return new ByteArrayInputStream((list.enqueues() + list.outcomes()).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    String name() {
        return "list.log";
    }

    private String page(String query) throws Exception {
        return mvc.perform(get("/messages/" + id + query)).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString();
    }

    private static int count(String html, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(html);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void aHundredRecipientsAPageWithTheirAttemptsAndTimeline() throws Exception {
        String first = page("");
        assertThat(first).contains("Recipients 1–100 of 250", "rel=\"next\"", "href=\"/messages/" + id + "?rpage=1\"")
                .doesNotContain("rel=\"prev\"")
                .contains("data-message-url=\"/api/messages/" + id + "?recipientPage=0&amp;recipientSize=100\"");
        assertThat(count(first, "<h2>Attempts for")).isEqualTo(100);
        assertThat(first).contains("member0@example.com").doesNotContain("member100@example.com");

        String last = page("?rpage=2");
        assertThat(last).contains("Recipients 201–250 of 250", "rel=\"prev\"").doesNotContain("rel=\"next\"");
        assertThat(count(last, "<h2>Attempts for")).isEqualTo(50);
        assertThat(last).contains("member249@example.com").doesNotContain("member199@example.com");

        // past the last page (an old bookmark), the link goes to the last page, as the search's does: it went to
        // the page before, rpage=6, as empty as this one
        assertThat(page("?rpage=7")).contains("No recipients on page 8: there are 250", "href=\"/messages/" + id
                + "?rpage=2\"", "Last page").doesNotContain("?rpage=6");
        assertThat(page("?rstatus=bounced&rpage=5")).contains("Last page").doesNotContain("rpage=4");
    }

    @Test
    void eachStatusApartWithItsCount() throws Exception {
        String all = page("");
        assertThat(all).contains("all 250", "href=\"/messages/" + id + "?rstatus=bounced\"",
                "href=\"/messages/" + id + "?rstatus=delivered\"");
        String bounced = page("?rstatus=bounced");
        assertThat(count(bounced, "<h2>Attempts for")).isEqualTo(10);
        assertThat(bounced).contains("member24@example.com", "unknown or illegal alias")
                .doesNotContain("member0@example.com", "rel=\"next\"")
                .contains("recipientStatus=bounced");
        String delivered = page("?rstatus=delivered&rpage=2");
        assertThat(delivered).contains("Recipients 201–240 of 240");
    }

    @Test
    void aBadRecipientPageIsA400WithItsReason() throws Exception {
        String body = mvc.perform(get("/messages/" + id + "?rpage=x")).andExpect(status().isBadRequest())
                .andReturn().getResponse().getContentAsString();
        // named as the page's address has them (it said recipientPage, the API's name)
        assertThat(body).contains("400 Bad Request", "rpage must be a whole number from 0; got &#39;x&#39;");
        assertThat(mvc.perform(get("/messages/" + id + "?rstatus=lost")).andExpect(status().isBadRequest())
                .andReturn().getResponse().getContentAsString()).contains("rstatus must be one of");
    }
}
