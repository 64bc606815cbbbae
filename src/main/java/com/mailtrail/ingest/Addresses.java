package com.mailtrail.ingest;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which recipients of a large message hold a fact of each original and of each active address, so that the
 * recipients new facts concern are found without going through all of them: a list message has thousands of
 * recipients and a new version at every batch. Built once a message has {@link #FROM} recipients, then handed on
 * from one version of the message to the next and updated in place, like its facts (StoredMessage).
 */
final class Addresses {

    /** Below this many recipients, going through them all costs less than keeping this up to date. */
    static final int FROM = 64;

    private final Map<String, Set<Long>> byOriginal = new HashMap<>();
    private final Map<String, Set<Long>> byActive = new HashMap<>();
    private final Map<Long, RecipientState> byId = new HashMap<>();

    static Addresses of(List<StoredMessage.StoredRecipient> recipients) {
        Addresses a = new Addresses();
        for (StoredMessage.StoredRecipient r : recipients) {
            a.add(r.id(), r.state());
        }
        return a;
    }

    void add(long id, RecipientState s) {
        byId.put(id, s);
        for (Fact f : s.facts()) {
            byOriginal.computeIfAbsent(f.originalRecipient(), k -> new HashSet<>(2)).add(id);
            byActive.computeIfAbsent(f.recipient(), k -> new HashSet<>(2)).add(id);
        }
    }

    void remove(long id, RecipientState s) {
        byId.remove(id);
        for (Fact f : s.facts()) {
            removeFrom(byOriginal, f.originalRecipient(), id);
            removeFrom(byActive, f.recipient(), id);
        }
    }

    private static void removeFrom(Map<String, Set<Long>> index, String address, long id) {
        Set<Long> ids = index.get(address);
        if (ids != null && ids.remove(id) && ids.isEmpty()) {
            index.remove(address);
        }
    }

    /**
     * The ids of the recipients with a fact of the same original or active address as one of {@code facts}, and, in
     * turn, of those sharing an address with a fact of one of them.
     */
    Set<Long> concerned(List<Fact> facts) {
        Set<Long> ids = new HashSet<>();
        Set<String> originals = new HashSet<>();
        Set<String> actives = new HashSet<>();
        ArrayDeque<Fact> todo = new ArrayDeque<>(facts);
        while (!todo.isEmpty()) {
            Fact f = todo.pop();
            if (originals.add(f.originalRecipient())) {
                join(byOriginal.get(f.originalRecipient()), ids, todo);
            }
            if (actives.add(f.recipient())) {
                join(byActive.get(f.recipient()), ids, todo);
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
