package db.migration;

import com.mailtrail.parse.Outcomes;
import com.mailtrail.parse.RelayHops;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The hourly counts (rollup_hour) counted a relay channel's D that handed a recipient on (conversion, process...) as a
 * delivery on that channel, so "Deliveries per channel" drew conversion beside ims-ms; the write path now counts it
 * as {@link Outcomes#HAND_OFF} (Rollups). This moves each stored hand-off, one count each, from its hour's delivered
 * count to its hand-off count, found by the engine's rule (RelayHops) over the recipient's stored entries.
 *
 * <p>The relay channels are the configured ones: Spring Boot hands mailtrail.ingest.relay-channels to Flyway as the
 * placeholder relaychannels (application.properties); run by Flyway alone (tests, tools), the defaults. Counts of
 * messages that retention has removed since stay as they were: nothing is left to correct them from. In pages of
 * messages as V12; one transaction.
 */
public class V13__relay_hand_offs_in_hourly_counts extends BaseJavaMigration {

    private static final Logger log = LoggerFactory.getLogger(V13__relay_hand_offs_in_hourly_counts.class);

    /** The Flyway placeholder that carries mailtrail.ingest.relay-channels. */
    public static final String PLACEHOLDER = "relaychannels";

    /** Messages per page. */
    static final int PAGE = 10_000;

    /** A D of a recipient on a relay channel: when it was logged, its place in time order, and its hourly key. */
    private record Dequeue(LocalDateTime time, LocalDateTime order, long file, long line, String channel) {
    }

    @Override
    public void migrate(Context context) throws SQLException {
        String configured = context.getConfiguration().getPlaceholders().get(PLACEHOLDER);
        Set<String> relay = configured == null || configured.isBlank() ? RelayHops.DEFAULT_CHANNELS
                : Arrays.stream(configured.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
        long moved = correct(context.getConnection(), relay, PAGE);
        log.info("A relay channel's hand-off is no longer a delivery in the hourly counts: {} moved", moved);
    }

    /** Moves every stored hand-off's count; returns how many moved. */
    public static long correct(Connection c, Set<String> relayChannels, int page) throws SQLException {
        if (relayChannels.isEmpty()) {
            return 0;
        }
        String in = String.join(", ", relayChannels.stream().map(x -> "?").toList());
        List<String> channels = List.copyOf(relayChannels);
        Map<LocalDateTime, Map<String, Long>> handOffs = new HashMap<>(); // hour -> channel -> count
        long moved = 0;
        long after = Long.MIN_VALUE;
        try (PreparedStatement messages = c.prepareStatement("SELECT id FROM message WHERE id > ? ORDER BY id "
                + "FETCH FIRST " + page + " ROWS ONLY");
             // the enqueues out of a relay channel and the D on one, of the recipients of a page of messages
             PreparedStatement attempts = c.prepareStatement("SELECT recipient_ref, outcome, channel, destination, "
                     + "time, order_shift, file_id, line FROM attempt WHERE message_ref BETWEEN ? AND ? "
                     + "AND channel IN (" + in + ") AND (outcome = 'enqueued' OR outcome = 'delivered' "
                     + "AND category IS NULL)");
             // their first enqueues and last outcomes, kept in the recipient row
             PreparedStatement recipients = c.prepareStatement("SELECT id, source_channel, destination_channel, "
                     + "last_code, last_channel, last_time, last_shift, last_file, last_line, last_category "
                     + "FROM recipient WHERE message_ref BETWEEN ? AND ? AND (source_channel IN (" + in + ") "
                     + "OR last_channel IN (" + in + "))")) {
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
                Map<Long, RelayHops> hops = new LinkedHashMap<>();
                Map<Long, List<Dequeue>> dequeues = new HashMap<>();
                attempts.setLong(1, first);
                attempts.setLong(2, last);
                for (int i = 0; i < channels.size(); i++) {
                    attempts.setString(3 + i, channels.get(i));
                }
                try (ResultSet rs = attempts.executeQuery()) {
                    while (rs.next()) {
                        long recipient = rs.getLong(1);
                        if (rs.getString(2).equals("enqueued")) {
                            hops.computeIfAbsent(recipient, k -> new RelayHops(relayChannels))
                                    .enqueuedOutOf(rs.getString(3), rs.getString(4));
                        } else {
                            dequeues.computeIfAbsent(recipient, k -> new ArrayList<>())
                                    .add(dequeue(SqlTimes.get(rs, 5), shift(rs, 6), rs.getLong(7), rs.getLong(8),
                                            rs.getString(3)));
                        }
                    }
                }
                recipients.setLong(1, first);
                recipients.setLong(2, last);
                for (int i = 0; i < channels.size(); i++) {
                    recipients.setString(3 + i, channels.get(i));
                    recipients.setString(3 + channels.size() + i, channels.get(i));
                }
                try (ResultSet rs = recipients.executeQuery()) {
                    while (rs.next()) {
                        long recipient = rs.getLong(1);
                        String source = rs.getString(2);
                        if (source != null && relayChannels.contains(source)) {
                            hops.computeIfAbsent(recipient, k -> new RelayHops(relayChannels))
                                    .enqueuedOutOf(source, rs.getString(3));
                        }
                        String code = rs.getString(4);
                        String channel = rs.getString(5);
                        if (code != null && code.startsWith("D") && rs.getString(10) == null
                                && relayChannels.contains(channel)) {
                            dequeues.computeIfAbsent(recipient, k -> new ArrayList<>())
                                    .add(dequeue(SqlTimes.get(rs, 6), shift(rs, 7), rs.getLong(8), rs.getLong(9),
                                            channel));
                        }
                    }
                }
                // the engine's rule: every enqueue first, then each D in time order (Correlator.handOffs)
                for (Map.Entry<Long, RelayHops> e : hops.entrySet()) {
                    List<Dequeue> ds = dequeues.getOrDefault(e.getKey(), List.of());
                    List<Dequeue> ordered = new ArrayList<>(ds);
                    ordered.sort(Comparator.comparing(Dequeue::order).thenComparingLong(Dequeue::file)
                            .thenComparingLong(Dequeue::line));
                    for (Dequeue d : ordered) {
                        if (e.getValue().handOff('D', d.channel()) != null) {
                            handOffs.computeIfAbsent(d.time().truncatedTo(ChronoUnit.HOURS), k -> new HashMap<>())
                                    .merge(d.channel(), 1L, Long::sum);
                            moved++;
                        }
                    }
                }
                if (rows < page) {
                    break;
                }
            }
        }
        move(c, handOffs);
        return moved;
    }

    private static Dequeue dequeue(LocalDateTime time, int shift, long file, long line, String channel) {
        return new Dequeue(time, shift == 0 ? time : time.plusSeconds(shift), file, line, channel);
    }

    /** The ordering shift in seconds (NULL: none), see ingest.ClockSteps. */
    private static int shift(ResultSet rs, int column) throws SQLException {
        int shift = rs.getInt(column);
        return rs.wasNull() ? 0 : shift;
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
