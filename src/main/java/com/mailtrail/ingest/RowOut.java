package com.mailtrail.ingest;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.LocalDateTime;

/**
 * Where the values of an inserted row go, column by column: a batched INSERT, or COPY text on PostgreSQL. One code
 * path lays out each table's row for both.
 */
interface RowOut {

    RowOut add(String s) throws SQLException;

    RowOut add(Long v) throws SQLException;

    RowOut add(Integer v) throws SQLException;

    RowOut add(Boolean v) throws SQLException;

    RowOut add(LocalDateTime t) throws SQLException;

    void endRow() throws SQLException;

    /** A batched INSERT: values are bound in order, and each row is added to the batch. */
    final class Batch implements RowOut {
        private final PreparedStatement ps;
        private int i = 1;
        private int rows;

        Batch(PreparedStatement ps) {
            this.ps = ps;
        }

        @Override
        public RowOut add(String s) throws SQLException {
            ps.setString(i++, s);
            return this;
        }

        @Override
        public RowOut add(Long v) throws SQLException {
            if (v == null) {
                ps.setNull(i++, Types.BIGINT);
            } else {
                ps.setLong(i++, v);
            }
            return this;
        }

        @Override
        public RowOut add(Integer v) throws SQLException {
            if (v == null) {
                ps.setNull(i++, Types.INTEGER);
            } else {
                ps.setInt(i++, v);
            }
            return this;
        }

        @Override
        public RowOut add(Boolean v) throws SQLException {
            if (v == null) {
                ps.setNull(i++, Types.BOOLEAN);
            } else {
                ps.setBoolean(i++, v);
            }
            return this;
        }

        @Override
        public RowOut add(LocalDateTime t) throws SQLException {
            ps.setTimestamp(i++, t == null ? null : Timestamp.valueOf(t));
            return this;
        }

        @Override
        public void endRow() throws SQLException {
            ps.addBatch();
            i = 1;
            rows++;
        }

        int rows() {
            return rows;
        }

        PreparedStatement statement() {
            return ps;
        }
    }
}
