package com.mailtrail.bench;

import com.mailtrail.generate.GeneratorConfig;
import com.mailtrail.generate.LogGenerator;
import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
import com.zaxxer.hikari.HikariDataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The H2 floor copies exactly what an import stored: a dump of each copy is the same bytes as the dump of the
 * imported database, in both variants. (H2 only: on PostgreSQL the floor is its COPY.)
 */
class H2InsertBaselineTest {

    @TempDir
    Path dir;

    @Test
    void copiesEveryRowTheImportStoredIntoBothVariants() throws Exception {
        Path log = dir.resolve("mail.log");
        try (Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            new LogGenerator(GeneratorConfig.of(0, BenchData.SEED).withMaxEntries(3000)).generate(out, null);
        }
        JdbcDataSource imported = BenchData.freshDatabase(dir.resolve("imported"));
        try (HikariDataSource pool = BenchData.pooled(imported); Connection keepOpen = imported.getConnection();
             InputStream in = Files.newInputStream(log)) {
            IngestEngine engine = new IngestEngine(pool, Set.of("conversion", "reprocess", "process"), 200);
            engine.ingest(engine.createSource("import", log.toString()), log.toString(), in, LogOptions.auto(), new Progress());
        }
        JdbcDataSource indexed = BenchData.freshDatabase(dir.resolve("indexed"));
        JdbcDataSource issue = BenchData.freshDatabase(dir.resolve("issue"));
        JdbcDataSource keys = BenchData.freshDatabase(dir.resolve("keys"));

        List<H2InsertBaseline.Table> tables = H2InsertBaseline.dump(imported, indexed, dir.resolve("rows"));
        Map<String, Long> rows = tables.stream().collect(Collectors.toMap(H2InsertBaseline.Table::name, H2InsertBaseline.Table::rows));
        assertThat(rows).containsKeys("LOG_SOURCE", "LOG_FILE", "MESSAGE", "RECIPIENT", "ATTEMPT", "RAW_BLOCK",
                "CONNECTION", "ROLLUP_HOUR").doesNotContainKeys("WRITER_TURN", "flyway_schema_history");
        assertThat(rows.get("MESSAGE")).isGreaterThan(100);
        // what a later JVM reads back to insert the same dump (H2FloorBenchmark)
        H2InsertBaseline.writeManifest(dir.resolve("rows"), tables, 3000, 15, 1.5);
        assertThat(H2InsertBaseline.Kept.read(dir.resolve("rows"))).isEqualTo(new H2InsertBaseline.Kept(tables, 3000, 15, 1.5));
        assertThat(rows.get("RECIPIENT")).isGreaterThan(rows.get("MESSAGE"));

        H2InsertBaseline.Result full = H2InsertBaseline.insert(H2InsertBaseline.Variant.AS_MIGRATED, tables, indexed, 15);
        H2InsertBaseline.Result searches = H2InsertBaseline.insert(H2InsertBaseline.Variant.ISSUE_SEARCHES, tables, issue, 15);
        H2InsertBaseline.Result bare = H2InsertBaseline.insert(H2InsertBaseline.Variant.KEYS_ONLY, tables, keys, 15);

        for (JdbcDataSource copy : List.of(indexed, issue, keys)) {
            List<H2InsertBaseline.Table> again = H2InsertBaseline.dump(copy, BenchData.freshDatabase(dir.resolve("empty")),
                    dir.resolve("again"));
            assertThat(again).extracting(H2InsertBaseline.Table::name).isEqualTo(tables.stream().map(H2InsertBaseline.Table::name).toList());
            for (int i = 0; i < tables.size(); i++) {
                assertThat(again.get(i).file()).as(tables.get(i).name()).hasSameBinaryContentAs(tables.get(i).file());
            }
        }
        assertThat(full.rows()).isEqualTo(rows.values().stream().mapToLong(Long::longValue).sum());
        assertThat(full.transactions()).isEqualTo(15);
        assertThat(full.secondaryIndexes()).contains("MESSAGE_SENDER", "RECIPIENT_ADDRESS", "RECIPIENT_STATUS", "ATTEMPT_MESSAGE")
                .containsAll(H2InsertBaseline.Variant.BEYOND_THE_ISSUE);
        // the issue's searches keep every other index: a name changed by a migration fails here, not quietly
        List<String> kept = new ArrayList<>(full.secondaryIndexes());
        kept.removeAll(H2InsertBaseline.Variant.BEYOND_THE_ISSUE);
        assertThat(searches.secondaryIndexes()).isEqualTo(kept).contains("MESSAGE_KEY_HASH", "MESSAGE_FIRST_SEEN",
                "MESSAGE_SENDER_DOMAIN", "RECIPIENT_ACTIVE", "RECIPIENT_DOMAIN", "RAW_BLOCK_TIME");
        try (Connection c = keys.getConnection()) {
            assertThat(bare.secondaryIndexes()).isEqualTo(H2InsertBaseline.secondaryIndexes(c));
            assertThat(bare.secondaryIndexes()).allSatisfy(index -> assertThat(tableOf(c, index)).isEqualTo("LOG_FILE"));
        }
    }

    @Test
    void sharesEachTableOverTheTransactionsFirstOnesFirst() {
        List<Long> sizes = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            sizes.add(RowDump.share(10, k + 1, 4) - RowDump.share(10, k, 4));
        }
        assertThat(sizes).containsExactly(3L, 2L, 3L, 2L);
        assertThat(RowDump.share(1, 1, 1000)).isEqualTo(1); // one row: in the first transaction
        assertThat(RowDump.share(0, 1000, 1000)).isZero();
        assertThat(RowDump.share(489_971, 1000, 1000)).isEqualTo(489_971);
    }

    @Test
    void dumpKeepsNullsTimesTextAndBytes() throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:rowdump;DB_CLOSE_DELAY=-1");
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE t (id BIGINT PRIMARY KEY, n INTEGER, s VARCHAR(70000), b BOOLEAN, t TIMESTAMP, d BYTEA)");
            st.execute("INSERT INTO t VALUES (1, NULL, NULL, NULL, NULL, NULL)");
            st.execute("INSERT INTO t VALUES (2, -7, REPEAT('é', 66000), TRUE, TIMESTAMP '2026-03-29 02:30:00.123456', X'00ff')");
            Path file = dir.resolve("t.rows");
            try (ResultSet rs = st.executeQuery("SELECT * FROM t ORDER BY id")) {
                assertThat(RowDump.write(rs, file)).isEqualTo(2);
            }
            try (RowDump.Reader r = new RowDump.Reader(file)) {
                assertThat(r.columns()).extracting(RowDump.Column::kind).containsExactly(RowDump.Kind.LONG,
                        RowDump.Kind.INT, RowDump.Kind.STRING, RowDump.Kind.BOOL, RowDump.Kind.TIME, RowDump.Kind.BYTES);
                assertThat(r.next()).containsExactly(1L, null, null, null, null, null);
                Object[] second = r.next();
                assertThat(second).startsWith(2L, -7, "é".repeat(66000), true,
                        LocalDateTime.of(2026, 3, 29, 2, 30, 0, 123_456_000));
                assertThat((byte[]) second[5]).containsExactly(0, 0xff);
            }
        }
    }

    private static String tableOf(Connection c, String index) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT TABLE_NAME FROM INFORMATION_SCHEMA.INDEXES WHERE INDEX_NAME = '" + index + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
