package com.mailtrail.ingest;

import com.mailtrail.parse.LogOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class BulkLoadTest {

    static Set<String> indexes(DataSource ds) throws Exception {
        Set<String> out = new TreeSet<>();
        try (Connection c = ds.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            for (String table : List.of("message", "recipient", "attempt")) {
                String name = meta.storesUpperCaseIdentifiers() ? table.toUpperCase(Locale.ROOT) : table;
                try (ResultSet rs = meta.getIndexInfo(null, null, name, false, false)) {
                    while (rs.next()) {
                        if (rs.getString("INDEX_NAME") != null && rs.getString("COLUMN_NAME") != null) {
                            out.add(table + ":" + rs.getString("INDEX_NAME").toLowerCase(Locale.ROOT) + ":"
                                    + rs.getString("COLUMN_NAME").toLowerCase(Locale.ROOT) + ":"
                                    + rs.getBoolean("NON_UNIQUE"));
                        }
                    }
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgres"})
    void bulkImportIntoAnEmptyDatabaseEndsWithTheSameIndexesAndData(String database) throws Exception {
        DataSource ds = TestDatabase.of(database);
        Set<String> before = indexes(ds);
        IngestEngine engine = new IngestEngine(ds, Set.of("conversion"), 100);
        long source = engine.createSource("import", "seed");
        IngestEngine.FileResult r = engine.bulk(() -> {
            try (InputStream in = getClass().getResourceAsStream("/logs/seed-multiple-delivery-attempts.txt")) {
                return engine.ingest(source, "seed", in, LogOptions.auto(), new Progress());
            }
        });
        assertThat(r.entries()).isEqualTo(5);
        assertThat(indexes(ds)).isEqualTo(before).isNotEmpty();
        assertThat(IngestInvariantsTest.count(ds, "recipient")).isEqualTo(1);
    }
}
