package com.mailtrail.ingest;

import java.util.List;

/**
 * A message as stored: its row id, message-level facts, its recipients with their row ids, and every fact it was
 * built from (those kept as attempt rows carry their row id). What the write path recomputes from and diffs against.
 */
record StoredMessage(long id, MessageInfo info, Status status, List<StoredRecipient> recipients, List<Fact> facts) {

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
