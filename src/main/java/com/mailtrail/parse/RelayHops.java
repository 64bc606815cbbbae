package com.mailtrail.parse;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Which of a recipient's D outcomes are a relay channel handing it on (its hop through conversion, process...) rather
 * than a delivery attempt: one D per enqueue out of that relay channel, the earliest D first (a relay channel logs its
 * dequeue of the message it enqueued on, before or after that enqueue). A Q or R on a relay channel is a failure there
 * and no hand-off; a D on it with no enqueue out of it in the log is where the recipient's trail ends, and counts.
 * The one rule, applied when the entries are correlated (Correlator): the attempts counted and the hand-off stored on
 * each row (attempt.hand_off, recipient.last_hand_off), which the message page, the search and the hourly counts read,
 * so that they agree whatever the relay channels are configured as later. V12 corrected stored counts by the same
 * pairing; V13 and V15 (StoredHandOffs) applied it to what was stored before.
 *
 * <p>Use: {@link #enqueuedOutOf} for every enqueue of the recipient, then {@link #handOff} for each of its outcomes in
 * time order. Not thread-safe; one per recipient.
 */
public final class RelayHops {

    /**
     * The relay channels when mailtrail.ingest.relay-channels is not set (IngestProperties' {@code @DefaultValue}, which
     * an annotation must spell out again). Here, beside the rule, for the migrations run by Flyway alone
     * (StoredHandOffs), which do not reach into the write path's settings.
     */
    public static final Set<String> DEFAULT_CHANNELS = Set.of("conversion", "reprocess", "process");

    private final Set<String> relayChannels;
    // per relay channel, the channels its enqueues out of it went to, not yet paired with a D, in time order
    private final Map<String, ArrayDeque<String>> waiting = new HashMap<>(2);

    /** @param relayChannels the configured relay channels (mailtrail.ingest.relay-channels) */
    public RelayHops(Set<String> relayChannels) {
        this.relayChannels = relayChannels;
    }

    /** An enqueue of the recipient from channel {@code from} to channel {@code to} (to may be null: not logged). */
    public void enqueuedOutOf(String from, String to) {
        if (from != null && relayChannels.contains(from)) {
            waiting.computeIfAbsent(from, k -> new ArrayDeque<>(1)).add(to == null ? "" : to);
        }
    }

    /**
     * The recipient's next outcome, in time order: null when it is a delivery attempt (any letter but D, a D on
     * another channel, or one more D than the relay channel has enqueues out of it); else the channel it was handed
     * on to ("" when the enqueue did not name it).
     */
    public String handOff(char action, String channel) {
        if (action != 'D' || waiting.isEmpty()) {
            return null;
        }
        ArrayDeque<String> to = waiting.get(channel);
        return to == null ? null : to.poll();
    }
}
