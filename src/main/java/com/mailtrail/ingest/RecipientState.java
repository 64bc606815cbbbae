package com.mailtrail.ingest;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A recipient as correlation computed it from its facts.
 *
 * @param recipient         the active recipient of its latest leg, as logged ({@code bert@ims-ms-daemon})
 * @param originalRecipient the original recipient ({@code bert@sesta.com}), "" when the log had none
 * @param firstEnqueue      the enqueue that started its first leg; null when the log does not show it
 * @param lastOutcome       the outcome its status comes from (the delivery, the bounce, the latest deferral); null
 *                          while queued
 * @param attempts          every other fact in time order: earlier outcomes and the enqueues of later legs
 * @param outcomes          its delivery attempts: the dequeue outcomes it had, the last one included, but a relay
 *                          channel's D that handed it on (Correlator: a hop, not an attempt)
 * @param deferrals         how many of them were Q
 * @param finalTime         when it was delivered, bounced or refused; null while not final
 * @param failureCategory   the category of its latest failure, if any
 * @param handOffs          the entry keys (MessageStore.entryKey) of its D outcomes that were a relay channel handing it
 *                          on (Correlator.handOffs), stored with their rows (attempt.hand_off,
 *                          recipient.last_hand_off) so that the search and the hourly counts read one decision
 */
record RecipientState(
        String recipient,
        String originalRecipient,
        Fact firstEnqueue,
        Fact lastOutcome,
        List<Fact> attempts,
        Status status,
        int outcomes,
        int deferrals,
        LocalDateTime finalTime,
        String failureCategory,
        Set<Long> handOffs) {

    boolean handedOn(Fact f) {
        return !handOffs.isEmpty() && handOffs.contains(MessageStore.entryKey(f));
    }

    LocalDateTime enqueued() {
        return firstEnqueue == null ? null : firstEnqueue.time();
    }

    /** From enqueue to the final outcome (delivery, bounce), in seconds; null while not final. */
    Long delaySeconds() {
        if (firstEnqueue == null || finalTime == null) {
            return null;
        }
        // as it happened: across the hour the MTA's clocks repeat, the logged times alone can say less, or minus
        // finalTime is the last outcome's logged time
        return Fact.secondsBetween(firstEnqueue, lastOutcome);
    }

    /** Every fact of the recipient in time order. */
    List<Fact> facts() {
        List<Fact> all = new ArrayList<>(attempts.size() + 2);
        if (firstEnqueue != null) {
            all.add(firstEnqueue);
        }
        all.addAll(attempts);
        if (lastOutcome != null) {
            all.add(lastOutcome);
        }
        all.sort(Fact::compare);
        return all;
    }
}
