package com.mailtrail.ingest;

import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A list expansion, every member logging the list's address as its original recipient, stored in batches of a few
 * entries gives recipient by recipient what it gives stored in one batch. At each batch only the recipients the new
 * lines can change are correlated again; the members all share the original address, so what ties lines together
 * must be told apart from it: a member through the conversion channel (its active address changes there, and the
 * enqueue out of the channel continues it), a delivery logging another original address than its enqueue, one whose
 * enqueue is not in the log, one enqueued twice, a bounce and deferrals.
 */
class ListExpansionBatchesTest {

    /** The PostgreSQL databases' pools closed and the databases dropped, test by test. */
    @org.junit.jupiter.api.AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    private static final Set<String> RELAYS = Set.of("conversion", "reprocess", "process");
    private static final int MEMBERS = 300; // past Addresses.FROM: the large message's index is used too

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"h2, ids", "postgres, ids", "h2, filename", "postgres, filename", "h2, none", "postgres, none"})
    void aListExpansionStoredInSmallBatchesEqualsItStoredWhole(String database, String logging) throws IOException {
        ListMessage.Logging options = ListMessage.Logging.of(logging);
        String enqueues = enqueues(options);
        String outcomes = outcomes(options);

        DataSource whole = TestDatabase.pooled(database);
        load(new IngestEngine(whole, RELAYS, 100_000), "all", enqueues + outcomes);
        List<String> expected = recipients(whole);
        assertThat(expected).hasSizeGreaterThanOrEqualTo(MEMBERS);
        List<String> messages = messages(whole);

        DataSource batches = TestDatabase.pooled(database);
        IngestEngine small = new IngestEngine(batches, RELAYS, 7);
        load(small, "mail.log_yesterday", enqueues);
        load(small, "mail.log_current", outcomes);
        assertThat(recipients(batches)).isEqualTo(expected);
        assertThat(messages(batches)).isEqualTo(messages);

        DataSource reversed = TestDatabase.pooled(database); // the outcomes first: every recipient is begun by them
        IngestEngine back = new IngestEngine(reversed, RELAYS, 7);
        load(back, "mail.log_current", outcomes);
        load(back, "mail.log_yesterday", enqueues);
        assertThat(recipients(reversed)).isEqualTo(expected);
        assertThat(messages(reversed)).isEqualTo(messages);
    }

    private static void load(IngestEngine engine, String name, String text) throws IOException {
        engine.ingest(engine.createSource("test", name), name,
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), LogOptions.auto(), new Progress());
    }

    /** Each recipient row with its attempts, in a comparable form. */
    private static List<String> recipients(DataSource ds) {
        return new JdbcTemplate(ds).queryForList("SELECT m.message_key || '|' || r.recipient || '|' "
                + "|| r.original_recipient || '|' || r.status || '|' || r.attempts || '|' || r.deferrals || '|' "
                + "|| COALESCE(CAST(r.enqueued AS VARCHAR), '-') || '|' || COALESCE(r.destination_channel, '-') "
                + "|| '|' || COALESCE(CAST(r.final_time AS VARCHAR), '-') || '|' || COALESCE(r.last_code, '-') "
                + "|| '|' || COALESCE(CAST(r.last_time AS VARCHAR), '-') || '|' || COALESCE((SELECT "
                + "STRING_AGG(CAST(a.time AS VARCHAR) || ' ' || a.code || ' ' || a.channel, ', ' ORDER BY a.time, "
                + "a.code) FROM attempt a WHERE a.recipient_ref = r.id), '') "
                + "FROM recipient r JOIN message m ON m.id = r.message_ref ORDER BY 1", String.class);
    }

    /** Each message row: its sender, size, first and last sight, status and number of recipients. */
    private static List<String> messages(DataSource ds) {
        return new JdbcTemplate(ds).queryForList("SELECT message_key || '|' || sender || '|' "
                + "|| COALESCE(CAST(size AS VARCHAR), '-') || '|' || CAST(first_seen AS VARCHAR) || '|' "
                + "|| CAST(last_seen AS VARCHAR) || '|' || status || '|' || recipients FROM message ORDER BY 1",
                String.class);
    }

    // Member i is one of six kinds (i % 6): 0 through conversion, 1 deferred then delivered, 2 to a remote address
    // and bounced, 3 delivered with another original address logged, 4 delivered without its enqueue in the log,
    // 5 enqueued twice and delivered.

    private static String enqueues(ListMessage.Logging logging) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < MEMBERS; i++) {
            double t = 10 * 3600 + i;
            switch (i % 6) {
                case 0 -> {
                    out.append(line(t, "tcp_intranet conversion", 'E', LIST, member(i, "lists.test"), i, logging, ""));
                    out.append(line(t + 0.5, "conversion ims-ms", 'E', LIST, member(i, "ims-ms-daemon"), i, logging,
                            ""));
                    out.append(line(t + 0.6, "conversion", 'D', LIST, member(i, "ims-ms-daemon"), i, logging, ""));
                }
                case 2 -> out.append(line(t, "tcp_intranet tcp_local", 'E', LIST, member(i, "other.test"), i, logging,
                        ""));
                case 4 -> {
                    // its enqueue is in an older log
                }
                case 5 -> {
                    out.append(line(t, "tcp_intranet ims-ms", 'E', LIST, member(i, "ims-ms-daemon"), i, logging, ""));
                    out.append(line(t + 0.3, "tcp_intranet ims-ms", 'E', LIST, member(i, "ims-ms-daemon"), i, logging,
                            ""));
                }
                default -> out.append(line(t, "tcp_intranet ims-ms", 'E', LIST, member(i, "ims-ms-daemon"), i, logging,
                        ""));
            }
        }
        return out.toString();
    }

    private static String outcomes(ListMessage.Logging logging) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < MEMBERS; i++) {
            double t = 11 * 3600 + i;
            switch (i % 6) {
                case 1 -> {
                    out.append(line(t, "ims-ms", 'Q', LIST, member(i, "ims-ms-daemon"), i, logging, "Mailbox is busy"));
                    out.append(line(t + 600, "ims-ms", 'D', LIST, member(i, "ims-ms-daemon"), i, logging, ""));
                }
                case 2 -> out.append(line(t, "tcp_local", 'R', LIST, member(i, "other.test"), i, logging,
                        "550 5.1.1 unknown or illegal alias"));
                case 3 -> out.append(line(t, "ims-ms", 'D', member(i, "lists.test"), member(i, "ims-ms-daemon"), i,
                        logging, ""));
                default -> out.append(line(t, "ims-ms", 'D', LIST, member(i, "ims-ms-daemon"), i, logging, ""));
            }
        }
        return out.toString();
    }

    private static final String LIST = "everyone@lists.test";

    private static String member(int i, String domain) {
        return "member" + i + "@" + domain;
    }

    /** A line of 2 Mar 2026 at the given second, as ListMessage writes them. */
    private static String line(double second, String channels, char action, String original, String active,
                               int member, ListMessage.Logging logging, String tail) {
        int s = (int) second;
        String time = String.format(Locale.ROOT, "02-Mar-2026 %02d:%02d:%05.2f", s / 3600, s / 60 % 60, second % 60);
        String queueFile = logging == ListMessage.Logging.NONE ? ""
                : "/opt/sun/comms/messaging64/data/queue/" + channels.split(" ")[channels.split(" ").length - 1]
                + "/001/ZZm" + member + ".00 ";
        String messageId = logging == ListMessage.Logging.IDS ? "<list.0001@lists.test> " : "";
        return time + " 1a2b.3." + member + " " + channels + " " + action + " 12 owner@lists.test rfc822;" + original
                + " " + active + " " + queueFile + messageId + tail + "\n";
    }
}
