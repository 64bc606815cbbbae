package com.mailtrail.dashboard;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.ingest.TestDatabase;
import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.io.InputStream;
import java.time.LocalDateTime;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard's "all data" range holds every message loaded. */
class DashboardRangeTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void allDataStartsAtTheFirstMessageNotAtItsDelivery(String database) throws Exception {
        DataSource ds = TestDatabase.of(database);
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion", "reprocess", "process"), 1000);
        try (InputStream in = getClass().getResourceAsStream("/logs/seed-multiple-delivery-attempts.txt")) {
            engine.ingest(engine.createSource("test", "seed"), "seed.txt", in, LogOptions.auto(), new Progress());
        }
        DashboardQueries queries = new DashboardQueries(JdbcClient.create(ds));
        // The seed's one message came at 10:31 and was delivered at 20:45: the range began at 20:00, without it.
        TimeRange all = queries.dataRange().orElseThrow();
        assertThat(all.from()).isEqualTo(LocalDateTime.of(1998, 1, 15, 10, 0));
        assertThat(all.to()).isEqualTo(LocalDateTime.of(1998, 1, 15, 21, 0));
        Kpis kpis = queries.kpis(all);
        assertThat(kpis.messages()).isEqualTo(1);
        assertThat(kpis.recipients()).isEqualTo(1);
    }
}
