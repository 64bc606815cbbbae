package com.mailtrail.message;

import com.mailtrail.ingest.PooledDatabase;
import com.mailtrail.ingest.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read side on H2 and on a real PostgreSQL, loaded with the same logs: every search and every message detail
 * must give the same answer on both (ids aside, which each database numbers itself).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SameAnswersOnBothDatabasesTest {

    private MessageQueries h2;
    private MessageQueries postgres;
    // every message's detail is a few queries, on both databases: each on a connection of its own, PostgreSQL started
    // a server process for every one of them
    private HikariDataSource h2Pool;
    private HikariDataSource postgresPool;

    @BeforeAll
    void load() {
        h2Pool = PooledDatabase.of(TestDatabase.h2());
        postgresPool = PooledDatabase.of(TestDatabase.postgres());
        h2 = new MessageQueries(JdbcClient.create(loaded(h2Pool)));
        postgres = new MessageQueries(JdbcClient.create(loaded(postgresPool)));
    }

    @AfterAll
    void close() {
        h2Pool.close();
        postgresPool.close();
    }

    private static DataSource loaded(DataSource ds) {
        TestLogs.importResource(ds, TestLogs.SEED);
        TestLogs.importGenerated(ds, 300, 42);
        return ds;
    }

    static List<SearchForm> searches() {
        List<SearchForm> forms = new ArrayList<>();
        forms.add(form(null, null, null, null, null, null));
        forms.add(form("01IRUD7SVA3Q9UN2D4@sesta.com", null, null, null, null, null));
        forms.add(form(null, "user@some.org", null, null, null, null));
        forms.add(form(null, "@example.com", null, null, null, null));
        forms.add(form(null, "a*", null, null, null, null));
        forms.add(form(null, null, "@example.com", null, null, null));
        forms.add(form(null, null, null, "deferred", null, null));
        forms.add(form(null, null, null, "bounced", null, null));
        forms.add(form(null, null, null, "rejected", null, null));
        forms.add(form(null, null, null, null, "tcp_local", null));
        forms.add(form(null, null, null, null, "ims-ms", null));
        forms.add(form(null, null, null, null, null, "network"));
        forms.add(form(null, null, null, null, null, "user_unknown"));
        forms.add(form(null, null, null, null, null, "greylisted"));
        return forms;
    }

    private static SearchForm form(String id, String recipient, String sender, String status, String channel,
                                   String category) {
        return new SearchForm(id, recipient, sender, null, null, status, channel, category, null, "500", null, null, null,
                null, null, null, null, null, null, null);
    }

    /** A search result without the database's own ids. */
    private static List<String> rows(PageResult<MessageSummary> r) {
        return r.items().stream().map(m -> m.messageId() + "|" + m.sender() + "|" + m.size() + "|" + m.firstSeen()
                + "|" + m.lastSeen() + "|" + m.status() + "|" + m.recipients()).toList();
    }

    @Test
    void everySearchGivesTheSameMessagesTotalsAndRecipients() {
        for (SearchForm f : searches()) {
            PageResult<MessageSummary> a = h2.search(f.toCriteria());
            PageResult<MessageSummary> b = postgres.search(f.toCriteria());
            assertThat(b.total()).as("total of %s", f).isEqualTo(a.total());
            assertThat(b.recipients()).as("recipients of %s", f).isEqualTo(a.recipients());
            assertThat(rows(b)).as("items of %s", f).isEqualTo(rows(a));
        }
        assertThat(h2.search(searches().get(0).toCriteria()).total()).isGreaterThan(300);
        PageResult<MessageSummary> toExample = h2.search(searches().get(3).toCriteria());
        assertThat(toExample.recipients()).isGreaterThan(toExample.total());
    }

    @Test
    void aNotificationIsFoundByItsMessageIdAsLogged() {
        // <new>,<original> is how the log writes a notification's message id: copied whole, it found nothing
        for (MessageQueries db : List.of(h2, postgres)) {
            List<MessageSummary> notifications = db.search(form(null, null, null, null, null, null).toCriteria())
                    .items().stream().filter(m -> m.messageId() != null
                            && db.message(m.id()).originalMessageId() != null).toList();
            assertThat(notifications).as("the generated day's bounce notifications").isNotEmpty();
            for (MessageSummary n : notifications) {
                String logged = n.messageId() + "," + db.message(n.id()).originalMessageId();
                PageResult<MessageSummary> found = db.search(form(logged, null, null, null, null, null).toCriteria());
                assertThat(found.total()).as(logged).isEqualTo(1);
                assertThat(found.items()).extracting(MessageSummary::id).containsExactly(n.id());
            }
        }
    }

    @Test
    void anAddressAsLoggedOrInBracketsFindsWhatTheAddressFinds() {
        for (MessageQueries db : List.of(h2, postgres)) {
            PageResult<MessageSummary> plain = db.search(form(null, "user@some.org", null, null, null, null).toCriteria());
            assertThat(plain.total()).isEqualTo(1);
            for (String logged : List.of("rfc822;user@some.org", "<user@some.org>")) {
                PageResult<MessageSummary> found = db.search(form(null, logged, null, null, null, null).toCriteria());
                assertThat(found.total()).as(logged).isEqualTo(plain.total());
                assertThat(rows(found)).as(logged).isEqualTo(rows(plain));
            }
        }
    }

    @Test
    void everyMessageDetailIsTheSame() {
        PageResult<MessageSummary> all = h2.search(form(null, null, null, null, null, null).toCriteria());
        PageResult<MessageSummary> other = postgres.search(form(null, null, null, null, null, null).toCriteria());
        assertThat(other.items()).hasSameSizeAs(all.items());
        for (int i = 0; i < all.items().size(); i++) {
            MessageDetail a = h2.message(all.items().get(i).id());
            MessageDetail b = postgres.message(other.items().get(i).id());
            assertThat(withoutIds(b)).as(a.messageId()).isEqualTo(withoutIds(a));
            if (a.recipients().size() > 1) { // a page of one, and the recipients of one status
                RecipientSlice second = new RecipientSlice(1, 1, null);
                RecipientSlice ofStatus = new RecipientSlice(0, 0, a.recipients().get(0).status());
                for (RecipientSlice slice : List.of(second, ofStatus)) {
                    assertThat(withoutIds(postgres.message(other.items().get(i).id(), slice))).as(a.messageId())
                            .isEqualTo(withoutIds(h2.message(all.items().get(i).id(), slice)));
                }
            }
        }
    }

    private static String withoutIds(MessageDetail m) {
        StringBuilder sb = new StringBuilder();
        sb.append(m.messageId()).append(m.sender()).append(m.size()).append(m.firstSeen()).append(m.lastSeen())
                .append(m.status()).append(m.approximate()).append(m.originalMessageId())
                .append(m.original() == null ? "-" : m.original().messageId()).append(m.notifications().size())
                .append(m.recipientStatuses()).append(m.recipientTotal());
        for (MessageDetail.Recipient r : m.recipients()) {
            sb.append('\n').append(r.recipient()).append('|').append(r.originalRecipient()).append('|')
                    .append(r.status()).append('|').append(r.deferrals()).append('|').append(r.attemptsCount())
                    .append('|').append(r.enqueued()).append('|').append(r.finalTime()).append('|')
                    .append(r.delaySeconds());
            for (MessageDetail.Leg l : r.legs()) {
                sb.append("\n  leg ").append(l.time()).append(l.from()).append(l.to()).append(l.queueFile())
                        .append(l.line()).append(l.clientHost()).append(l.clientIp());
            }
            for (MessageDetail.Attempt a : r.attempts()) {
                sb.append("\n  attempt ").append(a.time()).append(a.channel()).append(a.code()).append(a.outcome())
                        .append(a.queueAttempts()).append(a.diagnostic()).append(a.category()).append(a.permanent())
                        .append(a.remoteHost()).append(a.remoteIp()).append(a.smtpCode()).append(a.line())
                        .append(a.gapSeconds());
            }
        }
        return sb.toString();
    }
}
