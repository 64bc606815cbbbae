package com.mailtrail.ingest;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.parse.LogOptions;
import org.springframework.stereotype.Service;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

/** Loads one generated day of realistic traffic as a source named "demo". */
@Service
class DemoData {

    static final int MESSAGES = 1500;
    static final long SEED = 2026;
    static final String KIND = "demo";

    private final IngestEngine engine;

    DemoData(IngestEngine engine) {
        this.engine = engine;
    }

    /** Every table of stored data; log_file before log_source, which it references. */
    private static final List<String> TABLES = List.of("attempt", "recipient", "message", "search_bucket",
            "remote_system", "client_system", "connection", "connection_hour", "rollup_hour", "rollup_recipient_hour",
            "rejected_line", "raw_block", "log_file", "log_source");

    /**
     * Removes the demo day, so that a user who tried Mailtrail on it starts on their own logs with an empty database.
     * Only while nothing but demo days is loaded: everything is then the demo's, and emptying the tables is exact
     * (with other logs loaded, the Sources page removes it as any source, by building again what the others make).
     *
     * @throws IllegalStateException saying why, when other logs are loaded too
     */
    void remove() {
        engine.rewrite(c -> {
            try (Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM log_source WHERE kind <> '" + KIND + "'")) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        throw new IllegalStateException("the demo day can only be removed at once while no other "
                                + "log is loaded (other sources: " + rs.getLong(1) + "); remove it on the Sources "
                                + "page, which builds again what the other logs make");
                    }
                }
                for (String table : TABLES) {
                    st.executeUpdate("DELETE FROM " + table);
                }
            }
        });
    }

    /**
     * Loads the demo day into an empty Mailtrail, as the dashboard offers it only then; synchronized, so that a
     * double click loads it once.
     *
     * @throws IllegalStateException saying why, when it is loaded already or messages of other logs are stored: a
     *                               second click or a page left open posted it again, and stored the day a second
     *                               time as a source of duplicates, or beside the user's own logs
     */
    synchronized void load() {
        engine.rewrite(c -> {
            try (Statement st = c.createStatement()) {
                try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM log_source WHERE kind = '" + KIND + "'")) {
                    rs.next();
                    if (rs.getLong(1) > 0) {
                        throw new IllegalStateException("the demo day is loaded already");
                    }
                }
                // A followed directory with nothing in it yet is a source too, and the dashboard still offers it
                try (ResultSet rs = st.executeQuery("SELECT id FROM message FETCH FIRST 1 ROWS ONLY")) {
                    if (rs.next()) {
                        throw new IllegalStateException("the demo day is offered only while Mailtrail is empty, and "
                                + "your logs are loaded: it would mix generated messages with theirs");
                    }
                }
            }
        });
        StringWriter text = new StringWriter();
        try {
            new LogGenerator(GeneratorConfig.of(MESSAGES, SEED)).generate(text, null);
            long source = engine.createSource(KIND, "generated day (" + MESSAGES + " messages, seed " + SEED + ")");
            engine.ingest(source, "demo-mail.log", new ByteArrayInputStream(text.toString()
                    .getBytes(StandardCharsets.UTF_8)), LogOptions.auto(), new Progress());
            engine.finishSource(source, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
