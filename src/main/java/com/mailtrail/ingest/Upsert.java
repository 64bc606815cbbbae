package com.mailtrail.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds to the rows of an aggregate table by key (the hourly rollups and connection counts): an UPDATE of the rows
 * that exist, then an INSERT of the others, as batches. Both H2 and PostgreSQL do this the same way, unlike their
 * MERGE and ON CONFLICT; the single writer means no other transaction inserts the same key in between.
 */
final class Upsert {

    private final String update;
    private final String insert;
    private final List<Object[]> keys = new ArrayList<>();
    private final List<Object[]> values = new ArrayList<>();

    /**
     * @param keyColumns   the columns of the table's primary key
     * @param valueColumns the other columns, in the order {@code set} takes their new values
     * @param set          how an existing row takes the new values, one parameter per value column in order (for
     *                     example {@code "events = events + ?"})
     */
    Upsert(String table, String keyColumns, String valueColumns, String set) {
        String where = String.join(" = ? AND ", keyColumns.split(", ")) + " = ?";
        this.update = "UPDATE " + table + " SET " + set + " WHERE " + where;
        int n = (keyColumns + ", " + valueColumns).split(", ").length;
        this.insert = "INSERT INTO " + table + " (" + keyColumns + ", " + valueColumns + ") VALUES ("
                + MessageStore.placeholders(n) + ")";
    }

    /** A row to add: its key values and its values (never NULL), in the columns' order. */
    void add(Object[] key, Object... value) {
        keys.add(key);
        values.add(value);
    }

    void execute(Connection c) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
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
            ps.setObject(p++, v instanceof LocalDateTime t ? Timestamp.valueOf(t) : v);
        }
        return p;
    }
}
