package com.mailtrail.ingest;

import java.util.Locale;

/** Where a recipient stands, from its entries. Ordered from the most to the least alarming for a message summary. */
public enum Status {
    /** R or K: the message was returned (or dropped without notice). */
    BOUNCED,
    /** J: refused at enqueue, nothing was queued. */
    REJECTED,
    /** The last outcome was a temporary failure (Q, or Z for the recipients left over). */
    DEFERRED,
    /** Enqueued, no outcome yet. */
    QUEUED,
    /** The last leg ended with a successful dequeue D. */
    DELIVERED;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Status fromKey(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT));
    }
}
