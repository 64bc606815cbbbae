package com.mailtrail.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static com.mailtrail.web.ApiErrors.error;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests a script or a hand-edited address gets wrong, over real HTTP: the API answers each with a JSON
 * {@code {"error"}} that says what is wrong in the user's terms (not Java's, not the framework's default body), the
 * pages with the error page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:bad-requests;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/bad-requests",
        "mailtrail.ingest.max-upload=512KB"})
class BadRequestsTest {

    @RegisterExtension
    final LocalHttp http = new LocalHttp();

    private HttpResponse<String> send(String method, String path) {
        return http.send(http.request(path).method(method, HttpRequest.BodyPublishers.noBody()));
    }

    private HttpResponse<String> accepting(String accept, String path) {
        return http.send(http.request(path).header("Accept", accept));
    }

    @Test
    void aPageThatIsNotANumberIsA400InTheUsersTerms() throws Exception {
        // the connections' page in the search's words (it said "a whole number up to 2147483647" there, found by QA)
        for (String api : new String[] {"/api/connections", "/api/messages"}) {
            assertThat(error(send("GET", api + "?page=abc"), 400)).as(api)
                    .isEqualTo("page must be a whole number from 0; got 'abc'");
            assertThat(error(send("GET", api + "?page=99999999999"), 400)).as(api)
                    .isEqualTo("page must be a whole number from 0; got '99999999999'");
            assertThat(error(send("GET", api + "?page=-1"), 400)).as(api)
                    .isEqualTo("page must be a whole number from 0; got '-1'");
        }
        assertThat(error(send("GET", "/api/messages/abc"), 400))
                .isEqualTo("id must be a whole number; got 'abc'");

        assertThat(errorPage(send("GET", "/connections?page=abc"))).contains("400 Bad Request")
                .contains("page must be a whole number from 0; got &#39;abc&#39;")
                .doesNotContain("For input string");
    }

