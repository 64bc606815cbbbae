package com.mailtrail.ingest;

import com.mailtrail.store.SqlTimes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the values of a written row go, column by column: rows kept for a batched statement, or COPY rows on
 * PostgreSQL. One code path lays out each table's row for both.
 */
interface RowOut {

    RowOut add(String s) throws SQLException;

    RowOut add(Long v) throws SQLException;

    RowOut add(Integer v) throws SQLException;

    RowOut add(Boolean v) throws SQLException;

    RowOut add(LocalDateTime t) throws SQLException;

    RowOut add(byte[] b) throws SQLException;

    void endRow() throws SQLException;

    /** Stores the rows collected, as one batch or one COPY. */
    void execute(Connection c) throws SQLException;

    /** Rows to insert into {@code table}: COPY on PostgreSQL ({@code copy}), a batched INSERT elsewhere. */
    static RowOut insert(boolean copy, String table, String columns) {
        if (copy) {
            return new CopyRows(table, columns);
        }
        int n = columns.split(",").length;
        return new Rows("INSERT INTO " + table + " (" + columns + ") VALUES (" + MessageStore.placeholders(n) + ")",
                n);
    }

    /**
     * Rows kept as values, to be bound to a batched statement later: correlation lays out a batch's rows on its own
     * thread while the writer is still storing the previous batch.
     */
    final class Rows implements RowOut {
        /** A NULL of a given SQL type, as JDBC wants it. */
        private record Null(int type) {
        }

        private static final Null NULL_VARCHAR = new Null(Types.VARCHAR);
        private static final Null NULL_BIGINT = new Null(Types.BIGINT);
        private static final Null NULL_INTEGER = new Null(Types.INTEGER);
        private static final Null NULL_BOOLEAN = new Null(Types.BOOLEAN);
        private static final Null NULL_TIMESTAMP = new Null(Types.TIMESTAMP);
        private static final Null NULL_VARBINARY = new Null(Types.VARBINARY);

        private final String sql;
        private final boolean oneRowEach;
        private final List<Object[]> rows = new ArrayList<>();
        private Object[] row;
        private int i;

        /** @param sql the statement, with one parameter per value of a row */
        Rows(String sql, int columns) {
            this(sql, columns, false);
        }

        /**
         * @param oneRowEach an UPDATE of a row the engine remembers as stored: one that finds no row means the
         *                   database lost what memory holds (commits H2 had not written when it closed), and passing
         *                   over it would lose the update quietly; the batch fails instead
         */
        Rows(String sql, int columns, boolean oneRowEach) {
            this.sql = sql;
            this.oneRowEach = oneRowEach;
            this.row = new Object[columns];
        }

        private RowOut put(Object v) {
            row[i++] = v;
            return this;
        }

        @Override
        public RowOut add(String s) {
            return put(s == null ? NULL_VARCHAR : s);
        }

        @Override
        public RowOut add(Long v) {
            return put(v == null ? NULL_BIGINT : v);
        }

        @Override
        public RowOut add(Integer v) {
            return put(v == null ? NULL_INTEGER : v);
        }

        @Override
        public RowOut add(Boolean v) {
            return put(v == null ? NULL_BOOLEAN : v);
        }

        @Override
        public RowOut add(LocalDateTime t) {
            return put(t == null ? NULL_TIMESTAMP : t);
        }

        @Override
        public RowOut add(byte[] b) {
            return put(b == null ? NULL_VARBINARY : b);
        }

        @Override
        public void endRow() {
            rows.add(row);
            row = new Object[row.length];
            i = 0;
        }

        /** Runs the statement once for every row, as one batch. */
        @Override
        public void execute(Connection c) throws SQLException {
            if (rows.isEmpty()) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (Object[] r : rows) {
                    for (int k = 0; k < r.length; k++) {
                        Object v = r[k];
                        if (v instanceof Null n) {
                            ps.setNull(k + 1, n.type());
                        } else if (v instanceof String s) {
                            ps.setString(k + 1, s);
                        } else if (v instanceof Long l) {
                            ps.setLong(k + 1, l);
                        } else if (v instanceof Integer n) {
                            ps.setInt(k + 1, n);
                        } else if (v instanceof Boolean b) {
                            ps.setBoolean(k + 1, b);
                        } else if (v instanceof byte[] b) {
                            ps.setBytes(k + 1, b);
                        } else {
                            SqlTimes.set(ps, k + 1, (LocalDateTime) v);
                        }
                    }
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                if (oneRowEach) {
                    for (int k = 0; k < counts.length; k++) {
                        if (counts[k] == 0) { // SUCCESS_NO_INFO (-2) says nothing either way
                            throw new SQLException("the row to change is not stored (" + sql.substring(0,
                                    sql.indexOf(" SET")) + " ... WHERE id = " + rows.get(k)[rows.get(k).length - 1]
                                    + "): the database does not hold what was stored before (lost commits?); the batch "
                                    + "is rolled back, and what is remembered of the stored data is read again");
                        }
                    }
                }
            }
        }
    }
}
