package db.migration;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

/**
 * A relay channel's D that handed a recipient on (conversion, process...) is stored as such on its row
 * (attempt.hand_off, or recipient.last_hand_off for a recipient's last outcome), decided by the write path's rule
 * (Correlator.handOffs), so that the search reads that decision instead of working it out again in SQL. This adds the
 * two columns (TRUE for a hand-off, NULL for every other row) and marks the hand-offs already stored, found by the same
 * rule over each recipient's stored entries (StoredHandOffs, as V13 found them for the hourly counts).
 *
 * <p>The relay channels are the configured ones, through the placeholder relaychannels as for V13. In pages of
 * messages; one transaction, as Flyway runs a migration. H2 commits an ALTER TABLE at once, so the columns are added
 * only if missing: after a stop half-way, the next start finds them and marks the rows again.
 */
public class V15__relay_hand_offs_on_rows extends BaseJavaMigration {

    private static final Logger log = LoggerFactory.getLogger(V15__relay_hand_offs_on_rows.class);

    /** Messages per page. */
    static final int PAGE = 10_000;

    @Override
    public void migrate(Context context) throws SQLException {
        Connection c = context.getConnection();
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE attempt ADD COLUMN IF NOT EXISTS hand_off BOOLEAN");
            s.execute("ALTER TABLE recipient ADD COLUMN IF NOT EXISTS last_hand_off BOOLEAN");
        }
        long marked = mark(c, StoredHandOffs.relayChannels(context, V13__relay_hand_offs_in_hourly_counts.PLACEHOLDER),
                PAGE);
        log.info("A relay channel's hand-off is marked on its row: {} rows", marked);
    }

    /** Marks every stored hand-off's row; returns how many were marked. */
    public static long mark(Connection c, Set<String> relayChannels, int page) throws SQLException {
        try (PreparedStatement attempts = c.prepareStatement("UPDATE attempt SET hand_off = TRUE WHERE id = ?");
             PreparedStatement recipients = c.prepareStatement("UPDATE recipient SET last_hand_off = TRUE "
                     + "WHERE id = ?")) {
            return StoredHandOffs.find(c, relayChannels, page, found -> {
                boolean inAttempts = false;
                boolean inRecipients = false;
                for (StoredHandOffs.HandOff h : found) {
                    PreparedStatement ps = h.attempt() != 0 ? attempts : recipients;
                    ps.setLong(1, h.attempt() != 0 ? h.attempt() : h.recipient());
                    ps.addBatch();
                    inAttempts |= h.attempt() != 0;
                    inRecipients |= h.attempt() == 0;
                }
                if (inAttempts) {
                    attempts.executeBatch();
                }
                if (inRecipients) {
                    recipients.executeBatch();
                }
            });
        }
    }
}