    /** The body of a page's 400: the application's error page, not JSON. */
    private static String errorPage(HttpResponse<String> page) {
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("text/html"));
        return page.body();
    }

    @Test
    void aSourceIdThatIsNotANumberOrAMethodItDoesNotTakeIsJson() throws Exception {
        assertThat(error(send("DELETE", "/api/sources/abc"), 400))
                .isEqualTo("id must be a whole number; got 'abc'");
        HttpResponse<String> get = send("GET", "/api/sources/abc");
        assertThat(error(get, 405)).isEqualTo("GET is not taken at /api/sources/abc; it takes DELETE");
        assertThat(get.headers().firstValue("Allow")).hasValue("DELETE");
        assertThat(error(send("GET", "/api/no-such-thing"), 404))
                .isEqualTo("there is no /api/no-such-thing in the API (see docs/api.md)");
    }

    /**
     * The API's errors are JSON whatever the client accepts: one that takes only XML or HTML got a 500 (with an empty
     * body, or the HTML error page) for what was a 404, and the server's log a stack trace.
     */
    @Test
    void anErrorIsJsonWithItsOwnStatusWhateverTheClientAccepts() throws Exception {
        for (String accept : new String[] {"application/xml", "text/html"}) {
            assertThat(error(accepting(accept, "/api/messages/999"), 404)).as(accept)
                    .isEqualTo("no message with id 999");
            assertThat(error(accepting(accept, "/api/charts/nope?from=x"), 404)).as(accept)
                    .startsWith("no chart named nope");
            assertThat(error(accepting(accept, "/api/uploads/nope"), 404)).as(accept).startsWith("no upload nope");
            assertThat(error(accepting(accept, "/api/sources/removal"), 404)).as(accept)
                    .isEqualTo("no source was removed since the server started");
            assertThat(error(accepting(accept, "/api/connections?code=Z"), 400)).as(accept)
                    .isEqualTo("code must be one of I, U, X, Y; got 'Z'");
            assertThat(error(accepting(accept, "/api/messages?page=abc"), 400)).as(accept)
                    .isEqualTo("page must be a whole number from 0; got 'abc'");
            assertThat(error(accepting(accept, "/api/no-such-thing"), 404)).as(accept)
                    .isEqualTo("there is no /api/no-such-thing in the API (see docs/api.md)");
        }
        // an answer that is not an error, asked for in XML: the API has only JSON, and says so in it
        assertThat(error(accepting("application/xml", "/api/messages"), 406)).isEqualTo("the API answers in JSON only "
                + "(application/json), which the request's Accept header (application/xml) does not take");
    }

    /**
     * The CSV download takes the search's parameters and says what is wrong with one as the Search page does: it
     * answered "400 Bad Request: Mailtrail could not answer this request" in a browser and Spring's default body
     * ({@code {"timestamp", "status", "error": "Bad Request", "path"}}) to curl, without the reason (found by QA).
     */
    @Test
    void aCsvDownloadWithABadParameterSaysWhichAndWhy() throws Exception {
        assertThat(errorPage(send("GET", "/search.csv?status=lost")))
                .contains("status must be one of delivered, bounced, deferred, queued, rejected");
        assertThat(errorPage(accepting("text/html", "/search.csv?page=abc")))
                .contains("page must be a whole number from 0; got &#39;abc&#39;");
        assertThat(errorPage(accepting("text/csv", "/search.csv?from=yesterday")))
                .contains("from must be an ISO-8601 local date-time");
    }

    /**
     * A range of two billion years (LocalDateTime takes years of nine digits) was drawn per year: the charts built a
     * bucket for each, and the request ran until the server was out of memory. A chart range now spans at most
     * 1,000 years, refused beyond in the same words on the charts, the dashboard and the connections.
     */
    @Test
    void aRangeOfMoreThanAThousandYearsIsA400NotAnEndlessChart() throws Exception {
        String huge = "from=-999999999-01-01T00:00&to=%2B999999999-12-31T00:00";
        String said = "from and to may be at most 1000 years apart (the charts draw a bar per year beyond a hundred); "
                + "got -999999999-01-01T00:00 to +999999999-12-31T00:00";
        for (String api : new String[] {"/api/charts/volume?", "/api/charts/failures?", "/api/connections?"}) {
            assertThat(error(within(api + huge), 400)).as(api).isEqualTo(said);
        }
        for (String page : new String[] {"/?", "/connections?"}) {
            assertThat(errorPage(within(page + huge))).as(page).contains(said);
        }
        assertThat(within("/api/charts/volume?from=1026-01-01T00:00&to=2026-01-01T00:00").statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> within(String path) throws Exception {
        return http.send(http.request(path).timeout(java.time.Duration.ofSeconds(20)));
    }

    @Test
    void theApiAddressItselfIsAJson404() throws Exception {
        assertThat(error(send("GET", "/api"), 404)).isEqualTo("there is no /api in the API (see docs/api.md)");
    }

    @Test
    void aQueryThatIsNotUtf8IsA400InTheUsersTerms() throws Exception {
        assertThat(error(send("GET", "/api/messages?recipient=%ff%fe"), 400))
                .isEqualTo("the query cannot be read: its %-escapes are not UTF-8 text");
        assertThat(errorPage(send("GET", "/search?recipient=%ff%fe"))).contains("the query cannot be read");
    }

    @Test
    void aQueryStringOverTheHeaderLimitIsJsonToo() throws Exception {
        String q = "x".repeat(9 * 1024);
        assertThat(error(send("GET", "/api/messages?q=" + q), 400)).isEqualTo("the request's address and headers are "
                + "longer than 8 KB (server.max-http-request-header-size); ask for less at once");
    }

    @Test
    void anUploadOverALimitUnderOneMegabyteSaysItInKilobytes() throws Exception {
        String boundary = "mailtrail-test";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"mail.log\"\r\n"
                + "Content-Type: text/plain\r\n\r\n" + "x".repeat(600 * 1024) + "\r\n--" + boundary + "--\r\n";
        HttpResponse<String> r = http.send(http.request("/api/uploads")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(error(r, 413)).startsWith("the upload is larger than 512 KB (mailtrail.ingest.max-upload)");
    }

    /**
     * A search parameter given twice was joined by Spring with a comma ({@code recipient=a&recipient=b} searched for
     * "a,b") and silently found nothing, while a repeated status or sort was refused only because "a,b" is no status.
     * Every parameter is taken once, and a repeated one is a 400 that names it, on the API, the pages and the CSV.
     */
    @Test
    void aParameterGivenTwiceIsA400NamingIt() throws Exception {
        for (String name : new String[] {"recipient", "sender", "messageId", "channel", "status", "sort"}) {
            String query = "?" + name + "=a&" + name + "=b";
            String said = name + " may be given only once; got 2 values: 'a', 'b'";
            assertThat(error(send("GET", "/api/messages" + query), 400)).as(name).isEqualTo(said);
            assertThat(errorPage(send("GET", "/search" + query))).as(name).contains(said.replace("'", "&#39;"));
            assertThat(errorPage(send("GET", "/search.csv" + query))).as(name).contains(said.replace("'", "&#39;"));
        }
        String range = "from=2026-01-01T00:00&from=2026-02-01T00:00";
        String said = "from may be given only once; got 2 values: '2026-01-01T00:00', '2026-02-01T00:00'";
        for (String api : new String[] {"/api/charts/volume?", "/api/connections?"}) {
            assertThat(error(send("GET", api + range), 400)).as(api).isEqualTo(said);
        }
        for (String page : new String[] {"/?", "/connections?"}) {
            assertThat(errorPage(send("GET", page + range))).as(page).contains(said.replace("'", "&#39;"));
        }
        assertThat(error(send("GET", "/api/connections?code=X&code=Y&code=U"), 400))
                .isEqualTo("code may be given only once; got 3 values: 'X', 'Y', 'U'");
        // the same value twice is still two values: a script that means one should send one
        assertThat(error(send("GET", "/api/messages?page=0&page=0"), 400))
                .isEqualTo("page may be given only once; got 2 values: '0', '0'");
        // an empty value given twice, as a form with two empty fields of a name sends it, is refused all the same
        assertThat(error(send("GET", "/api/messages?recipient=&recipient=b"), 400))
                .isEqualTo("recipient may be given only once; got 2 values: '', 'b'");
    }

    /**
     * Opens and closes (O, C) are counted per hour, not kept as rows: code=O found nothing whatever the log held. The
     * API says so; the page offers only the codes that are rows.
     */
    @Test
    void openedAndClosedAreCountedNotListedSoTheirCodeIsA400() throws Exception {
        assertThat(error(send("GET", "/api/connections?code=O"), 400)).isEqualTo("code O (opened) is counted, not "
                + "kept as entries: the connections chart and the Connections page's figures count them; code must "
                + "be one of I, U, X, Y");
        assertThat(error(send("GET", "/api/connections?code=c"), 400)).isEqualTo("code C (closed) is counted, not "
                + "kept as entries: the connections chart and the Connections page's figures count them; code must "
                + "be one of I, U, X, Y");
        assertThat(errorPage(send("GET", "/connections?code=O"))).contains("code O (opened) is counted");
        assertThat(send("GET", "/api/connections?code=x").statusCode()).isEqualTo(200);
    }

    /**
     * A range that ends before it starts, in the same words wherever a range is taken: the charts and connections
     * said "the range must end after it starts", the search "from must be before to".
     */
    @Test
    void aBackwardRangeIsRefusedInOneWording() throws Exception {
        String backward = "from=2026-03-02T12:00&to=2026-03-02T10:00";
        String said = "from must be before to (from is inclusive, to exclusive)";
        for (String api : new String[] {"/api/charts/volume?", "/api/connections?", "/api/messages?"}) {
            assertThat(error(send("GET", api + backward), 400)).as(api).isEqualTo(said);
        }
        for (String page : new String[] {"/?", "/connections?", "/search?", "/search.csv?"}) {
            assertThat(errorPage(send("GET", page + backward))).as(page).contains(said);
        }
        assertThat(error(send("GET", "/api/charts/volume?from=2026-03-02T10:00&to=2026-03-02T10:00"), 400))
                .isEqualTo(said);
    }
}
