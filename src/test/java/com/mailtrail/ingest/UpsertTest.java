package com.mailtrail.ingest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The aggregate upserts on both databases: PostgreSQL takes them as one ON CONFLICT statement, H2 as UPDATE + INSERT. */
class UpsertTest {

    /** The PostgreSQL databases' pools closed and the databases dropped, test by test. */
    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    private static final LocalDateTime HOUR = LocalDateTime.of(2026, 11, 29, 4, 0);

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void addsToExistingKeysKeepsTheEarliestAndLatestTimesAndInsertsNewKeys(String kind) throws SQLException {
        DataSource ds = TestDatabase.pooled(kind);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            boolean postgres = CopyRows.supported(c);
            assertThat(postgres).isEqualTo(kind.equals("postgres"));
            Upsert first = connections();
            first.add(key("tcp_local", "192.0.2.1"), 3L, 2L, HOUR.plusMinutes(10), HOUR.plusMinutes(20));
            first.add(key("tcp_local", "192.0.2.2"), 1L, 0L, HOUR.plusMinutes(5), HOUR.plusMinutes(5));
            first.execute(c, postgres);
            Upsert second = connections();
            second.add(key("tcp_local", "192.0.2.1"), 4L, 1L, HOUR.plusMinutes(2), HOUR.plusMinutes(15));
            second.add(key("tcp_intranet", "192.0.2.1"), 1L, 1L, HOUR.plusMinutes(30), HOUR.plusMinutes(31));
            second.execute(c, postgres);
            Upsert rollup = new Upsert("rollup_hour", "bucket, channel, domain, outcome, category", "events",
                    Upsert.Merge.ADD);
            rollup.add(new Object[] {HOUR, "tcp_local", "example.org", "deferred", "timeout"}, 5L);
            rollup.execute(c, postgres);
            // a recomputed recipient takes back what it added before
            Upsert correction = new Upsert("rollup_hour", "bucket, channel, domain, outcome, category", "events",
                    Upsert.Merge.ADD);
            correction.add(new Object[] {HOUR, "tcp_local", "example.org", "deferred", "timeout"}, -2L);
            correction.execute(c, postgres);
            c.commit();

            assertThat(rows(c, "SELECT channel, remote_ip, opens, closes, first_time, last_time FROM connection_hour "
                    + "ORDER BY channel, remote_ip")).containsExactly(
                    "tcp_intranet 192.0.2.1 1 1 " + HOUR.plusMinutes(30) + " " + HOUR.plusMinutes(31),
                    "tcp_local 192.0.2.1 7 3 " + HOUR.plusMinutes(2) + " " + HOUR.plusMinutes(20),
                    "tcp_local 192.0.2.2 1 0 " + HOUR.plusMinutes(5) + " " + HOUR.plusMinutes(5));
            assertThat(rows(c, "SELECT domain, events FROM rollup_hour")).containsExactly("example.org 3");
        }
    }

    private static Upsert connections() {
        return new Upsert("connection_hour", "bucket, channel, inbound, remote_ip", "opens, closes, first_time, last_time",
                Upsert.Merge.ADD, Upsert.Merge.ADD, Upsert.Merge.LEAST, Upsert.Merge.GREATEST);
    }

    private static Object[] key(String channel, String ip) {
        return new Object[] {HOUR, channel, true, ip};
    }

    private static List<String> rows(Connection c, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> fields = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    Object v = rs.getObject(i);
                    fields.add(v instanceof java.sql.Timestamp t ? t.toLocalDateTime().toString() : String.valueOf(v));
                }
                rows.add(String.join(" ", fields));
            }
        }
        return rows;
    }
}
