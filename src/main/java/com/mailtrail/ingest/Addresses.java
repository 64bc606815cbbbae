package com.mailtrail.ingest;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which recipients of a large message hold a fact of each active address and of each relay leg (original address
 * and relay channel, see {@link Correlator#legs}), so that the recipients new facts concern are found without going
 * through all of them: a list message has thousands of recipients and a new version at every batch. Built once a
 * message has {@link #FROM} recipients, then handed on from one version of the message to the next and updated in
 * place, like its facts (StoredMessage).
 */
final class Addresses {

    /** Below this many recipients, going through them all costs less than keeping this up to date. */
    static final int FROM = 64;

    private final Correlator correlator;
    private final Map<String, Set<Long>> byActive = new HashMap<>();
    private final Map<Correlator.Leg, Set<Long>> byLeg = new HashMap<>();
    private final Map<Long, RecipientState> byId = new HashMap<>();

    private Addresses(Correlator correlator) {
        this.correlator = correlator;
    }

    static Addresses of(Correlator correlator, List<StoredMessage.StoredRecipient> recipients) {
        Addresses a = new Addresses(correlator);
        for (StoredMessage.StoredRecipient r : recipients) {
            a.add(r.id(), r.state());
        }
        return a;
    }

    void add(long id, RecipientState s) {
        byId.put(id, s);
        for (Fact f : s.facts()) {
            byActive.computeIfAbsent(f.recipient(), k -> new HashSet<>(2)).add(id);
            for (Correlator.Leg leg : correlator.legs(f)) {
                byLeg.computeIfAbsent(leg, k -> new HashSet<>(2)).add(id);
            }
        }
    }

    void remove(long id, RecipientState s) {
        byId.remove(id);
        for (Fact f : s.facts()) {
            removeFrom(byActive, f.recipient(), id);
            for (Correlator.Leg leg : correlator.legs(f)) {
                removeFrom(byLeg, leg, id);
            }
        }
    }

    private static <K> void removeFrom(Map<K, Set<Long>> index, K key, long id) {
        Set<Long> ids = index.get(key);
        if (ids != null && ids.remove(id) && ids.isEmpty()) {
            index.remove(key);
        }
    }

    /**
     * The ids of the recipients with a fact of the same active address or relay leg as one of {@code facts}, and, in
     * turn, of those sharing one with a fact of one of them: all that correlation can tie the facts to.
     */
    Set<Long> concerned(List<Fact> facts) {
        Set<Long> ids = new HashSet<>();
        Set<String> actives = new HashSet<>();
        Set<Correlator.Leg> legs = new HashSet<>();
        ArrayDeque<Fact> todo = new ArrayDeque<>(facts);
        while (!todo.isEmpty()) {
            Fact f = todo.pop();
            if (actives.add(f.recipient())) {
                join(byActive.get(f.recipient()), ids, todo);
            }
            for (Correlator.Leg leg : correlator.legs(f)) {
                if (legs.add(leg)) {
                    join(byLeg.get(leg), ids, todo);
                }
            }
        }
        return ids;
    }

    private void join(Set<Long> holders, Set<Long> ids, ArrayDeque<Fact> todo) {
        if (holders == null) {
            return;
        }
        for (long id : holders) {
            if (ids.add(id)) {
                todo.addAll(byId.get(id).facts());
            }
        }
    }
}
