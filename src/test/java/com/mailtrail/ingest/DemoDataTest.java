package com.mailtrail.ingest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The demo day goes as it came while nothing else is loaded, and stays, untouched, once other logs are. */
class DemoDataTest {

    /** The PostgreSQL databases' pools closed and the databases dropped, test by test. */
    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    private static final List<String> TABLES = List.of("log_source", "log_file", "raw_block", "message", "recipient",
            "attempt", "connection_hour", "rollup_hour", "rollup_recipient_hour", "search_bucket");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void removingTheDemoDayEmptiesTheDatabaseAndItCanBeLoadedAgain(String database) {
        DataSource ds = TestDatabase.pooled(database);
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);
        DemoData demo = new DemoData(engine);
        demo.load();
        long messages = IngestInvariantsTest.count(ds, "message");
        assertThat(messages).isGreaterThan(1000);
        for (String table : TABLES) {
            assertThat(IngestInvariantsTest.count(ds, table)).as(table).isPositive();
        }

        demo.remove();
        for (String table : TABLES) {
            assertThat(IngestInvariantsTest.count(ds, table)).as(table).isZero();
        }
        // the writer forgot the removed messages: loading again stores them all again
        demo.load();
        assertThat(IngestInvariantsTest.count(ds, "message")).isEqualTo(messages);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void withOtherLogsLoadedTheDemoDayStaysAndTheReasonIsGiven(String database) throws Exception {
        DataSource ds = TestDatabase.pooled(database);
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);
        DemoData demo = new DemoData(engine);
        demo.load();
        byte[] seed;
        try (var in = getClass().getResourceAsStream("/logs/seed-multiple-delivery-attempts.txt")) {
            seed = in.readAllBytes();
        }
        engine.ingest(engine.createSource("upload", "seed.txt"), "seed.txt", new ByteArrayInputStream(seed),
                com.mailtrail.parse.LogOptions.auto(), new Progress());
        long messages = IngestInvariantsTest.count(ds, "message");

        assertThatThrownBy(demo::remove).isInstanceOf(IllegalStateException.class)
                .hasMessage("the demo day can only be removed at once while no other log is loaded (other sources: "
                        + "1); remove it on the Sources page, which builds again what the other logs make");
        assertThat(IngestInvariantsTest.count(ds, "message")).isEqualTo(messages);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void theDemoDayIsLoadedOnlyIntoAnEmptyMailtrail(String database) throws Exception {
        // The dashboard offers it only while no message is stored; a second click or a stale page posted it again
        DataSource ds = TestDatabase.pooled(database);
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);
        DemoData demo = new DemoData(engine);
        demo.load();
        long sources = IngestInvariantsTest.count(ds, "log_source");
        long messages = IngestInvariantsTest.count(ds, "message");

        assertThatThrownBy(demo::load).isInstanceOf(IllegalStateException.class)
                .hasMessage("the demo day is loaded already");
        assertThat(IngestInvariantsTest.count(ds, "log_source")).isEqualTo(sources);

        demo.remove();
        byte[] seed;
        try (var in = getClass().getResourceAsStream("/logs/seed-multiple-delivery-attempts.txt")) {
            seed = in.readAllBytes();
        }
        engine.ingest(engine.createSource("upload", "seed.txt"), "seed.txt", new ByteArrayInputStream(seed),
                com.mailtrail.parse.LogOptions.auto(), new Progress());
        assertThatThrownBy(demo::load).isInstanceOf(IllegalStateException.class)
                .hasMessage("the demo day is offered only while Mailtrail is empty, and your logs are loaded: "
                        + "it would mix generated messages with theirs");
        assertThat(IngestInvariantsTest.count(ds, "message")).isEqualTo(1);
        assertThat(messages).isGreaterThan(1000);
    }
}
