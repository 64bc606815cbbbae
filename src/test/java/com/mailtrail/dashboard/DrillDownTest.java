package com.mailtrail.dashboard;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.ingest.PooledDatabase;
import com.mailtrail.message.MessageQueries;
import com.mailtrail.message.MessageSummary;
import com.mailtrail.message.PageResult;
import com.mailtrail.message.SearchForm;
import com.mailtrail.parse.LogOptions;
import com.zaxxer.hikari.HikariDataSource;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.UriComponentsBuilder;
import org.springframework.web.util.UriUtils;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A click on a dashboard bar lists exactly the messages of what the bar counts, and the search counts as many
 * recipients as a bar of recipients, as many outcomes as a bar of outcomes (failure reasons, destinations, deliveries
 * per channel). In drill-down.log m9's recipient is greylisted twice at 12:00 (a bar of 2 outcomes, 1 recipient), and
 * m8 has two recipients
 * in the same bars (two timeouts at f.example at 11:00, two bounces at 11:00): 1 message, 2 recipients, which the
 * search's total of messages alone could not match; with the search's old reading (any recipient in the domain and
 * any attempt of the category; the bar's hour taken as the messages' first line) a b.example recipient delivered
 * beside an a.example recipient deferred for a timeout showed in the b.example timeout bar, a bounce for a DNS failure
 * in the DNS deferrals, and a message first seen at 09:50 was missing from the 10:00 bar of its 10:20 timeout.
 */
class DrillDownTest {

    /**
     * Each bar's check is a search of a few queries, hundreds per test: on a connection of their own each, as the test
     * database hands them out, PostgreSQL started a server process for every one of them.
     */
    private final List<HikariDataSource> pools = new ArrayList<>();

    private DataSource pooled(String kind) {
        HikariDataSource ds = PooledDatabase.of(kind);
        pools.add(ds);
        return ds;
    }

