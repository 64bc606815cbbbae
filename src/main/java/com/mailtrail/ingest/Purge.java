package com.mailtrail.ingest;

import com.mailtrail.store.SqlTimes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes what lies before a cutoff in log time (see {@link Retention}): messages whose last line is older, with their
 * recipients and attempts; then the raw text, rejected lines, connection entries and hourly counts from before the
 * oldest message kept, so that a message kept never loses the lines or the counts it is made of (a deferred message
 * started before the cutoff keeps all of them). In transactions of {@value #CHUNK} rows or one day of hourly counts,
 * as the import writes, so that neither H2's undo log nor a reader waits on one huge delete. Run by the engine as its
 * one writer.
 */
public final class Purge {

    private static final int CHUNK = 1000;

    /**
     * @param keptFrom raw text, rejected lines, connections and counts before this time were removed: the cutoff, or
     *                 the first line of the oldest message kept if that is older
     */
    public record Result(LocalDateTime cutoff, LocalDateTime keptFrom, long messages, long recipients, long attempts,
                  long rawBlocks, long rejectedLines, long connections, long hourlyCounts, double seconds) {
    }

    private final IngestEngine engine;

    Purge(IngestEngine engine) {
        this.engine = engine;
    }

    Result before(LocalDateTime cutoff) throws SQLException {
        long t0 = System.nanoTime();
        long[] rows = new long[3]; // messages, recipients, attempts
        while (true) {
            // Through the first_seen index: a message that ended before the cutoff also began before it.
            List<Long> ids = engine.onOwnConnection(c -> longs(c, "SELECT id FROM message WHERE first_seen < ? "
                    + "AND last_seen < ? ORDER BY first_seen FETCH FIRST " + CHUNK + " ROWS ONLY", cutoff, cutoff));
            if (ids.isEmpty()) {
                break;
            }
            engine.inTransaction(c -> {
                String in = " IN (" + MessageStore.placeholders(ids.size()) + ")";
                rows[2] += delete(c, "DELETE FROM attempt WHERE message_ref" + in, ids);
                rows[1] += delete(c, "DELETE FROM recipient WHERE message_ref" + in, ids);
                rows[0] += delete(c, "DELETE FROM message WHERE id" + in, ids);
            });
        }
        LocalDateTime oldestKept = engine.onOwnConnection(c -> time(c, "SELECT MIN(first_seen) FROM message"));
        LocalDateTime keptFrom = oldestKept != null && oldestKept.isBefore(cutoff) ? oldestKept : cutoff;
        long[] raw = rawText(keptFrom);
        long connections = 0;
        while (true) {
            List<Long> ids = engine.onOwnConnection(c -> longs(c, "SELECT id FROM connection WHERE time < ? "
                    + "FETCH FIRST " + CHUNK + " ROWS ONLY", keptFrom, null));
            if (ids.isEmpty()) {
                break;
            }
            long[] n = new long[1];
            engine.inTransaction(c -> n[0] = delete(c, "DELETE FROM connection WHERE id IN ("
                    + MessageStore.placeholders(ids.size()) + ")", ids));
            connections += n[0];
        }
        // Whole hours only: the hour keptFrom falls in still counts lines that are kept.
        LocalDateTime hour = keptFrom.truncatedTo(ChronoUnit.HOURS);
        long counts = 0;
        for (String table : List.of("rollup_hour", "rollup_recipient_hour", "connection_hour")) {
            counts += byDay(table, hour);
        }
        return new Result(cutoff, keptFrom, rows[0], rows[1], rows[2], raw[0], raw[1], connections, counts,
                (System.nanoTime() - t0) / 1e9);
    }

    /** Raw blocks that ended before {@code keptFrom}, and the rejected lines among their lines: {blocks, rejected}. */
    private long[] rawText(LocalDateTime keptFrom) throws SQLException {
        long[] n = new long[2];
        while (true) {
            List<long[]> blocks = engine.onOwnConnection(c -> {
                List<long[]> out = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT file_id, first_line, line_count FROM raw_block "
                        + "WHERE last_time < ? FETCH FIRST " + CHUNK + " ROWS ONLY")) {
                    SqlTimes.set(ps, 1, keptFrom);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            out.add(new long[]{rs.getLong(1), rs.getLong(2), rs.getInt(3)});
                        }
                    }
                }
                return out;
            });
            if (blocks.isEmpty()) {
                return n;
            }
            engine.inTransaction(c -> {
                try (PreparedStatement rejected = c.prepareStatement("DELETE FROM rejected_line WHERE file_id = ? "
                        + "AND line >= ? AND line < ?");
                     PreparedStatement block = c.prepareStatement("DELETE FROM raw_block WHERE file_id = ? "
                             + "AND first_line = ?")) {
                    for (long[] b : blocks) {
                        rejected.setLong(1, b[0]);
                        rejected.setLong(2, b[1]);
                        rejected.setLong(3, b[1] + b[2]);
                        rejected.addBatch();
                        block.setLong(1, b[0]);
                        block.setLong(2, b[1]);
                        block.addBatch();
                    }
                    n[1] += sum(rejected.executeBatch());
                    n[0] += sum(block.executeBatch());
                }
            });
        }
    }

    /** Deletes the rows of an hourly table before {@code hour}, a day of them per transaction (skipping gaps). */
    private long byDay(String table, LocalDateTime hour) throws SQLException {
        long n = 0;
        while (true) {
            LocalDateTime oldest = engine.onOwnConnection(c -> time(c, "SELECT MIN(bucket) FROM " + table));
            if (oldest == null || !oldest.isBefore(hour)) {
                return n;
            }
            LocalDateTime upTo = oldest.plusDays(1).isBefore(hour) ? oldest.plusDays(1) : hour;
            long[] deleted = new long[1];
            engine.inTransaction(c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE bucket < ?")) {
                    SqlTimes.set(ps, 1, upTo);
                    deleted[0] = ps.executeUpdate();
                }
            });
            n += deleted[0];
        }
    }

    private static List<Long> longs(Connection c, String sql, LocalDateTime a, LocalDateTime b) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            SqlTimes.set(ps, 1, a);
            if (b != null) {
                SqlTimes.set(ps, 2, b);
            }
            List<Long> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        }
    }

    private static LocalDateTime time(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? SqlTimes.get(rs, 1) : null;
        }
    }

    private static long delete(Connection c, String sql, List<Long> ids) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < ids.size(); i++) {
                ps.setLong(i + 1, ids.get(i));
            }
            return ps.executeUpdate();
        }
    }

    private static long sum(int[] counts) {
        long n = 0;
        for (int c : counts) {
            n += Math.max(c, 0);
        }
        return n;
    }
}
