package com.mailtrail.message;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.ingest.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database written before V21 has no remote_system: V21 lists the remote systems of its stored outcomes as the write
 * path lists them, and a search by host name or domain then goes through it.
 */
class RemoteSystemsMigrationTest {

    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void storedOutcomesGetTheRemoteSystemsOfTheWritePath(String kind) {
        DataSource ds = TestDatabase.empty(kind);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        TestLogs.importResource(ds, "/logs/remote.log");
        TestLogs.importGenerated(ds, GeneratorConfig.of(800, 3));
        JdbcClient jdbc = JdbcClient.create(ds);
        Set<String> written = RemoteSystemsTest.pairs(jdbc);
        assertThat(written).hasSizeGreaterThan(20);
        MessageQueries queries = new MessageQueries(jdbc);
        PageResult<MessageSummary> before = queries.search(RemoteSearchTest.form(Map.of("remote", ".bigisp.example"))
                .toCriteria());

        // a database before V21: no such table, and V21 not run
        jdbc.sql("DROP TABLE remote_system").update();
        jdbc.sql("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '21'").update();
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").outOfOrder(true).load().migrate();

        assertThat(RemoteSystemsTest.pairs(jdbc)).isEqualTo(written);
        MessageCriteria c = RemoteSearchTest.form(Map.of("remote", ".bigisp.example")).toCriteria();
        assertThat(queries.remoteAddresses(c.remote())).containsExactlyInAnyOrder("192.0.2.7", "192.0.2.8");
        PageResult<MessageSummary> after = queries.search(c);
        assertThat(after.total()).isEqualTo(before.total()).isEqualTo(3);
        assertThat(after.items()).isEqualTo(before.items());
    }
}
