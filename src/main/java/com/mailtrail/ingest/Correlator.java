package com.mailtrail.ingest;

import com.mailtrail.parse.QueueFile;
import com.mailtrail.parse.RelayHops;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
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
 *   <li>in a log without Message-IDs, where entries are grouped by sender, original recipient and day, every
 *       enqueue is a recipient of its own and an outcome goes to the open one its addresses name on its channel, the
 *       one of its queue file when the log names them (see {@link #recipients(List, boolean)}), on its day or up to
 *       {@link #QUEUE_DAYS} days later (MessageStore hands in the recipients of the days before that still wait);</li>
 *   <li>status: from the outcomes after the last enqueue, on the channel that leg went to: D delivered, R or K
 *       bounced, Q or Z deferred, J rejected; no outcome yet: queued. Attempts count the outcomes but a relay
 *       channel's D that hands the message on (one per enqueue out of that channel); deferrals count the Q outcomes.</li>
 * </ul>
 */
final class Correlator {

    /**
     * How many days after the day of its enqueue a recipient can still get an outcome, when entries are grouped by
     * sender, recipient and day: Messaging Server returns mail still undelivered after the last of its channel's
     * {@code notices} ages, 12 days by default ({@code notices 3 6 9 12}), and its return job runs once a day.
     */
    static final int QUEUE_DAYS = 13;

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

    /** An original address and a relay channel: what ties the legs of a recipient into and out of that channel. */
    record Leg(String originalRecipient, String channel) {
    }

    /**
     * The relay legs {@code f} ties to other facts through besides its active address: for an enqueue into a relay
     * channel, its original address with that channel (the enqueue out of the channel continues it), and for an
     * enqueue out of one, its original address with the channel it came out of, and for an outcome on a relay channel,
     * its original address with that channel (its dequeue may name the address it rewrote). Usually none.
     *
     * <p>Correlation ties a fact to others through nothing but its active address (the pair of its original and
     * active addresses, and an outcome of an unknown pair taken by its active address alone) and these legs: each
     * map below is keyed by one of them, and an enqueue into a channel that is not a relay channel is never looked up
     * by its channel. So facts that share no active address and no leg, directly or through one another, are
     * correlated apart: the recipients of one do not depend on the other. The original address alone ties nothing,
     * and every member of a list expansion shares it (MessageStore recomputes only what new facts can change).
     */
    List<Leg> legs(Fact f) {
        if (!f.isEnqueue()) {
            // A relay channel's dequeue may name the address it rewrote, not the one enqueued into it: it is tied
            // to that recipient by the leg into the channel (see recipients).
            return relayChannels.contains(f.channel()) ? List.of(new Leg(f.originalRecipient(), f.channel()))
                    : List.of();
        }
        boolean into = f.destination() != null && relayChannels.contains(f.destination());
        boolean outOf = relayChannels.contains(f.channel());
        if (!into && !outOf) {
            return List.of();
        }
        if (into && outOf) {
            return List.of(new Leg(f.originalRecipient(), f.destination()), new Leg(f.originalRecipient(), f.channel()));
        }
        return List.of(new Leg(f.originalRecipient(), into ? f.destination() : f.channel()));
    }

    List<RecipientState> recipients(List<Fact> facts) {
        return recipients(facts, false);
    }

    /**
     * @param byEnqueue true for a group of entries that nothing but sender, recipient and day ties together (a log
     *                  without LOG_MESSAGE_ID): there every enqueue is a recipient of its own (a relay channel's
     *                  excepted), and an outcome goes to the open one of its addresses whose leg went to the
     *                  outcome's channel, the one of its queue file if any, whatever size it logs
     */
    List<RecipientState> recipients(List<Fact> facts, boolean byEnqueue) {
        return recipients(facts, byEnqueue, List.of());
    }

    /**
     * @param seeds recipients already decided, each its facts (of the days before {@code facts}): they are taken as
     *              they are, and the facts go on from where they left them. A group of one day is correlated with
     *              the recipients of the days before it that still wait at its start (see MessageStore).
     */
    List<RecipientState> recipients(List<Fact> facts, boolean byEnqueue, List<List<Fact>> seeds) {
        List<Fact> sorted = new ArrayList<>(facts);
        Map<Fact, Builder> pinned = new IdentityHashMap<>();
        for (List<Fact> seed : seeds) {
            Builder b = new Builder(seed.get(0).recipient(), seed.get(0).originalRecipient());
            for (Fact f : seed) {
                pinned.put(f, b);
                sorted.add(f);
            }
        }
        sorted.sort(Fact::compare);
        List<Builder> recipients = new ArrayList<>();
        Map<Pair, Builder> byAddress = new HashMap<>();
        Map<String, Builder> byActive = new LinkedHashMap<>();
        Map<Pair, Builder> legInto = new HashMap<>();
        Map<Pair, List<Builder>> instances = byEnqueue ? new HashMap<>() : null;
        Map<Pair, List<Builder>> legsInto = byEnqueue ? new HashMap<>() : null;
        for (Fact f : sorted) {
            Pair key = new Pair(f.originalRecipient(), f.recipient());
            Builder r;
            Builder pin = pinned.isEmpty() ? null : pinned.get(f);
            if (pin != null && pin.firstEnqueue == null && pin.attempts.isEmpty()) {
                recipients.add(pin);
            }
            if (f.isEnqueue()) {
                if (pin != null) {
                    r = pin;
                } else if (!relayChannels.contains(f.channel())) {
                    r = null;
                } else if (byEnqueue) {
                    r = stillIn(f, legsInto.get(new Pair(f.originalRecipient(), f.channel())));
                } else {
                    r = legInto.get(new Pair(f.originalRecipient(), f.channel()));
                }
                if (r == null && !byEnqueue) {
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
                if (byEnqueue) {
                    if (f.destination() != null && relayChannels.contains(f.destination())) {
                        legsInto.computeIfAbsent(new Pair(f.originalRecipient(), f.destination()),
                                k -> new ArrayList<>(2)).add(r);
                    }
                    List<Builder> same = instances.computeIfAbsent(key, k -> new ArrayList<>(2));
                    if (same.isEmpty() || same.get(same.size() - 1) != r) {
                        same.add(r);
                    }
                }
            } else {
                r = pin != null ? pin : byEnqueue ? instanceFor(f, key, instances, byAddress) : byAddress.get(key);
                if (r != null && byEnqueue && relayChannels.contains(f.channel())
                        && !f.channel().equals(r.legChannel())) {
                    r.hopDequeued = true;
                }
                if (r == null && !byEnqueue) {
                    r = byActive.get(f.recipient()); // the documentation's own examples change the original
                }
                if (r == null && !byEnqueue && relayChannels.contains(f.channel())) {
                    // A relay channel may log its dequeue with the address it rewrote (Example 21-8: bert@sesta.com
                    // into conversion, its D there to "bert"): the hop of the recipient that went into it.
                    Builder into = legInto.get(new Pair(f.originalRecipient(), f.channel()));
                    if (into != null && f.channel().equals(into.legChannel()) && !into.legEnded()) {
                        r = into;
                    }
                }
                if (r == null) {
                    r = new Builder(f.recipient(), f.originalRecipient());
                    recipients.add(r);
                }
                r.attempts.add(f);
                if (byEnqueue) {
                    r.outcome(f);
                }
            }
            r.lastDay = f.time().toLocalDate();
            byAddress.put(key, r);
            byActive.put(f.recipient(), r);
        }
        List<RecipientState> out = new ArrayList<>(recipients.size());
        for (Builder r : recipients) {
            out.add(r.build(relayChannels));
        }
        return out;
    }

    /**
     * Where an outcome goes when entries are tied by sender, recipient and day only: to the open recipient of its
     * addresses whose leg went to the outcome's channel and is in the outcome's queue file; else, logged from a queue
     * file none is in, to the first one a Z moved to a new file; else to the earliest open recipient
     * of its addresses whose leg went to the outcome's channel, one whose enqueue logged the outcome's size first (a
     * delivery logs the enqueue's size, a deferral how much was sent); else to the last recipient of its addresses
     * that it does not end a second time (the dequeue of a relay channel the message came through); else nowhere (a
     * recipient of its own: its enqueue is not in the log, or was on another day). A J is a refusal at enqueue: nothing
     * was queued, so it is always a recipient of its own.
     */
    private Builder instanceFor(Fact f, Pair key, Map<Pair, List<Builder>> instances,
                                Map<Pair, Builder> byAddress) {
        if (f.action() == 'J') {
            return null;
        }
        List<Builder> same = instances.getOrDefault(key, List.of());
        if (relayChannels.contains(f.channel())) {
            // A relay channel logs its dequeue right after it enqueued the message on: the hop of the recipient that
            // last came out of it and whose hop out is not dequeued yet.
            for (Builder b : same) {
                if (b.waits(f) && !b.hopDequeued && f.channel().equals(b.lastEnqueue.channel())) {
                    return b;
                }
            }
        }
        // With queue file names (LOG_FILENAME=1), the file an outcome was logged from is the one its recipient's
        // enqueue went to, or the one a Z moved it to: it tells apart two enqueues that the size cannot.
        String stem = stem(f);
        Builder first = null;
        Builder firstMoved = null;
        for (Builder b : same) {
            if (b.waits(f) && f.channel().equals(b.legChannel())) {
                if (stem != null && stem.equals(b.stem)) {
                    return b;
                }
                if (b.movedOn && (firstMoved == null || b.lastEnqueue.size() == f.size()
                        && firstMoved.lastEnqueue.size() != f.size())) {
                    firstMoved = b; // after a Z: in a new queue file, which no earlier line names
                }
                if (first == null || b.lastEnqueue.size() == f.size() && first.lastEnqueue.size() != f.size()) {
                    first = b;
                }
            }
        }
        if (stem != null && firstMoved != null) {
            return firstMoved;
        }
        if (first != null) {
            return first;
        }
        Builder last = byAddress.get(key);
        // Only within its day, or while it waits: a recipient of another day takes an entry after midnight only as
        // the one still in the queue then (what MessageStore correlates across days relies on this).
        return last != null && !(last.closed && last.endsLeg(f)) && !last.endedWithoutEnqueue(f)
                && (last.waits(f) || f.time().toLocalDate().equals(last.lastDay)) ? last : null;
    }

    /** The queue file name of {@code f} without its attempt letters, the same while the MTA retries it; or null. */
    private static String stem(Fact f) {
        return f.queueFile() == null ? null : QueueFile.parse(f.queueFile()).stem();
    }

    /** The first of {@code candidates} still in {@code f}'s channel: not gone on from it, not delivered nor bounced. */
    private static Builder stillIn(Fact f, List<Builder> candidates) {
        if (candidates != null) {
            for (Builder b : candidates) {
                if (b.waits(f) && f.channel().equals(b.legChannel())) {
                    return b;
                }
            }
        }
        return null;
    }

    /**
     * Whether a recipient of entries grouped by enqueue, made of {@code facts} (in time order), still waits in the
     * queue at the start of {@code day}: enqueued before it, its leg not ended before it, within {@link #QUEUE_DAYS}.
     * Only such a recipient can take entries of {@code day}.
     */
    static boolean waitingAt(List<Fact> facts, LocalDate day) {
        Builder b = null;
        for (Fact f : facts) {
            if (!f.time().toLocalDate().isBefore(day)) {
                break;
            }
            if (b == null) {
                b = new Builder(f.recipient(), f.originalRecipient());
            }
            if (f.isEnqueue()) {
                b.enqueue(f);
            } else if (b.endsLeg(f)) {
                b.closed = true;
            }
        }
        return b != null && !b.closed && b.firstEnqueue != null
                && ChronoUnit.DAYS.between(b.firstEnqueue.time().toLocalDate(), day) <= QUEUE_DAYS;
    }

    /** A recipient being put together, facts in time order. */
    private static final class Builder {
        private String recipient;
        private final String originalRecipient;
        private Fact firstEnqueue;
        private Fact lastEnqueue;
        private final List<Fact> attempts = new ArrayList<>();
        // Grouping by enqueue only: whether an outcome ended its current leg (delivered or bounced there).
        private boolean closed;
        // ... and whether the relay channel its current leg came out of has logged its dequeue.
        private boolean hopDequeued;
        // The day of its latest fact.
        private LocalDate lastDay;
        // Grouping by enqueue with queue file names: the queue file its current leg is in (without the attempt
        // letters), and whether a Z moved it to a new one that no line of it has named yet.
        private String stem;
        private boolean movedOn;

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
            hopDequeued = false;
            recipient = f.recipient();
            stem = stem(f);
            movedOn = false;
        }

        /** An outcome of it, when entries are grouped by enqueue. */
        void outcome(Fact f) {
            if (endsLeg(f)) {
                closed = true;
            }
            if (!f.channel().equals(legChannel())) {
                return; // a relay channel's dequeue of the hop before
            }
            String s = stem(f);
            if (s != null && !s.equals(stem)) {
                stem = s;
                movedOn = false;
            }
            if (f.action() == 'Z') {
                movedOn = true;
            }
        }

        /**
         * Whether it can still take an outcome logged at {@code f}: enqueued, its leg not ended, and not longer in the
         * queue than the MTA keeps mail ({@link #QUEUE_DAYS}).
         */
        boolean waits(Fact f) {
            return !closed && firstEnqueue != null && ChronoUnit.DAYS.between(firstEnqueue.time().toLocalDate(),
                    f.time().toLocalDate()) <= QUEUE_DAYS;
        }

        String legChannel() {
            return lastEnqueue == null ? null : lastEnqueue.destination();
        }

        /** Whether {@code f} is a final outcome of this recipient's current leg. */
        /**
         * Whether it has no enqueue (the log starts after it, or its file is not loaded) and its last outcome was a D,
         * R or K on {@code f}'s channel, or it is a refusal (J): then {@code f} is another message's. Each outcome of a day's group without
         * enqueues went to one recipient, so a log starting mid-stream made two deliveries to one address one
         * recipient with two attempts, and a deferral after a delivery left it "deferred" (found by QA).
         */
        boolean endedWithoutEnqueue(Fact f) {
            if (firstEnqueue != null || attempts.isEmpty()) {
                return false;
            }
            Fact last = attempts.get(attempts.size() - 1);
            char a = last.action();
            // a refusal queued nothing: no outcome is its
            return a == 'J' || (a == 'D' || a == 'R' || a == 'K') && last.channel().equals(f.channel());
        }

        /** Whether its current leg was delivered or bounced on the channel it went to. */
        boolean legEnded() {
            for (int i = attempts.size() - 1; i >= 0; i--) {
                Fact a = attempts.get(i);
                if (a == lastEnqueue) {
                    return false;
                }
                if (endsLeg(a)) {
                    return true;
                }
            }
            return false;
        }

        boolean endsLeg(Fact f) {
            char a = f.action();
            return (a == 'D' || a == 'R' || a == 'K') && f.channel().equals(legChannel());
        }

        /** @param relayChannels the relay channels: their D before an enqueue out of them is a hand-off (see hops) */
        RecipientState build(Set<String> relayChannels) {
            int outcomes = 0;
            int deferrals = 0;
            String failureCategory = null;
            Fact last = null;
            String legChannel = lastEnqueue == null ? null : lastEnqueue.destination();
            List<Fact> all = new ArrayList<>(attempts.size() + 1);
            if (firstEnqueue != null) {
                all.add(firstEnqueue);
            }
            all.addAll(attempts);
            Set<Fact> handOffs = handOffs(all, relayChannels);
            for (Fact f : attempts) {
                if (f.isEnqueue()) {
                    continue;
                }
                if (!handOffs.contains(f)) {
                    outcomes++;
                }
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
            Set<Long> handOffKeys;
            if (handOffs.isEmpty()) {
                handOffKeys = Set.of();
            } else {
                handOffKeys = new HashSet<>(handOffs.size() * 2);
                for (Fact f : handOffs) {
                    handOffKeys.add(MessageStore.entryKey(f));
                }
            }
            return new RecipientState(recipient, originalRecipient, firstEnqueue, last, List.copyOf(others), status,
                    outcomes, deferrals, fin ? last.time() : null, failureCategory, handOffKeys);
        }
    }

    /**
     * Which of a recipient's facts ({@code facts}, in time order) are a relay channel's hand-off rather than a delivery
     * attempt (RelayHops): not counted among its attempts here, and counted apart from deliveries in the hourly counts
     * (Rollups), so that both follow the one rule. The facts themselves, by identity.
     */
    static Set<Fact> handOffs(List<Fact> facts, Set<String> relayChannels) {
        RelayHops hops = new RelayHops(relayChannels);
        for (Fact f : facts) {
            if (f.isEnqueue()) {
                hops.enqueuedOutOf(f.channel(), f.destination());
            }
        }
        Set<Fact> out = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Fact f : facts) {
            if (!f.isEnqueue() && hops.handOff(f.action(), f.channel()) != null) {
                out.add(f);
            }
        }
        return out;
    }
}