    @AfterEach
    void closePools() {
        pools.forEach(HikariDataSource::close);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void everyBarSearchesAsManyRecipientsAsItCounts(String kind) {
        DataSource ds = pooled(kind);
        ingest(ds, "drill-down.log", resource("/logs/drill-down.log"));
        DashboardQueries dashboard = new DashboardQueries(JdbcClient.create(ds));
        MessageQueries messages = new MessageQueries(JdbcClient.create(ds));
        TimeRange range = dashboard.dataRange().orElseThrow();
        assertThat(range.unit()).isEqualTo("hour");

        SoftAssertions soft = new SoftAssertions();
        Map<String, Chart> charts = charts(dashboard, range);
        for (Map.Entry<String, Chart> chart : charts.entrySet()) {
            forEachBar(chart.getValue(), (bar, link) -> checkBar(soft, messages, chart.getKey(),
                    chart.getKey() + " " + bar.name(), bar.value(), link));
        }
        soft.assertAll();

        // the bars of the log's story, so that the loop above is known to have met them
        Chart domains = charts.get("domains");
        assertThat(domains.labels()).containsExactly("b.example", "f.example", "g.example", "a.example", "c.example");
        assertThat(bar(domains, "timeout", "b.example")).isEqualTo(1);
        assertThat(bar(domains, "dns", "b.example")).isEqualTo(1);
        assertThat(bar(domains, "dns", "a.example")).isZero();
        assertThat(total(messages, link(domains, "timeout", "b.example"))).isEqualTo(1);
        // m8's two recipients: one message listed, two recipients counted, as the bar
        assertThat(bar(domains, "timeout", "f.example")).isEqualTo(2);
        assertThat(total(messages, link(domains, "timeout", "f.example"))).isEqualTo(1);
        assertThat(recipients(messages, link(domains, "timeout", "f.example"))).isEqualTo(2);
        Chart volume = charts.get("volume");
        assertThat(bar(volume, "bounced", "2026-03-02T11:00:00")).isEqualTo(3);
        assertThat(total(messages, link(volume, "bounced", "2026-03-02T11:00:00"))).isEqualTo(2);
        Chart failures = charts.get("failures");
        assertThat(bar(failures, "timeout", "2026-03-02T10:00:00")).isEqualTo(3);
        Chart channels = charts.get("channels");
        assertThat(bar(channels, "tcp_local", "2026-03-02T10:00:00")).isEqualTo(2);
        assertThat(bar(volume, "delivered", "2026-03-02T11:00:00")).isEqualTo(1);
        // m9's recipient greylisted twice in the 12:00 hour: two outcomes in the bars, one recipient, one message
        assertThat(bar(failures, "greylisted", "2026-03-02T12:00:00")).isEqualTo(2);
        assertThat(bar(domains, "greylisted", "g.example")).isEqualTo(2);
        for (String link : List.of(link(failures, "greylisted", "2026-03-02T12:00:00"),
                link(domains, "greylisted", "g.example"))) {
            PageResult<MessageSummary> found = search(messages, link);
            assertThat(found.total()).as(link).isEqualTo(1);
            assertThat(found.recipients()).as(link).isEqualTo(1);
            assertThat(found.outcomes()).as(link).isEqualTo(2);
        }
        // the searches of recipients have no count of outcomes
        assertThat(search(messages, link(volume, "delivered", "2026-03-02T12:00:00")).outcomes()).isNull();
    }

    /**
     * The deferrals of a list's members count under the domain they were for, as the Queue page groups them: bob's
     * two greylistings by mx.list.test under list.test and cy's refused connections under other.test, none under the
     * list's own lists.test (where QA saw 75 members' greylistings at list.test). Each bar's search lists the one
     * message and its one recipient (the bars count outcomes: two of bob's, two of cy's); a search by the list's
     * @domain still finds it.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aListMembersDeferralsCountUnderTheDomainTheyWereFor(String kind) {
        DataSource ds = pooled(kind);
        ingest(ds, "list-expansion.log", resource("/logs/list-expansion.log"));
        DashboardQueries dashboard = new DashboardQueries(JdbcClient.create(ds));
        MessageQueries messages = new MessageQueries(JdbcClient.create(ds));
        Chart domains = dashboard.domains(dashboard.dataRange().orElseThrow());

        assertThat(domains.labels()).containsExactly("list.test", "other.test");
        assertThat(bar(domains, "greylisted", "list.test")).isEqualTo(2);
        assertThat(bar(domains, "greylisted", "other.test")).isZero();
        assertThat(bar(domains, "refused", "other.test")).isEqualTo(2);
        assertThat(total(messages, link(domains, "greylisted", "list.test"))).isEqualTo(1);
        assertThat(total(messages, link(domains, "greylisted", "other.test"))).isZero();
        assertThat(total(messages, link(domains, "refused", "other.test"))).isEqualTo(1);
        assertThat(recipients(messages, link(domains, "greylisted", "list.test"))).isEqualTo(1);
        assertThat(recipients(messages, link(domains, "refused", "other.test"))).isEqualTo(1);
        assertThat(search(messages, link(domains, "greylisted", "list.test")).outcomes()).isEqualTo(2);
        assertThat(search(messages, link(domains, "refused", "other.test")).outcomes()).isEqualTo(2);
        assertThat(total(messages, "/search?deliveredTo=lists.test")).isZero();
        assertThat(total(messages, "/search?recipient=@lists.test&outcome=deferred")).isEqualTo(1);
    }

    /**
     * On a generated day a bar may count several recipients of one message, never fewer messages than it lists. The
     * charts of recipients (by outcome, attempts, time to delivery) count as many as their searches' recipients; the
     * charts of outcomes (failure reasons, destinations, deliveries per channel) as many as their searches' outcomes,
     * a recipient deferred twice in the hour twice (its search's recipients count it once). The failing destinations too: the day has lists and aliases whose
     * members are at other domains (it-ops@example.com greylisted at mx1.maplegrove-school.example), counted and
     * listed under the domain delivered to; their bars went by the list's domain while the search found the member by
     * its own (maplegrove-school.example listed 1 message for a bar of 0).
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void onAGeneratedDayEveryBarSearchesWhatItCounts(String kind) throws IOException {
        DataSource ds = pooled(kind);
        StringWriter day = new StringWriter();
        new LogGenerator(GeneratorConfig.of(300, 7)).generate(day, null);
        ingest(ds, "day.log", day.toString().getBytes(StandardCharsets.UTF_8));
        DashboardQueries dashboard = new DashboardQueries(JdbcClient.create(ds));
        MessageQueries messages = new MessageQueries(JdbcClient.create(ds));
        TimeRange range = dashboard.dataRange().orElseThrow();

        SoftAssertions soft = new SoftAssertions();
        int bars = 0;
        int severalPerMessage = 0;
        int severalPerRecipient = 0;
        Map<String, Chart> charts = charts(dashboard, range);
        for (Map.Entry<String, Chart> chart : charts.entrySet()) {
            boolean ofRecipients = !OF_OUTCOMES.contains(chart.getKey());
            for (Chart.Series s : chart.getValue().series()) {
                for (int i = 0; i < s.values().size(); i++) {
                    long value = s.values().get(i);
                    PageResult<MessageSummary> found = search(messages, s.links().get(i));
                    String what = chart.getKey() + " " + s.name() + " " + chart.getValue().labels().get(i);
                    soft.assertThat(found.recipients()).as(what).isNotNull();
                    long recipients = found.recipients() == null ? -1 : found.recipients();
                    if (value == 0) {
                        soft.assertThat(found.total()).as(what).isZero();
                        soft.assertThat(recipients).as(what).isZero();
                    } else {
                        bars++;
                        soft.assertThat(found.total()).as(what).isBetween(1L, recipients);
                        if (ofRecipients) {
                            soft.assertThat(recipients).as(what).isEqualTo(value);
                            soft.assertThat(found.outcomes()).as(what).isNull();
                        } else {
                            soft.assertThat(found.outcomes()).as(what).isEqualTo(value);
                            soft.assertThat(recipients).as(what).isBetween(1L, value);
                            severalPerRecipient += value > recipients ? 1 : 0;
                        }
                        severalPerMessage += recipients > found.total() ? 1 : 0;
                    }
                }
            }
        }
        soft.assertThat(bars).as("bars drawn").isGreaterThan(100);
        soft.assertThat(severalPerMessage).as("bars with more recipients than messages").isPositive();
        soft.assertThat(severalPerRecipient).as("bars with more outcomes than recipients").isPositive();
        soft.assertAll();
    }

    /**
     * A Queue page row counts the recipients of its domain still deferred or queued (enqueued, no outcome yet), and its
     * link lists them all: it listed only the deferred ones (q.example: 3 waiting, one of them deferred, 1 listed).
     * queue.log has at most one waiting recipient per message and domain, so messages listed equal recipients counted.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void everyQueueRowSearchesAsManyRecipientsAsItCounts(String kind) {
        DataSource ds = pooled(kind);
        ingest(ds, "queue.log", resource("/logs/queue.log"));
        QueueQueries.Queue queue = new QueueQueries(JdbcClient.create(ds)).queue();
        MessageQueries messages = new MessageQueries(JdbcClient.create(ds));

        assertThat(queue.domains()).extracting(QueueQueries.DomainRow::domain)
                .containsExactly("q.example", "w.example");
        assertThat(queue.domains().get(0).total()).isEqualTo(3);
        for (QueueQueries.DomainRow row : queue.domains()) {
            assertThat(total(messages, row.link())).as(row.link()).isEqualTo(row.total());
            assertThat(recipients(messages, row.link())).as(row.link()).isEqualTo(row.total());
        }
    }

    /**
     * A Queue page age cell counts the waiting recipients of its domain (or of all, in the row All) enqueued in its
     * range of enqueue times, and links to the search for just those: it had no link. queue-ages.log has a waiting
     * recipient at each bucket's edge, aged exactly 5 min, 30 min, 2 h, 6 h and a day as of the newest log time
     * (12:00), one a day and an hour old, a8, whose log shows no enqueue, aged from its first line (11:40), and a7's
     * two recipients at w.example, both 3 h old: one message listed in that cell, two recipients counted.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void everyQueueAgeCellSearchesAsManyRecipientsAsItCounts(String kind) {
        DataSource ds = pooled(kind);
        ingest(ds, "queue-ages.log", resource("/logs/queue-ages.log"));
        QueueQueries.Queue queue = new QueueQueries(JdbcClient.create(ds)).queue();
        MessageQueries messages = new MessageQueries(JdbcClient.create(ds));

        assertThat(queue.asOf()).isEqualTo(LocalDateTime.of(2026, 3, 2, 12, 0));
        assertThat(queue.domains()).extracting(QueueQueries.DomainRow::domain)
                .containsExactly("q.example", "w.example");
        // the edges: exactly 5 min under "≤ 5 min", exactly a day under "6–24 h"
        assertThat(queue.domains().get(0).byAge()).containsExactly(1, 1, 1, 1, 0, 1);
        assertThat(queue.domains().get(1).byAge()).containsExactly(0, 1, 0, 2, 1, 0);
        assertThat(queue.totalsByAge()).containsExactly(1, 2, 1, 3, 1, 1);

        SoftAssertions soft = new SoftAssertions();
        int cells = 0;
        for (QueueQueries.DomainRow row : queue.domains()) {
            soft.assertThat(recipients(messages, row.link())).as(row.link()).isEqualTo(row.total());
            cells += checkAgeCells(soft, messages, row.domain(), row.byAge(), row.ageLinks());
        }
        soft.assertThat(recipients(messages, queue.link())).as(queue.link()).isEqualTo(queue.total());
        cells += checkAgeCells(soft, messages, "All", queue.totalsByAge(), queue.ageLinks());
        soft.assertThat(cells).as("non-zero cells").isEqualTo(14);
        soft.assertAll();
        String a7 = queue.domains().get(1).ageLinks()[3];
        assertThat(total(messages, a7)).as(a7).isEqualTo(1);
        assertThat(recipients(messages, a7)).as(a7).isEqualTo(2);
        assertThat(queue.domains().get(0).ageLinks()[0]).isEqualTo(
                "/search?deliveredTo=q.example&status=waiting&enqueuedFrom=2026-03-02T11:55:00");
        assertThat(queue.domains().get(0).ageLinks()[5]).isEqualTo(
                "/search?deliveredTo=q.example&status=waiting&enqueuedTo=2026-03-01T12:00:00");
    }

    private static int checkAgeCells(SoftAssertions soft, MessageQueries messages, String row, long[] counts,
                                     String[] links) {
        int cells = 0;
        for (int i = 0; i < counts.length; i++) {
            String what = row + " " + QueueQueries.AGES.get(i);
            if (counts[i] == 0) {
                soft.assertThat(links[i]).as(what).isNull();
            } else {
                cells++;
                checkBar(soft, messages, "queue", what, counts[i], links[i]);
            }
        }
        return cells;
    }

    /**
     * The dashboard's figures that are links search as many recipients as they count (the messages figure: messages),
     * for the loaded range, each of its hours and a range that does not start or end on the hour. The bounced figure
     * counts bounces by the hour they happened, and its search went by the messages' first line: m6, first seen at
     * 09:40 and bounced at 10:05, was listed under 09:00 (a figure of 0), m7, first seen at 10:45 and bounced at
     * 11:05, missing under 11:00. m8's two bounces at 11:40 and a7's two deferrals are one message each. The recipients
     * figure searches the range's hours alone (it had no link): every recipient in the hour of its final outcome, or of
     * its enqueue while it has none, as the figure counts them.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void everyFigureThatIsALinkSearchesAsManyAsItCounts(String kind) {
        DataSource ds = pooled(kind);
        ingest(ds, "drill-down.log", resource("/logs/drill-down.log"));
        ingest(ds, "queue-ages.log", resource("/logs/queue-ages.log"));
        DashboardQueries dashboard = new DashboardQueries(JdbcClient.create(ds));
        MessageQueries messages = new MessageQueries(JdbcClient.create(ds));
        LocalDateTime day = LocalDateTime.of(2026, 3, 2, 0, 0);
        List<TimeRange> ranges = new ArrayList<>();
        ranges.add(dashboard.dataRange().orElseThrow());
        for (int h = 9; h < 15; h++) {
            ranges.add(new TimeRange(day.plusHours(h), day.plusHours(h + 1)));
        }
        ranges.add(new TimeRange(day.plusHours(9).plusMinutes(30), day.plusHours(11).plusMinutes(30)));

        SoftAssertions soft = new SoftAssertions();
        for (TimeRange range : ranges) {
            Kpis kpis = dashboard.kpis(range);
            soft.assertThat(search(messages, kpis.links().messages()).total()).as("messages %s", range)
                    .isEqualTo(kpis.messages());
            soft.assertThat(search(messages, kpis.links().messages()).recipients()).as("no recipient condition")
                    .isNull();
            checkBar(soft, messages, "kpis", "recipients " + range, kpis.recipients(), kpis.links().recipients());
            checkBar(soft, messages, "kpis", "bounced " + range, kpis.bounced(), kpis.links().bounced());
            checkBar(soft, messages, "kpis", "deferred now " + range, kpis.deferredNow(), kpis.links().deferredNow());
            // and the bars of the range, whose first and last may count part of their hours or none
            charts(dashboard, range).forEach((name, chart) -> forEachBar(chart, (bar, link) -> {
                if (link == null) {
                    soft.assertThat(bar.value()).as("%s %s %s without a search", range, name, bar.name()).isZero();
                } else {
                    checkBar(soft, messages, name, range + " " + name + " " + bar.name(), bar.value(), link);
                }
            }));
        }
        soft.assertAll();

        // the figures of the story above, so that the loop is known to have met them
        assertThat(dashboard.kpis(ranges.get(1)).bounced()).isZero();
        assertThat(dashboard.kpis(ranges.get(2)).bounced()).isEqualTo(3);
        assertThat(dashboard.kpis(ranges.get(3)).bounced()).isEqualTo(3);
        assertThat(total(messages, dashboard.kpis(ranges.get(3)).links().bounced())).isEqualTo(2);
        assertThat(dashboard.kpis(ranges.get(0)).deferredNow()).isEqualTo(4);
        assertThat(total(messages, dashboard.kpis(ranges.get(0)).links().deferredNow())).isEqualTo(3);
        assertThat(dashboard.kpis(ranges.get(3)).links().bounced())
                .isEqualTo("/search?status=bounced&eventFrom=2026-03-02T11:00:00&eventTo=2026-03-02T12:00:00");
        assertThat(dashboard.kpis(ranges.get(7)).links().bounced())
                .isEqualTo("/search?status=bounced&eventFrom=2026-03-02T10:00:00&eventTo=2026-03-02T12:00:00");
        // 11:00 to 12:00: u1 delivered at 11:20, x7 bounced at 11:05, m8's y1 and y2 at 11:40 (one message), a5 and
        // a6 waiting since their enqueues at 11:30 and 11:55, a8 waiting since its first line at 11:40 (no enqueue)
        assertThat(dashboard.kpis(ranges.get(3)).recipients()).isEqualTo(7);
        assertThat(total(messages, dashboard.kpis(ranges.get(3)).links().recipients())).isEqualTo(6);
        // 09:30 to 11:30 counts the hours 10:00 and 11:00, and so does its search
        assertThat(dashboard.kpis(ranges.get(7)).links().recipients())
                .isEqualTo("/search?eventFrom=2026-03-02T10:00:00&eventTo=2026-03-02T12:00:00");
    }

    private record Bar(String name, long value) {
    }

    private interface BarCheck {
        void check(Bar bar, String link);
    }

    private static void forEachBar(Chart chart, BarCheck check) {
        for (Chart.Series s : chart.series()) {
            for (int i = 0; i < s.values().size(); i++) {
                check.check(new Bar(s.name() + " " + chart.labels().get(i), s.values().get(i)), s.links().get(i));
            }
        }
    }

    private static Map<String, Chart> charts(DashboardQueries d, TimeRange r) {
        Map<String, Function<TimeRange, Chart>> all = new LinkedHashMap<>();
        all.put("volume", d::volume);
        all.put("attempts", d::attempts);
        all.put("delays", d::delays);
        all.put("failures", d::failures);
        all.put("domains", d::domains);
        all.put("channels", d::channels);
        Map<String, Chart> charts = new LinkedHashMap<>();
        all.forEach((name, chart) -> charts.put(name, chart.apply(r)));
        return charts;
    }

    private static long bar(Chart chart, String series, String label) {
        Chart.Series s = chart.series().stream().filter(x -> x.name().equals(series)).findFirst().orElseThrow();
        return s.values().get(chart.labels().indexOf(label));
    }

    private static String link(Chart chart, String series, String label) {
        Chart.Series s = chart.series().stream().filter(x -> x.name().equals(series)).findFirst().orElseThrow();
        return s.links().get(chart.labels().indexOf(label));
    }

    /** The charts that count outcomes (rollup_hour) rather than recipients. */
    private static final Set<String> OF_OUTCOMES = Set.of("failures", "domains", "channels");

    /**
     * The search behind a count's link counts as many recipients as a count of recipients, as many outcomes as a
     * chart of outcomes ({@code chart}, see OF_OUTCOMES), and lists as many messages as recipients or fewer (one for
     * each), none without recipients.
     */
    private static void checkBar(SoftAssertions soft, MessageQueries messages, String chart, String what, long value,
                                 String link) {
        PageResult<MessageSummary> found = search(messages, link);
        long recipients = found.recipients() == null ? -1 : found.recipients();
        if (OF_OUTCOMES.contains(chart)) {
            soft.assertThat(found.outcomes()).as("outcomes of %s: %s", what, link).isEqualTo(value);
            soft.assertThat(recipients).as("recipients of %s: %s", what, link).isBetween(Math.min(1, value), value);
        } else {
            soft.assertThat(recipients).as("%s: %s", what, link).isEqualTo(value);
        }
        soft.assertThat(found.total()).as("messages of %s: %s", what, link)
                .isBetween(Math.min(1, value), Math.max(recipients, 0));
    }

    private static long total(MessageQueries messages, String link) {
        return search(messages, link).total();
    }

    private static long recipients(MessageQueries messages, String link) {
        Long recipients = search(messages, link).recipients();
        assertThat(recipients).as("recipients of %s", link).isNotNull();
        return recipients;
    }

    /** The search page behind {@code link}: its parameters, read as the page reads them. */
    private static PageResult<MessageSummary> search(MessageQueries messages, String link) {
        assertThat(link).startsWith("/search?");
        MultiValueMap<String, String> q = UriComponentsBuilder.fromUriString(link).build().getQueryParams();
        Function<String, String> p = name -> q.getFirst(name) == null ? null
                : UriUtils.decode(q.getFirst(name), StandardCharsets.UTF_8);
        assertThat(q.keySet()).isSubsetOf("recipient", "from", "to", "status", "channel", "category", "attempts",
                "delay", "outcome", "eventFrom", "eventTo", "deliveredTo", "enqueuedFrom", "enqueuedTo");
        SearchForm form = new SearchForm(null, p.apply("recipient"), null, p.apply("from"), p.apply("to"),
                p.apply("status"), p.apply("channel"), p.apply("category"), null, null, null, null, p.apply("attempts"),
                p.apply("delay"), p.apply("outcome"), p.apply("eventFrom"), p.apply("eventTo"), p.apply("deliveredTo"),
                p.apply("enqueuedFrom"), p.apply("enqueuedTo"));
        return messages.search(form.toCriteria());
    }

    private static byte[] resource(String name) {
        try (InputStream in = DrillDownTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void ingest(DataSource ds, String name, byte[] log) {
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);
        try {
            engine.ingest(engine.createSource("test", name), name, new ByteArrayInputStream(log), LogOptions.auto(),
                    new Progress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
