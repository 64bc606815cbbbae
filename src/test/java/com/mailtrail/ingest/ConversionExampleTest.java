package com.mailtrail.ingest;

import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Example 21-8 of the Messaging Server 2005Q4 documentation (incoming SMTP routed through the conversion channel),
 * as the documentation prints it: the conversion channel logs its dequeue with the address it rewrote
 * ({@code bert}), not the one enqueued into it ({@code bert@sesta.com}), and the leg out of it carries another
 * Message-ID. The dequeue is the hop of the recipient that went into conversion: until this was found by QA it
 * made a recipient of its own without an enqueue, and the one enqueued into conversion stayed "queued" for ever.
 */
class ConversionExampleTest {

    /** The PostgreSQL databases' pools closed and the databases dropped, test by test. */
    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    private static final String INTO = """
            04-Feb-1998 00:06:26.72 tcp_local    conversion   E 9 amy@siroe.edu rfc822;bert@sesta.com bert@sesta.com imta/queue/conversion/ZZ01IT5UAMZ4QW98518O.00 <01IT5UALL14498518O@siroe.edu>
            04-Feb-1998 00:06:29.06 conversion   l            E 9 amy@siroe.edu rfc822;bert@sesta.com bert imta/queue/l/ZZ01IT5UAOXLDW98509E.00  <01IT5STUMUFO984Z8L@siroe.edu>
            """;

    private static final String OUT = """
            04-Feb-1998 00:06:29.31 conversion                D 9 amy@siroe.edu rfc822;bert@sesta.com bert imta/queue/conversion/ZZ01IT5UAMZ4QW98518O.00 <01IT5UALL14498518O@siroe.edu>
            04-Feb-1998 00:06:32.62 l                         D 9 amy@siroe.edu rfc822;bert@siroe.com bert imta/queue/l/ZZ01IT5UAOXLDW98509E.00 <01IT5STUMUFO984Z8L@siroe.edu>
            """;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void theConversionChannelsDequeueIsTheHopOfTheRecipientThatWentIntoIt(String database) {
        DataSource ds = TestDatabase.pooled(database);
        ingest(ds, "21-8.log", INTO + OUT);
        assertThat(recipients(ds)).containsExactly(
                "<01IT5STUMUFO984Z8L@siroe.edu> bert@sesta.com bert delivered 1",
                "<01IT5UALL14498518O@siroe.edu> bert@sesta.com bert@sesta.com delivered 1");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void alsoWhenTheDequeueComesInALaterFile(String database) {
        DataSource ds = TestDatabase.pooled(database);
        ingest(ds, "into.log", INTO);
        ingest(ds, "out.log", OUT);
        assertThat(recipients(ds)).containsExactly(
                "<01IT5STUMUFO984Z8L@siroe.edu> bert@sesta.com bert delivered 1",
                "<01IT5UALL14498518O@siroe.edu> bert@sesta.com bert@sesta.com delivered 1");
    }

    private static List<String> recipients(DataSource ds) {
        return new JdbcTemplate(ds).query("SELECT m.message_key, r.original_recipient, r.recipient, r.status,"
                        + " r.attempts FROM recipient r JOIN message m ON m.id = r.message_ref"
                        + " ORDER BY m.message_key, r.recipient",
                (rs, i) -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4)
                        + " " + rs.getInt(5));
    }

    /** Each file by an engine of its own, as a later import would: nothing of the first is cached. */
    private static void ingest(DataSource ds, String name, String text) {
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);
        try {
            engine.ingest(engine.createSource("test", name), name,
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), LogOptions.auto(), new Progress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
