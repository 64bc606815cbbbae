package com.mailtrail.ingest;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;

/**
 * A recipient as correlation computed it from its facts.
 *
 * @param recipient         the active recipient of its latest leg, as logged ({@code bert@ims-ms-daemon})
 * @param originalRecipient the original recipient ({@code bert@sesta.com}), "" when the log had none
 * @param firstEnqueue      the enqueue that started its first leg; null when the log does not show it
 * @param attempts          every other fact in time order: dequeue outcomes and the enqueues of later legs
 */
record RecipientState(
        String recipient,
        String originalRecipient,
        Fact firstEnqueue,
        List<Fact> attempts,
        Status status,
        int outcomes,
        int deferrals,
        LocalDateTime finalTime,
        String finalChannel,
        String lastCategory) {

    LocalDateTime enqueued() {
        return firstEnqueue == null ? null : firstEnqueue.time();
    }

    /** From enqueue to the final outcome (delivery, bounce), in seconds; null while not final. */
    Long delaySeconds() {
        if (firstEnqueue == null || finalTime == null) {
            return null;
        }
        return Duration.between(firstEnqueue.time(), finalTime).getSeconds();
    }

    boolean contains(Fact f) {
        if (firstEnqueue != null && firstEnqueue.sameEntry(f)) {
            return true;
        }
        for (Fact a : attempts) {
            if (a.sameEntry(f)) {
                return true;
            }
        }
        return false;
    }
}
