package com.mailtrail.parse;

import java.util.Locale;

/** What an entry's action letter means for its recipient, in one word: what the pages and charts call it. */
public final class Outcomes {

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
