package com.mailtrail.parse;

import java.util.Locale;

/** What an entry's action letter means for its recipient, in one word: what the pages and charts call it. */
public final class Outcomes {

    /**
     * A relay channel's D that handed a recipient on (RelayHops), in the hourly counts (rollup_hour): a hop, not a
     * delivery, so that "delivered" there counts what the attempts and the message page call deliveries.
     */
    public static final String HAND_OFF = "handoff";

    private Outcomes() {
    }

    public static String of(char action) {
        return switch (action) {
            case 'D' -> "delivered";
            case 'Q', 'Z' -> "deferred";
            case 'R', 'K' -> "bounced";
            case 'J' -> "rejected";
            case 'E' -> "enqueued";
            case 'W' -> "warned";
            default -> String.valueOf(action).toLowerCase(Locale.ROOT);
        };
    }
}
