package com.mailtrail.ingest;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A large import into an empty database builds the search indexes once at the end instead of row by row, as
 * pg_restore does: several times faster on H2. The indexes the write path itself reads through stay. The index
 * definitions are read from the database, so the migrations stay their only source.
 */
final class BulkLoad {

    /** Indexes the write path looks messages up by: they must exist during the load. */
    private static final Set<String> KEEP = Set.of("message_key", "recipient_message", "attempt_message");
    private static final List<String> TABLES = List.of("message", "recipient", "attempt");

    private record Index(String table, String name, boolean unique, List<String> columns) {
    }

    private final DataSource dataSource;
    private final List<Index> dropped = new ArrayList<>();

    BulkLoad(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Drops the search indexes when the database holds no message yet; returns whether it did. */
    boolean begin() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM message")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return false;
                }
            }
            for (Index index : indexes(c)) {
                if (!KEEP.contains(index.name())) {
                    st.execute("DROP INDEX " + index.name());
                    dropped.add(index);
                }
            }
        }
        return true;
    }

    /** Builds the dropped indexes again. */
    void end() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            for (Index index : dropped) {
                st.execute("CREATE " + (index.unique() ? "UNIQUE " : "") + "INDEX " + index.name() + " ON "
                        + index.table() + " (" + String.join(", ", index.columns()) + ")");
            }
        }
        dropped.clear();
    }

    private static List<Index> indexes(Connection c) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        boolean upper = meta.storesUpperCaseIdentifiers();
        List<Index> out = new ArrayList<>();
        for (String table : TABLES) {
            Map<String, Boolean> unique = new LinkedHashMap<>();
            Map<String, Map<Short, String>> columns = new LinkedHashMap<>();
            try (ResultSet rs = meta.getIndexInfo(null, null, upper ? table.toUpperCase(Locale.ROOT) : table, false,
                    false)) {
                while (rs.next()) {
                    String name = rs.getString("INDEX_NAME");
                    String column = rs.getString("COLUMN_NAME");
                    if (name == null || column == null) {
                        continue;
                    }
                    name = name.toLowerCase(Locale.ROOT);
                    if (name.startsWith("primary_key") || name.endsWith("_pkey")) {
                        continue;
                    }
                    unique.put(name, !rs.getBoolean("NON_UNIQUE"));
                    columns.computeIfAbsent(name, n -> new java.util.TreeMap<>())
                            .put(rs.getShort("ORDINAL_POSITION"), column.toLowerCase(Locale.ROOT));
                }
            }
            unique.forEach((name, u) -> out.add(new Index(table, name, u, List.copyOf(columns.get(name).values()))));
        }
        return out;
    }
}
