package com.mailtrail.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the facts of one message into its recipients. A pure function of the set of facts: they are sorted first,
 * so files and lines may arrive in any order and give the same result.
 *
 * <p>The rules (also in the README):
 * <ul>
 *   <li>a recipient is the message plus its active recipient (and original recipient);</li>
 *   <li>an enqueue from a relay channel (conversion, reprocess, process: channels that take a message and enqueue it
 *       again) continues the recipient whose previous leg went into that channel, even when the active address
 *       changes there ({@code bert@sesta.com} into conversion, {@code bert@ims-ms-daemon} out of it);</li>
 *   <li>an outcome belongs to the recipient with its active (and original) address; when no enqueue was seen for
 *       it, the outcome starts a recipient of its own;</li>
 *   <li>status: from the outcomes after the last enqueue, on the channel that leg went to: D delivered, R or K
 *       bounced, Q or Z deferred, J rejected; no outcome yet: queued. Deferrals count the Q outcomes.</li>
 * </ul>
 */
final class Correlator {

    private final Set<String> relayChannels;

    Correlator(Set<String> relayChannels) {
        this.relayChannels = relayChannels;
    }

    /**
     * Two strings as one map key. Not the strings joined: a message is correlated again at every batch that brings
     * more of its lines, and joining copied every address of a list message each time (a message to 100,000 members
     * is correlated at each of its 210 batches); the strings keep their hash codes.
     */
    private record Pair(String a, String b) {
    }

    List<RecipientState> recipients(List<Fact> facts) {
        List<Fact> sorted = new ArrayList<>(facts);
        sorted.sort(Fact::compare);
        List<Builder> recipients = new ArrayList<>();
        Map<Pair, Builder> byAddress = new HashMap<>();
        Map<String, Builder> byActive = new LinkedHashMap<>();
        Map<Pair, Builder> legInto = new HashMap<>();
        for (Fact f : sorted) {
            Pair key = new Pair(f.originalRecipient(), f.recipient());
            Builder r;
            if (f.isEnqueue()) {
                r = relayChannels.contains(f.channel())
                        ? legInto.get(new Pair(f.originalRecipient(), f.channel())) : null;
                if (r == null) {
                    r = byAddress.get(key);
                }
                if (r == null) {
                    r = new Builder(f.recipient(), f.originalRecipient());
                    recipients.add(r);
                }
                r.enqueue(f);
                if (f.destination() != null) {
                    legInto.put(new Pair(f.originalRecipient(), f.destination()), r);
                }
            } else {
                r = byAddress.get(key);
                if (r == null) {
                    r = byActive.get(f.recipient()); // the documentation's own examples change the original
                }
                if (r == null) {
                    r = new Builder(f.recipient(), f.originalRecipient());
                    recipients.add(r);
                }
                r.attempts.add(f);
            }
            byAddress.put(key, r);
            byActive.put(f.recipient(), r);
        }
        List<RecipientState> out = new ArrayList<>(recipients.size());
        for (Builder r : recipients) {
            out.add(r.build());
        }
        return out;
    }

    /** A recipient being put together, facts in time order. */
    private static final class Builder {
        private String recipient;
        private final String originalRecipient;
        private Fact firstEnqueue;
        private Fact lastEnqueue;
        private final List<Fact> attempts = new ArrayList<>();

        Builder(String recipient, String originalRecipient) {
            this.recipient = recipient;
            this.originalRecipient = originalRecipient;
        }

        void enqueue(Fact f) {
            if (firstEnqueue == null) {
                firstEnqueue = f;
            } else {
                attempts.add(f);
            }
            lastEnqueue = f;
            recipient = f.recipient();
        }

        RecipientState build() {
            int outcomes = 0;
            int deferrals = 0;
            String failureCategory = null;
            Fact last = null;
            String legChannel = lastEnqueue == null ? null : lastEnqueue.destination();
            for (Fact f : attempts) {
                if (f.isEnqueue()) {
                    continue;
                }
                outcomes++;
                if (f.action() == 'Q') {
                    deferrals++;
                }
                if (f.category() != null) {
                    failureCategory = f.category();
                }
                boolean afterLastLeg = lastEnqueue == null || Fact.compare(f, lastEnqueue) > 0;
                // A D from the channel the message came through is that hop's dequeue, not this leg's outcome.
                boolean onLeg = legChannel == null || f.channel().equals(legChannel) || f.action() == 'J';
                if (afterLastLeg && onLeg) {
                    last = f;
                }
            }
            Status status = Status.QUEUED;
            if (last != null) {
                status = switch (last.action()) {
                    case 'D' -> Status.DELIVERED;
                    case 'R', 'K' -> Status.BOUNCED;
                    case 'J' -> Status.REJECTED;
                    case 'Q', 'Z', 'W' -> Status.DEFERRED;
                    default -> Status.QUEUED;
                };
                if (status == Status.QUEUED) {
                    last = null; // an outcome letter that decides nothing stays an ordinary attempt
                }
            }
            List<Fact> others = new ArrayList<>(attempts.size());
            for (Fact f : attempts) {
                if (f != last) {
                    others.add(f);
                }
            }
            boolean fin = status == Status.DELIVERED || status == Status.BOUNCED || status == Status.REJECTED;
            return new RecipientState(recipient, originalRecipient, firstEnqueue, last, List.copyOf(others), status,
                    outcomes, deferrals, fin ? last.time() : null, failureCategory);
        }
    }
}
