package db.migration;

import com.mailtrail.ingest.Rollups;
import com.mailtrail.store.SqlTimes;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * A relay channel's D that handed a recipient on (conversion, process...) is no longer one of its attempts (Correlator:
 * one such D per enqueue out of that channel). Before, a recipient through conversion delivered at once counted 2.
 * This takes those D rows off recipient.attempts and moves each corrected recipient in rollup_recipient_hour from its
 * old attempts bucket to its new one (both capped at 10, so a recipient going from 11 to 10 stays where it is).
 *
 * <p>The relay channels are configuration (mailtrail.ingest.relay-channels), which a migration cannot read. It needs
 * none: a hop is a D attempt row on a channel that the same recipient was enqueued out of (an 'enqueued' attempt row
 * of that channel, or its first enqueue's source channel), one per such enqueue; a channel a recipient goes out of
 * again is what makes a relay channel. The engine counts the same for the configured relay channels; a recipient
 * whose message left through another channel and came back into it with the same Message-ID and addresses (a mail
 * loop) would here lose a real delivery attempt, which a fresh import would count.
 *
 * <p>Hourly counts of recipients that retention has removed since stay as they were: nothing is left to correct them
 * from. In pages of messages (their attempt rows are read through the index on message_ref; attempt has no index on
 * recipient_ref) so that memory stays bounded; one transaction, as Flyway runs a migration: a failure leaves
 * everything as it was and the migration to run again.
 */
public class V12__relay_hops_are_not_attempts extends BaseJavaMigration {

    private static final Logger log = LoggerFactory.getLogger(V12__relay_hops_are_not_attempts.class);

    /** Messages per page. */
    static final int PAGE = 10_000;

    private record Key(LocalDateTime bucket, String status, int outcomes, String delay) {
    }

    @Override
    public void migrate(Context context) throws SQLException {
        long changed = correct(context.getConnection(), PAGE);
        log.info("A relay channel's hand-off is no longer a delivery attempt: {} recipients corrected", changed);
    }

    /** Corrects the attempts and hourly counts of every stored recipient; returns how many recipients changed. */
    public static long correct(Connection c, int page) throws SQLException {
        Map<Key, Long> deltas = new HashMap<>();
        long changed = 0;
        long after = Long.MIN_VALUE;
        String delivered = "CASE WHEN a.outcome = 'delivered' THEN 1 ELSE 0 END";
        String hops = "LEAST(h.d, h.e + CASE WHEN r.source_channel = h.channel THEN 1 ELSE 0 END)";
        try (PreparedStatement messages = c.prepareStatement("SELECT id FROM message WHERE id > ? ORDER BY id "
                + "FETCH FIRST " + page + " ROWS ONLY");
             PreparedStatement select = c.prepareStatement("SELECT r.id, r.attempts, r.status, r.final_time, "
                     + "r.enqueued, m.first_seen, r.delay_seconds, SUM(" + hops + ") AS hops "
                     + "FROM (SELECT a.recipient_ref, a.channel, SUM(" + delivered + ") AS d, "
                     + "SUM(CASE WHEN a.outcome = 'enqueued' THEN 1 ELSE 0 END) AS e FROM attempt a "
                     + "WHERE a.message_ref BETWEEN ? AND ? AND a.outcome IN ('delivered', 'enqueued') "
                     + "GROUP BY a.recipient_ref, a.channel HAVING SUM(" + delivered + ") > 0) h "
                     + "JOIN recipient r ON r.id = h.recipient_ref JOIN message m ON m.id = r.message_ref "
                     + "GROUP BY r.id, r.attempts, r.status, r.final_time, r.enqueued, m.first_seen, r.delay_seconds "
                     + "HAVING SUM(" + hops + ") > 0");
             PreparedStatement update = c.prepareStatement("UPDATE recipient SET attempts = ? WHERE id = ?")) {
            while (true) {
                long first = Long.MIN_VALUE;
                long last = Long.MIN_VALUE;
                int rows = 0;
                messages.setLong(1, after);
                try (ResultSet rs = messages.executeQuery()) {
                    while (rs.next()) {
                        if (rows++ == 0) {
                            first = rs.getLong(1);
                        }
                        last = rs.getLong(1);
                    }
                }
                if (rows == 0) {
                    break;
                }
                after = last;
                select.setLong(1, first);
                select.setLong(2, last);
                int pending = 0;
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        int old = rs.getInt(2);
                        int now = Math.max(0, old - rs.getInt(8));
                        update.setInt(1, now);
                        update.setLong(2, rs.getLong(1));
                        update.addBatch();
                        pending++;
                        if (Math.min(old, 10) != Math.min(now, 10)) {
                            // the hour and delay of Rollups.key: the final outcome's, else the enqueue's, else the
                            // message's first line
                            LocalDateTime at = SqlTimes.get(rs, 4);
                            if (at == null) {
                                at = SqlTimes.get(rs, 5);
                            }
                            if (at == null) {
                                at = SqlTimes.get(rs, 6);
                            }
                            long seconds = rs.getLong(7);
                            String delay = Rollups.delayBucket(rs.wasNull() ? null : seconds);
                            LocalDateTime bucket = at.truncatedTo(ChronoUnit.HOURS);
                            String status = rs.getString(3);
                            deltas.merge(new Key(bucket, status, Math.min(old, 10), delay), -1L, Long::sum);
                            deltas.merge(new Key(bucket, status, Math.min(now, 10), delay), 1L, Long::sum);
                        }
                    }
                }
                if (pending > 0) {
                    update.executeBatch();
                    changed += pending;
                }
                if (rows < page) {
                    break;
                }
            }
        }
        moveCounts(c, deltas);
        return changed;
    }

    /** Adds each delta to its hourly count, a missing count from zero; a count left at zero goes, as none was kept. */
    private static void moveCounts(Connection c, Map<Key, Long> deltas) throws SQLException {
        String where = " WHERE bucket = ? AND status = ? AND outcomes = ? AND delay = ?";
        try (PreparedStatement add = c.prepareStatement("UPDATE rollup_recipient_hour SET recipients = recipients + ?"
                + where);
             PreparedStatement insert = c.prepareStatement("INSERT INTO rollup_recipient_hour (bucket, status, "
                     + "outcomes, delay, recipients) VALUES (?, ?, ?, ?, ?)");
             PreparedStatement zero = c.prepareStatement("DELETE FROM rollup_recipient_hour" + where
                     + " AND recipients = 0")) {
            for (Map.Entry<Key, Long> e : deltas.entrySet()) {
                if (e.getValue() == 0) {
                    continue;
                }
                Key k = e.getKey();
                add.setLong(1, e.getValue());
                bind(add, 2, k);
                if (add.executeUpdate() == 0) {
                    bind(insert, 1, k);
                    insert.setLong(5, e.getValue());
                    insert.executeUpdate();
                }
                bind(zero, 1, k);
                zero.executeUpdate();
            }
        }
    }

    private static void bind(PreparedStatement ps, int from, Key k) throws SQLException {
        SqlTimes.set(ps, from, k.bucket());
        ps.setString(from + 1, k.status());
        ps.setInt(from + 2, k.outcomes());
        ps.setString(from + 3, k.delay());
    }
}
