package com.mailtrail.web;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;

import java.io.InputStream;

/**
 * The pages over MockMvc, on a database (each subclass names its own, in-memory) holding one log with one message,
 * imported through the real write path before the first test.
 */
@SpringBootTest
@AutoConfigureMockMvc
abstract class OneMessagePagesTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    IngestEngine engine;

    @Autowired
    JdbcClient jdbc;

    /** The id of the message. */
    long id;

    /** The log, imported once as {@code name} from a source of the same name. */
    abstract InputStream log() throws Exception;

    abstract String name();

    @BeforeEach
    void importOnce() throws Exception {
        if (jdbc.sql("SELECT COUNT(*) FROM message").query(Long.class).single() == 0) {
            try (InputStream in = log()) {
                engine.ingest(engine.createSource("test", name()), name(), in, LogOptions.auto(), new Progress());
            }
        }
        id = jdbc.sql("SELECT id FROM message").query(Long.class).single();
    }
}
