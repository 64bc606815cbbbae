package com.mailtrail.ingest;

import com.mailtrail.parse.Outcomes;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Hourly counts for the charts, kept up to date by deltas: each new fact adds one to its hour, and a recipient whose
 * state changes moves from its old bucket to its new one. Summed in memory per batch and added to the tables by
 * {@link Upsert}.
 *
 * <p>A relay channel's D that handed a recipient on (Correlator.handOffs) counts as {@link Outcomes#HAND_OFF}, not as
 * delivered: whether a D is one depends on the recipient's other entries (the enqueue out of the relay channel may
 * come later, in another file), so a D counts as delivered when it comes and moves to the hand-offs when its recipient
 * is found to have been handed on, and back when that changes again.
 */
public final class Rollups {

    record FactKey(LocalDateTime hour, String channel, String domain, String outcome, String category) {
    }

    record RecipientKey(LocalDateTime hour, String status, int outcomes, String delay) {
    }

    private final Map<FactKey, Long> facts = new HashMap<>();
    private final Map<RecipientKey, Long> recipients = new HashMap<>();

    /** @param domain the domain the entry was delivered to (MessageStore.deliveredDomain), null when none */
    void fact(Fact f, String domain) {
        facts.merge(key(f, domain, Outcomes.of(f.action())), 1L, Long::sum);
    }

    private static FactKey key(Fact f, String domain, String outcome) {
        boolean failure = f.category() != null;
        // Domains only for failures: the chart of failing destinations needs them, and successes would multiply rows.
        return new FactKey(f.time().truncatedTo(ChronoUnit.HOURS), f.channel(),
                failure && domain != null ? domain : "", outcome, f.category() == null ? "" : f.category());
    }

    /**
     * Moves the D entries that became a hand-off, or stopped being one, between the recipient as it was and as it is
     * (either null: a recipient new or gone): what the stored rows said (RecipientState.handOffs, read back from
     * attempt.hand_off and recipient.last_hand_off) against what correlation decides now, so that the counts follow
     * the rows.
     */
    private void handOffs(RecipientState before, RecipientState after) {
        if (before == after) {
            return;
        }
        Set<Long> was = before == null ? Set.of() : before.handOffs();
        Set<Long> now = after == null ? Set.of() : after.handOffs();
        if (was.isEmpty() && now.isEmpty()) {
            return;
        }
        if (!was.isEmpty()) {
            for (Fact f : before.facts()) {
                long key = MessageStore.entryKey(f);
                if (was.contains(key) && !now.contains(key)) {
                    move(f, Outcomes.HAND_OFF, Outcomes.of(f.action()));
                }
            }
        }
        if (!now.isEmpty()) {
            for (Fact f : after.facts()) {
                long key = MessageStore.entryKey(f);
                if (now.contains(key) && !was.contains(key)) {
                    move(f, Outcomes.of(f.action()), Outcomes.HAND_OFF);
                }
            }
        }
    }

    private void move(Fact f, String from, String to) {
        String domain = MessageStore.deliveredDomain(f);
        facts.merge(key(f, domain, from), -1L, Long::sum);
        facts.merge(key(f, domain, to), 1L, Long::sum);
    }

    void recipient(RecipientState before, RecipientState after, MessageInfo message) {
        handOffs(before, after);
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
        handOffs(before, after);
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
