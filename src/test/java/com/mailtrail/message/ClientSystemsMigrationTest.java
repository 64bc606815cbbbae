package com.mailtrail.message;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.ingest.ClientSystems;
import com.mailtrail.ingest.TestDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database written before V22 has no recipient.client_ip nor client_system: V22 fills them from the stored enqueues
 * as the write path fills them, also when run again after a stop half-way, and a search by client then goes through
 * them.
 */
class ClientSystemsMigrationTest {

    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void storedEnqueuesGetTheClientsOfTheWritePath(String kind) {
        DataSource ds = TestDatabase.empty(kind);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        TestLogs.importResource(ds, "/logs/remote.log");
        TestLogs.importGenerated(ds, GeneratorConfig.of(800, 3));
        JdbcClient jdbc = JdbcClient.create(ds);
        List<String> written = ClientSystems.listed(ds);
        assertThat(written).hasSizeGreaterThan(50);
        long withAddress = ClientSystems.assertClientIps(ds);
        assertThat(withAddress).isGreaterThan(500);
        MessageQueries queries = new MessageQueries(jdbc);
        Map<String, String> search = Map.of("client", ".spammer.example");
        PageResult<MessageSummary> before = queries.search(RemoteSearchTest.form(search).toCriteria());
        PageResult<MessageSummary> pinecrest = queries.search(RemoteSearchTest.form(
                Map.of("client", ".pinecrest-realty.example")).toCriteria());
        assertThat(pinecrest.total()).isPositive();

        List<List<String>> states = List.of(
                // a database before V22: no such column, table or index, and V22 not run
                List.of("DROP INDEX recipient_client_ip", "DROP TABLE client_system",
                        "ALTER TABLE recipient DROP COLUMN client_ip",
                        "DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '22'"),
                // stopped half-way (H2 commits DDL at once): the column and table there, part of the rows filled, no
                // index
                List.of("DROP INDEX recipient_client_ip", "DELETE FROM client_system WHERE ip > '198'",
                        "UPDATE recipient SET client_ip = NULL WHERE id > (SELECT MIN(id) + 300 FROM recipient)",
                        "DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '22'"));
        for (List<String> state : states) {
            state.forEach(sql -> jdbc.sql(sql).update());
            migrate(ds);

            assertThat(ClientSystems.listed(ds)).isEqualTo(written);
            assertThat(ClientSystems.assertClientIps(ds)).isEqualTo(withAddress);
            assertFound(queries, search, before);
            assertFound(queries, Map.of("client", ".pinecrest-realty.example"), pinecrest);
        }
    }

    private static void migrate(DataSource ds) {
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").outOfOrder(true).load().migrate();
    }

    private static void assertFound(MessageQueries queries, Map<String, String> search,
                                    PageResult<MessageSummary> expected) {
        MessageCriteria c = RemoteSearchTest.form(search).toCriteria();
        assertThat(queries.clientAddresses(c.client())).as("%s", search).isNotNull().isNotEmpty();
        PageResult<MessageSummary> after = queries.search(c);
        assertThat(after.total()).isEqualTo(expected.total()).isPositive();
        assertThat(after.items()).isEqualTo(expected.items());
    }
}
