package com.mailtrail.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request line Tomcat refuses (an unencoded {@code <} in the query, as curl sends a Message-ID typed as is) is a JSON
 * 400 for the client and no stack trace in the administrator's log: Tomcat logged the first of them at INFO with the
 * IllegalArgumentException's 20-line trace ("Error parsing HTTP request header"). A context of its own, so that no
 * other test's bad request has used up Tomcat's one INFO before this one looks.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.datasource.url=jdbc:h2:mem:refused-request-log;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/refused-request-log"})
@ExtendWith(OutputCaptureExtension.class)
class RefusedRequestLogTest {

    @RegisterExtension
    final LocalHttp http = new LocalHttp();


    @Test
    void aRequestLineTomcatRefusesIsAJson400WithoutAStackTraceInTheLog(CapturedOutput log) throws IOException {
        for (String target : new String[]{"/api/messages?messageId=<abc@example.com>", "/api/messages?q={x}",
                "/search?recipient=a|b"}) {
            String response = http.raw("GET " + target + " HTTP/1.1");
            assertThat(response).as(target).startsWith("HTTP/1.1 400 ").contains("application/json")
                    .contains("{\"error\":\"the request is not valid HTTP (Invalid character found in the request "
                            + "target");
        }
        assertThat(log.getAll()).doesNotContain("java.lang.IllegalArgumentException")
                .doesNotContainPattern("(?m)^\\s+at org\\.apache\\.");
    }
}
