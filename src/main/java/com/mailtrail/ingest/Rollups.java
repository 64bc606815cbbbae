package com.mailtrail.ingest;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;

/**
 * Hourly counts for the charts, kept up to date by deltas: each new fact adds one to its hour, and a recipient whose
 * state changes moves from its old bucket to its new one. Summed in memory per batch and added to the tables by
 * {@link Upsert}.
 */
public final class Rollups {

    record FactKey(LocalDateTime hour, String channel, String domain, String outcome, String category) {
    }

    record RecipientKey(LocalDateTime hour, String status, int outcomes, String delay) {
    }

    private final Map<FactKey, Long> facts = new HashMap<>();
    private final Map<RecipientKey, Long> recipients = new HashMap<>();

    Rollups() {
    }

    /** @param domain the domain the entry was delivered to (MessageStore.deliveredDomain), null when none */
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

    /**
     * A recipient with its message as it was before and as it is after: one not final and not enqueued is counted in
     * the hour of its message's first line, which an earlier line loaded later moves. It may change message too
     * (entries grouped by day, see MessageStore).
     */
    void recipient(RecipientState before, MessageInfo beforeMessage, RecipientState after, MessageInfo afterMessage) {
        if (before != null && after != null && key(before, beforeMessage).equals(key(after, afterMessage))) {
            return;
        }
        if (before != null) {
            recipients.merge(key(before, beforeMessage), -1L, Long::sum);
        }
        if (after != null) {
            recipients.merge(key(after, afterMessage), 1L, Long::sum);
        }
    }

    private static RecipientKey key(RecipientState r, MessageInfo message) {
        LocalDateTime at = r.finalTime() != null ? r.finalTime() : r.enqueued() != null ? r.enqueued()
                : message.firstSeen();
        return new RecipientKey(at.truncatedTo(ChronoUnit.HOURS), r.status().key(), Math.min(r.outcomes(), 10),
                delayBucket(r.delaySeconds()));
    }

    /** Time to delivery buckets, from under a minute to over a day; "" while not final. Public for V12. */
    public static String delayBucket(Long seconds) {
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

    /** @param copy whether the database is PostgreSQL (IngestEngine.copies): one upsert statement per table */
    void write(Connection c, boolean copy) throws SQLException {
        Upsert events = new Upsert("rollup_hour", "bucket, channel, domain, outcome, category", "events",
                Upsert.Merge.ADD);
        facts.forEach((k, v) -> {
            if (v != 0) {
                events.add(new Object[]{k.hour(), k.channel(), k.domain(), k.outcome(), k.category()}, v);
            }
        });
        events.execute(c, copy);
        Upsert counts = new Upsert("rollup_recipient_hour", "bucket, status, outcomes, delay", "recipients",
                Upsert.Merge.ADD);
        recipients.forEach((k, v) -> {
            if (v != 0) {
                counts.add(new Object[]{k.hour(), k.status(), k.outcomes(), k.delay()}, v);
            }
        });
        counts.execute(c, copy);
    }
}
