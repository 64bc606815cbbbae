package com.mailtrail.message;

import com.mailtrail.ingest.TestDatabase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A search read page after page from where the last page ended (MessageQueries.after, as the CSV reads it), on H2 and
 * PostgreSQL: 1,200 messages, 700 of them first seen in the same hundredth of a second, so that pages of 500 end
 * among messages of one time.
 */
class SearchPagingTest {

    private static String log(int count, int sameTime, String prefix, int hour) {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String t = i < sameTime ? "02-Mar-2026 %02d:00:00.00".formatted(hour)
                    : "02-Mar-2026 %02d:%02d:%02d.%02d".formatted(hour, 1 + i / 6000, i / 100 % 60, i % 100);
            String rest = " pager@example.com rfc822;to%d@example.net to%d@example.net /q/tcp_local/ZZ%s%d.00 <%s-%d@example.com>"
                    .formatted(i, i, prefix, i, prefix, i);
            log.append(t).append(" tcp_local    tcp_local    E 2").append(rest).append(" mx\n");
        }
        return log.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void listsEveryMessageOnceInTheSearchsOrderAcrossPages(String kind) {
        DataSource ds = TestDatabase.of(kind);
        TestLogs.importText(ds, "paging.log", log(1200, 700, "p", 10));
        JdbcClient jdbc = JdbcClient.create(ds);
        MessageQueries queries = new MessageQueries(jdbc);
        for (String sort : new String[]{null, "time,asc"}) {
            String order = sort == null ? "DESC" : "ASC";
            List<Long> expected = jdbc.sql("SELECT id FROM message ORDER BY first_seen " + order + ", id " + order)
                    .query(Long.class).list();
            assertThat(expected).hasSize(1200);
            for (String sender : new String[]{null, "pager@example.com"}) {
                MessageCriteria c = form(sender, sort).toCriteria();
                assertThat(ids(all(queries, c, 500))).as("sort %s, sender %s", sort, sender).isEqualTo(expected);
                assertThat(ids(all(queries, c, 7))).as("pages of 7").isEqualTo(expected);
            }
        }
    }

    /**
     * Messages stored between two pages, newer than all (the top of a search newest first), neither repeat the end of
     * the first page on the second (as a page counted by OFFSET did: every row moved down by as many) nor push a
     * message out.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void messagesStoredBetweenPagesNeitherRepeatNorHideOthers(String kind) {
        DataSource ds = TestDatabase.of(kind);
        TestLogs.importText(ds, "paging.log", log(1200, 700, "p", 10));
        MessageQueries queries = new MessageQueries(JdbcClient.create(ds));
        MessageCriteria c = form("pager@example.com", null).toCriteria();
        List<MessageSummary> first = queries.after(c, null, 500);
        TestLogs.importText(ds, "later.log", log(30, 0, "n", 11));
        List<MessageSummary> rest = new ArrayList<>(first);
        MessageSummary last = first.get(first.size() - 1);
        while (true) {
            List<MessageSummary> page = queries.after(c, last, 500);
            rest.addAll(page);
            if (page.size() < 500) {
                break;
            }
            last = page.get(page.size() - 1);
        }
        assertThat(ids(rest)).doesNotHaveDuplicates().hasSize(1200);
        assertThat(rest).extracting(MessageSummary::messageId).noneMatch(id -> id.startsWith("<n-"));
    }

    private static List<MessageSummary> all(MessageQueries queries, MessageCriteria c, int size) {
        List<MessageSummary> out = new ArrayList<>();
        MessageSummary last = null;
        while (true) {
            List<MessageSummary> page = queries.after(c, last, size);
            out.addAll(page);
            if (page.size() < size) {
                return out;
            }
            last = page.get(page.size() - 1);
        }
    }

    private static List<Long> ids(List<MessageSummary> messages) {
        return messages.stream().map(MessageSummary::id).toList();
    }

    private static SearchForm form(String sender, String sort) {
        return new SearchForm(null, null, sender, null, null, null, null, null, null, null, sort, null, null, null,
                null, null, null, null, null, null);
    }
}
