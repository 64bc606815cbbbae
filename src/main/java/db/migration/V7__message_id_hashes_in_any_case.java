package db.migration;

import com.mailtrail.store.SearchKeys;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Objects;

/**
 * message.key_hash and message.original_hash become hashes of the ids in lower case ({@link SearchKeys#idHash}), so
 * that a search finds a Message-ID in any case; before, they hashed the ids as logged. In Java because the hash is
 * Java's (SearchKeys, shared with the write path and the readers). In pages of ids (keyset, not OFFSET, which would
 * read the table again for every page) and JDBC batches, so memory stays bounded on a site with millions of messages;
 * a row whose hashes do not change (an id without capitals, a grouping key in lower case) is not written. One
 * transaction, as Flyway runs a migration: a failure leaves the hashes as they were and the migration to run again.
 * Found by Flyway in package db.migration beside the SQL migrations of classpath:db/migration.
 */
public class V7__message_id_hashes_in_any_case extends BaseJavaMigration {

    private static final Logger log = LoggerFactory.getLogger(V7__message_id_hashes_in_any_case.class);

    /** Rows per page: the page is read whole (the PostgreSQL driver buffers a result), then its changes written. */
    static final int PAGE = 10_000;

    @Override
    public void migrate(Context context) throws SQLException {
        long changed = recompute(context.getConnection(), PAGE);
        log.info("Message-IDs are now searched in any case: the hashes of {} messages recomputed", changed);
    }

    /** Recomputes the hashes of every message, {@code page} rows at a time; returns how many rows changed. */
    public static long recompute(Connection c, int page) throws SQLException {
        long after = Long.MIN_VALUE;
        long changed = 0;
        try (PreparedStatement select = c.prepareStatement("SELECT id, message_key, key_hash, original_message_id, "
                + "original_hash FROM message WHERE id > ? ORDER BY id FETCH FIRST " + page + " ROWS ONLY");
             PreparedStatement update = c.prepareStatement("UPDATE message SET key_hash = ?, original_hash = ? "
                     + "WHERE id = ?")) {
            int rows;
            do {
                rows = 0;
                int pending = 0;
                select.setLong(1, after);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        rows++;
                        after = rs.getLong(1);
                        long keyHash = SearchKeys.idHash(rs.getString(2));
                        boolean keyChanged = keyHash != rs.getLong(3);
                        Long originalHash = SearchKeys.idHashOrNull(rs.getString(4));
                        long stored = rs.getLong(5);
                        if (!keyChanged && Objects.equals(originalHash, rs.wasNull() ? null : stored)) {
                            continue;
                        }
                        update.setLong(1, keyHash);
                        if (originalHash == null) {
                            update.setNull(2, Types.BIGINT);
                        } else {
                            update.setLong(2, originalHash);
                        }
                        update.setLong(3, after);
                        update.addBatch();
                        pending++;
                    }
                }
                if (pending > 0) {
                    update.executeBatch();
                    changed += pending;
                }
            } while (rows == page);
        }
        return changed;
    }
}
