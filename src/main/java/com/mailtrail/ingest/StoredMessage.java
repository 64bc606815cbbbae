package com.mailtrail.ingest;

import java.util.List;
import java.util.Map;

/**
 * A message as stored: its row id, message-level facts, its recipients with their row ids, and every fact it was
 * built from by entry key ({@code MessageStore.entryKey}; those kept as attempt rows carry their row id). What the
 * write path recomputes from and diffs against.
 * <p>
 * {@code facts} and {@code addresses} (null for a message with few recipients) are handed on from one version of a
 * message to the next and updated in place, not copied: a list message has hundreds of thousands of facts and a new
 * version at every batch. After a failure the message cache is dropped, so what was updated for a batch that was not
 * committed is never read.
 */
record StoredMessage(long id, MessageInfo info, Status status, List<StoredRecipient> recipients,
                     Map<Long, Fact> facts, Addresses addresses) {

    record StoredRecipient(long id, RecipientState state) {
    }

    /** Summary status of a message: its most alarming recipient's. */
    static Status summary(List<RecipientState> recipients) {
        Status worst = Status.DELIVERED;
        for (RecipientState r : recipients) {
            if (r.status().ordinal() < worst.ordinal()) {
                worst = r.status();
            }
        }
        return recipients.isEmpty() ? Status.QUEUED : worst;
    }
}
