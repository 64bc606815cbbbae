package com.mailtrail.ingest;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The H2 databases the tests get are copies of one Flyway migrated, not migrated each (see {@link TestDatabase#h2()}):
 * a copy must be what Flyway makes, or every H2 test would test another schema.
 */
class TestDatabaseTest {

    @Test
    void anH2CopyHasTheSchemaAndRowsFlywayGivesAndFlywayFindsNothingToDo() throws SQLException {
        DataSource copy = TestDatabase.h2();
        JdbcDataSource migrated = new JdbcDataSource();
        migrated.setURL("jdbc:h2:mem:test-database-test");
        migrated.setUser("sa");
        try (Connection keeper = migrated.getConnection(); Connection copied = copy.getConnection()) {
            TestDatabase.migrate(migrated);
            List<String> expected = TestDatabase.script(keeper);
            // the history rows say when and how fast each migration ran: the same rows, apart from that
            assertThat(withoutHistory(TestDatabase.script(copied))).isEqualTo(withoutHistory(expected))
                    .anyMatch(s -> s.startsWith("CREATE INDEX"));
            assertThat(history(copied)).isEqualTo(history(keeper)).hasSizeGreaterThan(10);
        }
        Flyway flyway = Flyway.configure().dataSource(copy).locations("classpath:db/migration").load();
        flyway.validate();
        assertThat(flyway.migrate().migrationsExecuted).isZero();
    }

    private static List<String> withoutHistory(List<String> script) {
        return script.stream().filter(s -> !s.startsWith("INSERT INTO \"PUBLIC\".\"flyway_schema_history\"")).toList();
    }

    private static List<String> history(Connection c) throws SQLException {
        List<String> out = new java.util.ArrayList<>();
        try (var st = c.createStatement(); var rs = st.executeQuery("SELECT \"installed_rank\", \"version\", "
                + "\"description\", \"type\", \"script\", \"checksum\", \"success\" FROM \"flyway_schema_history\" "
                + "ORDER BY 1")) {
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= 7; i++) {
                    row.append(rs.getString(i)).append(" | ");
                }
                out.add(row.toString());
            }
        }
        return out;
    }
}
