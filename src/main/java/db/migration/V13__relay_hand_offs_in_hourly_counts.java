package db.migration;

import com.mailtrail.parse.Outcomes;
import com.mailtrail.store.SqlTimes;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The hourly counts (rollup_hour) counted a relay channel's D that handed a recipient on (conversion, process...) as a
 * delivery on that channel, so "Deliveries per channel" drew conversion beside ims-ms; the write path now counts it
 * as {@link Outcomes#HAND_OFF} (Rollups). This moves each stored hand-off, one count each, from its hour's delivered
 * count to its hand-off count, found by the engine's rule (RelayHops) over the recipient's stored entries.
 *
 * <p>The relay channels are the configured ones: Spring Boot hands mailtrail.ingest.relay-channels to Flyway as the
 * placeholder relaychannels (IngestConfiguration); run by Flyway alone (tests, tools), the defaults. Counts of
 * messages that retention has removed since stay as they were: nothing is left to correct them from. In pages of
 * messages as V12; one transaction.
 */
public class V13__relay_hand_offs_in_hourly_counts extends BaseJavaMigration {

    private static final Logger log = LoggerFactory.getLogger(V13__relay_hand_offs_in_hourly_counts.class);

    /** The Flyway placeholder that carries mailtrail.ingest.relay-channels. */
    public static final String PLACEHOLDER = "relaychannels";

    /** Messages per page. */
    static final int PAGE = 10_000;

    @Override
    public void migrate(Context context) throws SQLException {
        long moved = correct(context.getConnection(), StoredHandOffs.relayChannels(context, PLACEHOLDER), PAGE);
        log.info("A relay channel's hand-off is no longer a delivery in the hourly counts: {} moved", moved);
    }

    /** Moves every stored hand-off's count; returns how many moved. */
    public static long correct(Connection c, Set<String> relayChannels, int page) throws SQLException {
        Map<LocalDateTime, Map<String, Long>> handOffs = new HashMap<>(); // hour -> channel -> count
        long moved = StoredHandOffs.find(c, relayChannels, page, found -> {
            for (StoredHandOffs.HandOff h : found) {
                handOffs.computeIfAbsent(h.time().truncatedTo(ChronoUnit.HOURS), k -> new HashMap<>())
                        .merge(h.channel(), 1L, Long::sum);
            }
        });
        move(c, handOffs);
        return moved;
    }

    /** Takes each hour's hand-offs off its delivered count and adds them to its hand-off count (from zero). */
    private static void move(Connection c, Map<LocalDateTime, Map<String, Long>> handOffs) throws SQLException {
        String where = " WHERE bucket = ? AND channel = ? AND domain = '' AND outcome = ? AND category = ''";
        try (PreparedStatement add = c.prepareStatement("UPDATE rollup_hour SET events = events + ?" + where);
             PreparedStatement insert = c.prepareStatement("INSERT INTO rollup_hour (bucket, channel, domain, "
                     + "outcome, category, events) VALUES (?, ?, '', ?, '', ?)");
             PreparedStatement zero = c.prepareStatement("DELETE FROM rollup_hour" + where + " AND events = 0")) {
            for (Map.Entry<LocalDateTime, Map<String, Long>> hour : handOffs.entrySet()) {
                for (Map.Entry<String, Long> e : hour.getValue().entrySet()) {
                    add(add, insert, hour.getKey(), e.getKey(), "delivered", -e.getValue());
                    add(add, insert, hour.getKey(), e.getKey(), Outcomes.HAND_OFF, e.getValue());
                    SqlTimes.set(zero, 1, hour.getKey());
                    zero.setString(2, e.getKey());
                    zero.setString(3, "delivered");
                    zero.executeUpdate();
                }
            }
        }
    }

    private static void add(PreparedStatement add, PreparedStatement insert, LocalDateTime bucket, String channel,
                            String outcome, long delta) throws SQLException {
        add.setLong(1, delta);
        SqlTimes.set(add, 2, bucket);
        add.setString(3, channel);
        add.setString(4, outcome);
        if (add.executeUpdate() == 0) {
            SqlTimes.set(insert, 1, bucket);
            insert.setString(2, channel);
            insert.setString(3, outcome);
            insert.setLong(4, delta);
            insert.executeUpdate();
        }
    }
}
