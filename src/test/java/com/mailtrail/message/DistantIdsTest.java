package com.mailtrail.message;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.ingest.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rows far apart in id: on H2 the address indexes are led by buckets of ids (SearchBuckets), so a search must visit
 * every bucket. A day's log imported in two halves, with the ids moved on by hundreds of buckets in between and an
 * empty message cache for the second half, must give what one import gives: the messages that straddle the cut are
 * found in the database and completed, not stored twice, and searches find rows in both halves.
 */
class DistantIdsTest {

    /** The PostgreSQL databases' pools closed and the databases dropped, test by test. */
    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    private static final Pattern MESSAGE_ID = Pattern.compile("<([^<>,\\s]+)>(?:,<[^<>\\s]+>)?");

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aLogImportedInTwoHalvesFarApartInIdsGivesWhatOneImportGives(String kind) {
        String log = TestLogs.generated(GeneratorConfig.of(2000, 11));
        List<String> lines = log.lines().toList();
        int cut = lines.size() / 2;
        String first = String.join("\n", lines.subList(0, cut)) + "\n";
        String second = String.join("\n", lines.subList(cut, lines.size())) + "\n";
        Set<String> straddling = new HashSet<>(ids(first));
        straddling.retainAll(ids(second));
        assertThat(straddling).as("messages with lines in both halves").hasSizeGreaterThanOrEqualTo(3);

        DataSource whole = TestDatabase.pooled(kind);
        TestLogs.importText(whole, "day.log", log);
        DataSource split = TestDatabase.pooled(kind);
        TestLogs.importText(split, "day-1.log", first);
        JdbcClient.create(split).sql("ALTER SEQUENCE id_seq RESTART WITH 1000000").update(); // bucket 244, not 0-4
        TestLogs.importText(split, "day-2.log", second);

        MessageQueries a = new MessageQueries(JdbcClient.create(whole));
        MessageQueries b = new MessageQueries(JdbcClient.create(split));
        SearchForm all = form(null, null);
        assertThat(b.search(all.toCriteria()).total()).isEqualTo(a.search(all.toCriteria()).total());
        assertThat(summaries(b, all)).isEqualTo(summaries(a, all));
        for (String id : straddling) {
            assertThat(stories(b, form(id, null))).as(id).isEqualTo(stories(a, form(id, null))).hasSize(1);
        }

        String straddler = straddling.iterator().next();
        long lastId = b.search(all.toCriteria()).items().get(0).id(); // newest first: from the second half
        String late = b.message(lastId).messageId();
        for (String id : List.of(straddler, late)) {
            assertThat(stories(b, form(id, null))).as(id).isEqualTo(stories(a, form(id, null))).isNotEmpty();
            String recipient = b.message(b.search(form(id, null).toCriteria()).items().get(0).id())
                    .recipients().get(0).originalRecipient();
            assertThat(stories(b, form(null, recipient))).as(recipient).isEqualTo(stories(a, form(null, recipient)));
            String prefix = recipient.substring(0, 3) + "*";
            assertThat(b.search(form(null, prefix).toCriteria()).total()).as(prefix)
                    .isEqualTo(a.search(form(null, prefix).toCriteria()).total());
        }
    }

    private static Set<String> ids(String text) {
        Set<String> ids = new HashSet<>();
        Matcher m = MESSAGE_ID.matcher(text);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    private static SearchForm form(String messageId, String recipient) {
        return new SearchForm(messageId, recipient, null, null, null, null, null, null, null, "500", null, null, null,
                null, null, null, null, null, null, null);
    }

    private static List<String> summaries(MessageQueries q, SearchForm f) {
        return q.search(f.toCriteria()).items().stream().map(m -> m.messageId() + "|" + m.sender() + "|" + m.status()
                + "|" + m.firstSeen() + "|" + m.lastSeen() + "|" + m.recipients()).toList();
    }

    /** Each message found and what happened to its recipients, without ids, files or lines (which differ). */
    private static List<String> stories(MessageQueries q, SearchForm f) {
        return q.search(f.toCriteria()).items().stream().map(s -> {
            MessageDetail m = q.message(s.id());
            StringBuilder sb = new StringBuilder().append(m.messageId()).append('|').append(m.status()).append('|')
                    .append(m.firstSeen()).append('|').append(m.lastSeen()).append('|')
                    .append(m.original() == null ? "-" : m.original().messageId()).append('|')
                    .append(m.notifications().size());
            for (MessageDetail.Recipient r : m.recipients()) {
                sb.append('\n').append(r.recipient()).append('|').append(r.status()).append('|').append(r.deferrals())
                        .append('|').append(r.attemptsCount()).append('|').append(r.finalTime());
            }
            return sb.toString();
        }).toList();
    }
}
