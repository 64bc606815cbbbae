package db.migration;

import com.mailtrail.parse.RelayHops;
import com.mailtrail.store.SqlTimes;
import org.flywaydb.core.api.migration.Context;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
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
 * The stored D outcomes that were a relay channel handing a recipient on, found by the engine's rule (RelayHops over
 * the recipient's entries: every enqueue first, then each D in time order, as Correlator.handOffs) for the migrations
 * that correct what was stored before the write path told them apart (V13: the hourly counts; V15: the rows). Not a
 * migration itself: Flyway runs only the classes that are. V13 and V15 are applied migrations: what they do to a fixed
 * database is pinned (RelayHandOffPinTest), so a change here or in RelayHops that would change them fails there, and
 * belongs in a new migration instead.
 */
final class StoredHandOffs {

    /**
     * A hand-off as stored: in an attempt row ({@code attempt} its id), or the last outcome of its recipient's row
     * ({@code attempt} 0).
     */
    record HandOff(long recipient, long attempt, LocalDateTime time, String channel) {
    }

    /** A D of a recipient on a relay channel, with its place in time order. */
    private record Dequeue(HandOff handOff, LocalDateTime order, long file, long line) {
    }

    /** What receives the hand-offs of each page of messages. */
    interface Page {
        void handOffs(List<HandOff> handOffs) throws SQLException;
    }

    private StoredHandOffs() {
    }

    /**
     * The configured relay channels: Spring Boot hands them to Flyway as the placeholder relaychannels
     * (IngestConfiguration); run by Flyway alone (tests, tools), the defaults.
     */
    static Set<String> relayChannels(Context context, String placeholder) {
        String configured = context.getConfiguration().getPlaceholders().get(placeholder);
        return configured == null || configured.isBlank() ? RelayHops.DEFAULT_CHANNELS
                : Arrays.stream(configured.split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet());
    }

    /**
     * Finds every stored hand-off, in pages of {@code page} messages by id (their attempt rows read through the index
     * on message_ref), and hands each page's to {@code out}; returns how many there were.
     */
    static long find(Connection c, Set<String> relayChannels, int page, Page out) throws SQLException {
        if (relayChannels.isEmpty()) {
            return 0;
        }
        String in = String.join(", ", relayChannels.stream().map(x -> "?").toList());
        List<String> channels = List.copyOf(relayChannels);
        long found = 0;
        long after = Long.MIN_VALUE;
        try (PreparedStatement messages = c.prepareStatement("SELECT id FROM message WHERE id > ? ORDER BY id "
                + "FETCH FIRST " + page + " ROWS ONLY");
             // the enqueues out of a relay channel and the D on one, of the recipients of a page of messages
             PreparedStatement attempts = c.prepareStatement("SELECT recipient_ref, outcome, channel, destination, "
                     + "time, order_shift, file_id, line, id FROM attempt WHERE message_ref BETWEEN ? AND ? "
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
                                    .add(dequeue(recipient, rs.getLong(9), SqlTimes.get(rs, 5), shift(rs, 6),
                                            rs.getLong(7), rs.getLong(8), rs.getString(3)));
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
                                    .add(dequeue(recipient, 0, SqlTimes.get(rs, 6), shift(rs, 7), rs.getLong(8),
                                            rs.getLong(9), channel));
                        }
                    }
                }
                List<HandOff> handOffs = new ArrayList<>();
                for (Map.Entry<Long, RelayHops> e : hops.entrySet()) {
                    List<Dequeue> ordered = new ArrayList<>(dequeues.getOrDefault(e.getKey(), List.of()));
                    ordered.sort(Comparator.comparing(Dequeue::order).thenComparingLong(Dequeue::file)
                            .thenComparingLong(Dequeue::line));
                    for (Dequeue d : ordered) {
                        if (e.getValue().handOff('D', d.handOff().channel()) != null) {
                            handOffs.add(d.handOff());
                        }
                    }
                }
                found += handOffs.size();
                out.handOffs(handOffs);
                if (rows < page) {
                    break;
                }
            }
        }
        return found;
    }

    private static Dequeue dequeue(long recipient, long attempt, LocalDateTime time, int shift, long file, long line,
                                   String channel) {
        return new Dequeue(new HandOff(recipient, attempt, time, channel),
                shift == 0 ? time : time.plusSeconds(shift), file, line);
    }

    /** The ordering shift in seconds (NULL: none), see ingest.ClockSteps. */
    private static int shift(ResultSet rs, int column) throws SQLException {
        int shift = rs.getInt(column);
        return rs.wasNull() ? 0 : shift;
    }
}
