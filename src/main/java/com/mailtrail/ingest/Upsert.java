package com.mailtrail.ingest;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds to the rows of an aggregate table by key (the hourly rollups and connection counts). The single writer means
 * no other transaction inserts the same key in between, and each batch adds to a key at most once.
 * <ul>
 * <li>PostgreSQL: one {@code INSERT ... SELECT FROM unnest(arrays) ON CONFLICT DO UPDATE} per table and batch. As
 * batches of single-row UPDATEs (47,000 statements per 1M entries, each bound and executed on its own) they took 1.7 s
 * of the writer's time, of which the server's execution was 0.2 s; now 0.5 s.</li>
 * <li>H2 (no ON CONFLICT): an UPDATE batch of the rows that exist, then an INSERT batch of the others. In process
 * a statement costs little, and a {@code MERGE ... USING UNNEST(...)} was no faster (1.7 s against 1.5 s).</li>
 * </ul>
 */
final class Upsert {

    /** How a value column of an existing row takes a new value. */
    enum Merge {
        ADD, LEAST, GREATEST
    }

    private static final DateTimeFormatter PG_TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private final String table;
    private final String[] keyColumns;
    private final String[] valueColumns;
    private final Merge[] merges;
    private final List<Object[]> keys = new ArrayList<>();
    private final List<Object[]> values = new ArrayList<>();

    /**
     * @param keyColumns   the columns of the table's primary key
     * @param valueColumns the other columns
     * @param merges       how each value column merges, in the same order
     */
    Upsert(String table, String keyColumns, String valueColumns, Merge... merges) {
        this.table = table;
        this.keyColumns = keyColumns.split(", ");
        this.valueColumns = valueColumns.split(", ");
        if (merges.length != this.valueColumns.length) {
            throw new IllegalArgumentException("one merge per value column of " + table);
        }
        this.merges = merges;
    }

    /** A row to add: its key values and its values (never NULL), in the columns' order. */
    void add(Object[] key, Object... value) {
        keys.add(key);
        values.add(value);
    }

    /** @param postgres whether {@code c} is PostgreSQL ({@link CopyRows#supported}) */
    void execute(Connection c, boolean postgres) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        if (postgres) {
            executeOnConflict(c);
        } else {
            executeUpdateThenInsert(c);
        }
    }

    private String columns() {
        return String.join(", ", keyColumns) + ", " + String.join(", ", valueColumns);
    }

    private void executeOnConflict(Connection c) throws SQLException {
        int n = keyColumns.length + valueColumns.length;
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (").append(columns())
                .append(") SELECT * FROM unnest(");
        Object[][] columns = new Object[n][keys.size()];
        String[] types = new String[n];
        for (int col = 0; col < n; col++) {
            for (int row = 0; row < keys.size(); row++) {
                Object v = col < keyColumns.length ? keys.get(row)[col] : values.get(row)[col - keyColumns.length];
                // the driver sends array elements as text: a fixed pattern, since LocalDateTime.toString drops zero seconds
                columns[col][row] = v instanceof LocalDateTime t ? PG_TIMESTAMP.format(t) : v;
                if (types[col] == null) {
                    types[col] = pgType(v);
                }
            }
            sql.append(col == 0 ? "" : ", ").append("CAST(? AS ").append(types[col]).append("[])");
        }
        sql.append(") ON CONFLICT (").append(String.join(", ", keyColumns)).append(") DO UPDATE SET ");
        for (int i = 0; i < valueColumns.length; i++) {
            String col = valueColumns[i];
            sql.append(i == 0 ? "" : ", ").append(col).append(" = ")
                    .append(merged(merges[i], table + "." + col, "EXCLUDED." + col));
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            List<Array> arrays = new ArrayList<>();
            for (int col = 0; col < n; col++) {
                Array a = c.createArrayOf(types[col], columns[col]);
                arrays.add(a);
                ps.setArray(col + 1, a);
            }
            ps.executeUpdate();
            for (Array a : arrays) {
                a.free();
            }
        }
    }

    /** The SQL of a value column's new value, from its old value and the one added. */
    private static String merged(Merge merge, String old, String added) {
        return switch (merge) {
            case ADD -> old + " + " + added;
            case LEAST -> "LEAST(" + old + ", " + added + ")";
            case GREATEST -> "GREATEST(" + old + ", " + added + ")";
        };
    }

    private static String pgType(Object v) {
        if (v instanceof Long) {
            return "int8";
        }
        if (v instanceof Integer) {
            return "int4";
        }
        if (v instanceof Boolean) {
            return "bool";
        }
        if (v instanceof LocalDateTime) {
            return "timestamp";
        }
        if (v instanceof String) {
            return "varchar";
        }
        throw new IllegalArgumentException("no array type for " + v);
    }

    private void executeUpdateThenInsert(Connection c) throws SQLException {
        StringBuilder set = new StringBuilder();
        for (int i = 0; i < valueColumns.length; i++) {
            String col = valueColumns[i];
            set.append(i == 0 ? "" : ", ").append(col).append(" = ").append(merged(merges[i], col, "?"));
        }
        String update = "UPDATE " + table + " SET " + set + " WHERE " + String.join(" = ? AND ", keyColumns) + " = ?";
        int[] updated;
        try (PreparedStatement ps = c.prepareStatement(update)) {
            for (int i = 0; i < keys.size(); i++) {
                int p = bind(ps, 1, values.get(i));
                bind(ps, p, keys.get(i));
                ps.addBatch();
            }
            updated = ps.executeBatch();
        }
        boolean any = false;
        String insert = "INSERT INTO " + table + " (" + columns() + ") VALUES ("
                + MessageStore.placeholders(keyColumns.length + valueColumns.length) + ")";
        try (PreparedStatement ps = c.prepareStatement(insert)) {
            for (int i = 0; i < keys.size(); i++) {
                if (updated[i] == 0) {
                    int p = bind(ps, 1, keys.get(i));
                    bind(ps, p, values.get(i));
                    ps.addBatch();
                    any = true;
                }
            }
            if (any) {
                ps.executeBatch();
            }
        }
    }

    private static int bind(PreparedStatement ps, int first, Object[] row) throws SQLException {
        int p = first;
        for (Object v : row) {
            ps.setObject(p++, v); // a LocalDateTime as it is: see SqlTimes
        }
        return p;
    }
}
