package com.mailtrail.ingest;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** {@code mailtrail.retention.days=1}, which the Sources page said as "Keeps 1 days". */
@SpringBootTest
@AutoConfigureMockMvc
@TestPropertySource(properties = {"spring.datasource.url=jdbc:h2:mem:retention-one-day;DB_CLOSE_DELAY=-1",
        "mailtrail.ingest.upload-dir=target/test-uploads/retention-one-day", "mailtrail.retention.days=1"})
class RetentionOneDayPageTest {

    @Autowired
    MockMvc mvc;

    @Test
    void oneDayKeptIsSaidInTheSingular() throws Exception {
        String page = mvc.perform(get("/sources")).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString().replaceAll("\\s+", " ");
        assertThat(page).contains("Keeps <span>1</span> day of log time, counted back from the newest message.");
    }
}
