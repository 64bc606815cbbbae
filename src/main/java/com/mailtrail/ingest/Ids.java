package com.mailtrail.ingest;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Row ids from the pooled sequence {@code id_seq} (INCREMENT BY 1000): one round trip reserves a thousand ids, and
 * rows are numbered in insertion order, which keeps H2's and PostgreSQL's primary-key B-trees append-only.
 */
final class Ids {

    static final int POOL = 1000;

    private long next;
    private long limit;

    // Synchronized: the correlator numbers messages while the writer numbers the rows of the batch before.
    synchronized long next(Connection c) throws SQLException {
        if (next >= limit) {
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT NEXTVAL('id_seq')")) {
                rs.next();
                next = rs.getLong(1);
                limit = next + POOL;
            }
        }
        return next++;
    }

    /**
     * Lets the ids reserved go: the next id comes from the sequence again. A database that lost commits (H2 closed on
     * a full disk) may have lost the reservation too, and then hands the same ids out again.
     */
    synchronized void forget() {
        next = 0;
        limit = 0;
    }
}
