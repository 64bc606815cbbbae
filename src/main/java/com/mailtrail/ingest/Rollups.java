package com.mailtrail.ingest;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hourly counts for the charts, kept up to date by deltas: each new fact adds one to its hour, and a recipient whose
 * state changes moves from its old bucket to its new one. Summed in memory per batch and written as
 * update-then-insert, which both H2 and PostgreSQL do the same way.
 */
final class Rollups {

    record FactKey(LocalDateTime hour, String channel, String domain, String outcome, String category) {
    }

    record RecipientKey(LocalDateTime hour, String status, int outcomes, String delay) {
    }

    private final Map<FactKey, Long> facts = new HashMap<>();
    private final Map<RecipientKey, Long> recipients = new HashMap<>();

    void fact(Fact f, String domain) {
        String outcome = com.mailtrail.parse.Outcomes.of(f.action());
        boolean failure = f.category() != null;
        // Domains only for failures: the chart of failing destinations needs them, and successes would multiply rows.
        FactKey key = new FactKey(f.time().truncatedTo(ChronoUnit.HOURS), f.channel(),
                failure && domain != null ? domain : "", outcome, f.category() == null ? "" : f.category());
        facts.merge(key, 1L, Long::sum);
    }

    void recipient(RecipientState before, RecipientState after, MessageInfo message) {
        if (before != null) {
            RecipientKey k = key(before, message);
            if (after != null && k.equals(key(after, message))) {
                return;
            }
            recipients.merge(k, -1L, Long::sum);
        }
        if (after != null) {
            recipients.merge(key(after, message), 1L, Long::sum);
        }
    }

    private static RecipientKey key(RecipientState r, MessageInfo message) {
        LocalDateTime at = r.finalTime() != null ? r.finalTime() : r.enqueued() != null ? r.enqueued()
                : message.firstSeen();
        return new RecipientKey(at.truncatedTo(ChronoUnit.HOURS), r.status().key(), Math.min(r.outcomes(), 10),
                delayBucket(r.delaySeconds()));
    }

    /** Time to delivery buckets, from under a minute to over a day; "" while not final. */
    static String delayBucket(Long seconds) {
        if (seconds == null) {
            return "";
        }
        if (seconds < 60) {
            return "<1m";
        }
        if (seconds < 300) {
            return "1-5m";
        }
        if (seconds < 1800) {
            return "5-30m";
        }
        if (seconds < 3600) {
            return "30m-1h";
        }
        if (seconds < 4 * 3600) {
            return "1-4h";
        }
        if (seconds < 24 * 3600) {
            return "4-24h";
        }
        return ">1d";
    }

    boolean isEmpty() {
        return facts.isEmpty() && recipients.isEmpty();
    }

    void write(Connection c) throws SQLException {
        List<FactKey> factKeys = new ArrayList<>();
        List<Long> factDeltas = new ArrayList<>();
        facts.forEach((k, v) -> {
            if (v != 0) {
                factKeys.add(k);
                factDeltas.add(v);
            }
        });
        int[] updated;
        try (PreparedStatement up = c.prepareStatement("UPDATE rollup_hour SET events = events + ? WHERE bucket = ? "
                + "AND channel = ? AND domain = ? AND outcome = ? AND category = ?")) {
            for (int i = 0; i < factKeys.size(); i++) {
                FactKey k = factKeys.get(i);
                up.setLong(1, factDeltas.get(i));
                up.setTimestamp(2, Timestamp.valueOf(k.hour()));
                up.setString(3, k.channel());
                up.setString(4, k.domain());
                up.setString(5, k.outcome());
                up.setString(6, k.category());
                up.addBatch();
            }
            updated = factKeys.isEmpty() ? new int[0] : up.executeBatch();
        }
        try (PreparedStatement in = c.prepareStatement("INSERT INTO rollup_hour (bucket, channel, domain, outcome, "
                + "category, events) VALUES (?,?,?,?,?,?)")) {
            boolean any = false;
            for (int i = 0; i < factKeys.size(); i++) {
                if (updated[i] == 0) {
                    FactKey k = factKeys.get(i);
                    in.setTimestamp(1, Timestamp.valueOf(k.hour()));
                    in.setString(2, k.channel());
                    in.setString(3, k.domain());
                    in.setString(4, k.outcome());
                    in.setString(5, k.category());
                    in.setLong(6, factDeltas.get(i));
                    in.addBatch();
                    any = true;
                }
            }
            if (any) {
                in.executeBatch();
            }
        }
        List<RecipientKey> keys = new ArrayList<>();
        List<Long> deltas = new ArrayList<>();
        recipients.forEach((k, v) -> {
            if (v != 0) {
                keys.add(k);
                deltas.add(v);
            }
        });
        try (PreparedStatement up = c.prepareStatement("UPDATE rollup_recipient_hour SET recipients = recipients + ? "
                + "WHERE bucket = ? AND status = ? AND outcomes = ? AND delay = ?")) {
            for (int i = 0; i < keys.size(); i++) {
                RecipientKey k = keys.get(i);
                up.setLong(1, deltas.get(i));
                up.setTimestamp(2, Timestamp.valueOf(k.hour()));
                up.setString(3, k.status());
                up.setInt(4, k.outcomes());
                up.setString(5, k.delay());
                up.addBatch();
            }
            updated = keys.isEmpty() ? new int[0] : up.executeBatch();
        }
        try (PreparedStatement in = c.prepareStatement("INSERT INTO rollup_recipient_hour (bucket, status, outcomes, "
                + "delay, recipients) VALUES (?,?,?,?,?)")) {
            boolean any = false;
            for (int i = 0; i < keys.size(); i++) {
                if (updated[i] == 0) {
                    RecipientKey k = keys.get(i);
                    in.setTimestamp(1, Timestamp.valueOf(k.hour()));
                    in.setString(2, k.status());
                    in.setInt(3, k.outcomes());
                    in.setString(4, k.delay());
                    in.setLong(5, deltas.get(i));
                    in.addBatch();
                    any = true;
                }
            }
            if (any) {
                in.executeBatch();
            }
        }
        facts.clear();
        recipients.clear();
    }

    void clear() {
        facts.clear();
        recipients.clear();
    }
}
