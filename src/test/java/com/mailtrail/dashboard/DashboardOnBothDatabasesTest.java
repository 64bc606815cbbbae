package com.mailtrail.dashboard;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.ingest.TestDatabase;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's figures, charts and queue from the same logs on H2 and on a real PostgreSQL: the same answers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardOnBothDatabasesTest {

    private DashboardQueries h2;
    private DashboardQueries postgres;
    private QueueQueries h2Queue;
    private QueueQueries postgresQueue;

    @BeforeAll
    void load() throws IOException {
        StringWriter text = new StringWriter();
        new LogGenerator(GeneratorConfig.of(600, 5)).generate(text, null);
        byte[] log = text.toString().getBytes(StandardCharsets.UTF_8);
        DataSource a = TestDatabase.h2();
        DataSource b = TestDatabase.postgres();
        for (DataSource ds : new DataSource[]{a, b}) {
            IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);
            engine.ingest(engine.createSource("test", "day"), "day.log", new ByteArrayInputStream(log),
                    LogOptions.auto(), new Progress());
        }
        h2 = new DashboardQueries(JdbcClient.create(a));
        postgres = new DashboardQueries(JdbcClient.create(b));
        h2Queue = new QueueQueries(JdbcClient.create(a));
        postgresQueue = new QueueQueries(JdbcClient.create(b));
    }

    @Test
    void figuresAndChartsAreTheSame() {
        TimeRange range = h2.dataRange().orElseThrow();
        assertThat(postgres.dataRange()).contains(range);
        Kpis kpis = h2.kpis(range);
        assertThat(postgres.kpis(range)).isEqualTo(kpis);
        assertThat(kpis.messages()).isGreaterThan(500);
        assertThat(kpis.deliveredPercent()).isBetween(50.0, 100.0);
        assertThat(kpis.medianDelay()).isNotNull();
        assertThat(postgres.volume(range)).isEqualTo(h2.volume(range));
        assertThat(postgres.attempts(range)).isEqualTo(h2.attempts(range));
        assertThat(postgres.delays(range)).isEqualTo(h2.delays(range));
        assertThat(postgres.failures(range)).isEqualTo(h2.failures(range));
        assertThat(postgres.domains(range)).isEqualTo(h2.domains(range));
        assertThat(postgres.channels(range)).isEqualTo(h2.channels(range));
        assertThat(h2.failures(range).series()).isNotEmpty();
    }

    /**
     * A chart's colours go by the series' places (charts.js): the domains chart's categories come in the failures
     * chart's order, by name, so that a category has one colour in both. They came in the order the database
     * grouped them, which differed between H2 and PostgreSQL and from one load to the next.
     */
    @Test
    void domainsChartListsItsCategoriesInTheFailuresChartsOrder() {
        TimeRange range = h2.dataRange().orElseThrow();
        for (DashboardQueries q : new DashboardQueries[]{h2, postgres}) {
            List<String> domains = names(q.domains(range));
            List<String> failures = names(q.failures(range));
            assertThat(domains).hasSizeGreaterThan(3).isSorted();
            assertThat(failures).containsAll(domains);
            assertThat(failures.stream().filter(domains::contains).toList()).isEqualTo(domains);
        }
    }

    private static List<String> names(Chart chart) {
        return chart.series().stream().map(Chart.Series::name).toList();
    }

    @Test
    void dailyBucketsForLongRanges() {
        TimeRange week = new TimeRange(h2.dataRange().orElseThrow().from().minusDays(3),
                h2.dataRange().orElseThrow().to().plusDays(3));
        assertThat(week.unit()).isEqualTo("day");
        assertThat(postgres.volume(week)).isEqualTo(h2.volume(week));
        assertThat(h2.volume(week).labels()).hasSize(week.buckets().size());
    }

    @Test
    void decadesAreDrawnPerMonthAndCenturiesPerYearWithEveryRecipientInThem() {
        TimeRange loaded = h2.dataRange().orElseThrow();
        long recipients = sum(h2.volume(loaded));
        // a stray line dated 1970 stretches the loaded range so; per day, the bars stopped 5,000 days after 1970
        TimeRange decades = new TimeRange(java.time.LocalDateTime.of(1970, 1, 1, 0, 0), loaded.to());
        TimeRange centuries = new TimeRange(java.time.LocalDateTime.of(1900, 1, 1, 0, 0), loaded.to().plusYears(50));

        assertThat(decades.unit()).isEqualTo("month");
        assertThat(centuries.unit()).isEqualTo("year");
        for (TimeRange r : new TimeRange[]{decades, centuries}) {
            Chart volume = h2.volume(r);
            assertThat(volume.labels()).hasSize(r.buckets().size()).first().isEqualTo(r.from().toString() + ":00");
            assertThat(sum(volume)).isEqualTo(recipients);
            assertThat(postgres.volume(r)).isEqualTo(volume);
        }
        assertThat(decades.bucket(loaded.from())).isEqualTo(loaded.from().toLocalDate().withDayOfMonth(1)
                .atStartOfDay());
        assertThat(centuries.bucketEnd(centuries.bucket(loaded.from())).getYear())
                .isEqualTo(loaded.from().getYear() + 1);
    }

    /** A log dated from year 1 to 9999 is drawn per decade, 1,000 bars, with every recipient in them, on both. */
    @Test
    void tenThousandYearsAreDrawnPerDecade() {
        long recipients = sum(h2.volume(h2.dataRange().orElseThrow()));
        TimeRange hostile = new TimeRange(java.time.LocalDateTime.of(1, 1, 1, 0, 0),
                java.time.LocalDateTime.of(9999, 12, 31, 23, 0));
        assertThat(hostile.unit()).isEqualTo("decade");
        Chart volume = h2.volume(hostile);
        assertThat(volume.labels()).hasSize(1000);
        assertThat(sum(volume)).isEqualTo(recipients);
        assertThat(postgres.volume(hostile)).isEqualTo(volume);
        assertThat(postgres.failures(hostile)).isEqualTo(h2.failures(hostile));
    }

    private static long sum(Chart chart) {
        return chart.series().stream().flatMap(s -> s.values().stream()).mapToLong(Long::longValue).sum();
    }

    @Test
    void queueIsTheSame() {
        QueueQueries.Queue a = h2Queue.queue();
        QueueQueries.Queue b = postgresQueue.queue();
        assertThat(b.asOf()).isEqualTo(a.asOf());
        assertThat(b.total()).isEqualTo(a.total());
        assertThat(b.totalsByAge()).isEqualTo(a.totalsByAge());
        assertThat(b.domains()).extracting(QueueQueries.DomainRow::domain)
                .containsExactlyElementsOf(a.domains().stream().map(QueueQueries.DomainRow::domain).toList());
    }

    /**
     * The queue page's list of the oldest waiting recipients comes oldest first to the hundredth of a second, in the
     * same order on both: it was sorted by whole minutes of age only, so recipients enqueued within one minute came
     * in the order the database returned them (in a generated day on PostgreSQL, one enqueued at 15:27:17 above one
     * of 15:27:14). The lines are out of order within the minute, as several MTA processes write them.
     */
    @Test
    void queueListsTheOldestFirstInTheSameOrderOnBoth() throws IOException {
        String log = """
                02-Mar-2026 10:00:50.00 tcp_intranet tcp_local    E 3 s@sender.example rfc822;late@q.example late@q.example <o1@test>
                02-Mar-2026 10:00:10.00 tcp_intranet tcp_local    E 3 s@sender.example rfc822;early@q.example early@q.example <o2@test>
                02-Mar-2026 10:00:30.00 tcp_intranet tcp_local    E 3 s@sender.example rfc822;middle@q.example middle@q.example <o3@test>
                02-Mar-2026 10:30:00.00 tcp_local                 Q 3 s@sender.example rfc822;late@q.example late@q.example <o1@test> TCP active open: Failed connect()    Error: Connection timed out
                """;
        List<List<String>> orders = new java.util.ArrayList<>();
        for (DataSource ds : new DataSource[]{TestDatabase.h2(), TestDatabase.postgres()}) {
            IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);
            engine.ingest(engine.createSource("test", "queue"), "mail.log",
                    new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), LogOptions.auto(), new Progress());
            orders.add(new QueueQueries(JdbcClient.create(ds)).queue().oldest().stream()
                    .map(QueueQueries.Waiting::recipient).toList());
        }
        assertThat(orders.get(0)).containsExactly("early@q.example", "middle@q.example", "late@q.example");
        assertThat(orders.get(1)).isEqualTo(orders.get(0));
    }
}
