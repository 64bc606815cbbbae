package com.mailtrail.ingest;

import com.mailtrail.parse.ClientSystem;
import com.mailtrail.parse.Outcomes;
import com.mailtrail.store.SearchBuckets;
import com.mailtrail.store.SearchKeys;
import com.mailtrail.store.SqlTimes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Messages, recipients and attempts on the write path. For each message touched by a batch it recomputes the
 * recipients that the new facts concern from their facts (stored and new), compares with what is stored, and writes
 * only the difference as JDBC batches. Recently touched messages stay in memory, so a message whose entries span
 * batches is not read back; a Bloom filter of stored message keys saves the look-up for messages never seen before.
 */
final class MessageStore {

    // Enough for messages whose entries span a few batches; a larger cache mostly adds to the live heap and GC
    // work (1M entries on H2 under -Xmx512m: 15k messages 30.7 s and 6.0 s of GC pauses, 50k 33.4 s and 8.0 s).
    private static final int CACHE = 15_000;
    private static final int IN_LIST = 512;

    private final Correlator correlator;
    private final KeyFilter stored;
    private final Map<String, StoredMessage> cache;
    // The remote systems (host, address) known to be in remote_system, so that a batch adds only the few it brings
    // first (V21); forgotten with the cache, after a rollback, as what it says may not have been committed.
    private final Set<List<String>> remotes = new HashSet<>();
    private static final int REMOTES = 100_000;
    // The same for the clients of the enqueues in client_system (V22), bounded alike.
    private final Set<ClientSystem> clients = new HashSet<>();
    // In the cache for a message deleted by a batch: its row may still be in the database while that batch is not
    // committed, and must not be read back.
    private static final StoredMessage GONE = new StoredMessage(-1, null, Status.QUEUED, List.of(), Map.of(), null);

    /**
     * @param batchEntries the most messages one batch can touch. The cache keeps at least twice as many: the batch
     *                     being written is not committed yet while the next one is correlated, so its messages must
     *                     still be in memory then (the database would not show them).
     */
    MessageStore(Correlator correlator, KeyFilter stored, int batchEntries) {
        this.correlator = correlator;
        this.stored = stored;
        int capacity = Math.max(CACHE, 2 * batchEntries);
        this.cache = new LinkedHashMap<>(1 << 16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, StoredMessage> eldest) {
                return size() > capacity;
            }
        };
    }

    /** New facts of one message within a batch. */
    static final class Pending {
        MessageInfo info;
        final List<Fact> facts = new ArrayList<>();
    }

    /** Forgets cached state: after a rollback the database, not memory, is the truth. */
    void invalidate() {
        cache.clear();
        remotes.clear();
        clients.clear();
    }

    /**
     * Correlates the pending messages of a batch with their stored state (read on {@code c}, or taken from the cache)
     * and lays out the rows that bring the database up to date; {@link Plan#execute} stores them. This runs while the
     * writer still stores the previous batch: the messages of that batch are in the cache, so nothing read here can
     * be older than what memory already holds.
     */
    Plan prepare(Connection c, boolean copy, Ids ids, Map<String, Pending> pending, Rollups rollups,
                 Map<Long, Long> committedLines) throws SQLException {
        Map<String, Map<LocalDate, Pending>> byDay = null;
        for (String key : pending.keySet()) {
            if (FileIngest.groupedByRecipient(key)) {
                byDay = new LinkedHashMap<>();
                break;
            }
        }
        Plan w = new Plan(copy);
        Map<String, Pending> byKey = pending;
        Map<String, StoredMessage> old;
        if (byDay == null) {
            old = load(c, byKey.keySet());
        } else {
            byKey = new LinkedHashMap<>();
            Map<String, Pending> grouped = new LinkedHashMap<>();
            for (Map.Entry<String, Pending> e : pending.entrySet()) {
                (FileIngest.groupedByRecipient(e.getKey()) ? grouped : byKey).put(e.getKey(), e.getValue());
            }
            // A refusal (J) is a recipient of its own that nothing waits on or joins, so a day's group that holds
            // refusals only (those of a log with Message-IDs: a J logs none) needs nothing of the days around it and
            // is stored as a message by key. In a fresh import of 1M entries with 11,000 refusals the day path cost
            // about 2 s of compiling for nothing.
            Set<String> refusals = new HashSet<>();
            for (Map.Entry<String, Pending> e : grouped.entrySet()) {
                if (refusalsOnly(e.getValue().facts)) {
                    refusals.add(e.getKey());
                }
            }
            Set<String> keys = new HashSet<>(byKey.keySet());
            keys.addAll(refusals);
            old = load(c, keys);
            for (Map.Entry<String, Pending> e : grouped.entrySet()) {
                String key = e.getKey();
                StoredMessage stored = old.get(key);
                if (refusals.contains(key) && (stored == null || refusalsOnly(stored.facts().values()))) {
                    byKey.put(key, e.getValue());
                } else {
                    int cut = key.lastIndexOf(' ');
                    byDay.computeIfAbsent(key.substring(0, cut), k -> new TreeMap<>())
                            .put(LocalDate.parse(key.substring(cut + 1)), e.getValue());
                }
            }
        }
        for (Map.Entry<String, Pending> e : byKey.entrySet()) {
            StoredMessage updated = apply(c, ids, w, old.get(e.getKey()), e.getValue(), rollups, committedLines);
            cache.put(e.getKey(), updated);
            stored.add(e.getKey());
        }
        if (byDay != null) {
            applyByDay(c, ids, w, byDay, rollups, committedLines);
        }
        w.remotes.removeAll(remotes);
        if (remotes.size() + w.remotes.size() > REMOTES) {
            remotes.clear(); // a bound on the heap; the pairs are then looked for in the table again
        }
        remotes.addAll(w.remotes);
        w.clients.removeAll(clients);
        if (clients.size() + w.clients.size() > REMOTES) {
            clients.clear();
        }
        clients.addAll(w.clients);
        return w;
    }

    private static boolean refusalsOnly(Collection<Fact> facts) {
        for (Fact f : facts) {
            if (f.action() != 'J') {
                return false;
            }
        }
        return true;
    }

    private StoredMessage apply(Connection c, Ids ids, Plan w, StoredMessage old, Pending p, Rollups rollups,
                                Map<Long, Long> committedLines) throws SQLException {
        Map<Long, Fact> facts = old == null ? new HashMap<>() : old.facts();
        List<Fact> ahead = committedLines.isEmpty() ? List.of() : storedAhead(facts, committedLines);
        Set<Long> addedKeys = new HashSet<>();
        List<Fact> added = new ArrayList<>();
        for (Fact f : p.facts) {
            long key = entryKey(f);
            if (!facts.containsKey(key) && addedKeys.add(key) && !broughtAhead(f, ahead)) {
                added.add(f);
            }
        }
        MessageInfo oldInfo = old == null ? null : old.info();
        MessageInfo info = old == null ? p.info : oldInfo.merge(p.info);
        if (added.isEmpty() && old != null && info.equals(old.info())) {
            return old;
        }
        // Only the stored recipients the new facts can change are correlated again, with those facts: a list
        // message is recomputed at every batch that brings more of its lines, and correlating all of it each time
        // made a message to 100,000 members take 43 s. Correlation joins facts only through their active addresses
        // and relay legs (see Correlator.legs), so recipients that share none with the new facts, directly or through
        // one another, come out as they were.
        long messageId = old == null ? ids.next(c) : old.id();
        List<StoredMessage.StoredRecipient> stored = old == null ? List.of() : old.recipients();
        Addresses addresses = old == null ? null : old.addresses();
        boolean[] affected = affected(stored, added, addresses);
        List<StoredMessage.StoredRecipient> kept = new ArrayList<>();
        List<StoredMessage.StoredRecipient> oldRecipients = new ArrayList<>();
        List<Fact> correlated = new ArrayList<>(added);
        for (int i = 0; i < stored.size(); i++) {
            if (affected[i]) {
                oldRecipients.add(stored.get(i));
                for (Fact f : stored.get(i).state().facts()) {
                    correlated.add(facts.get(entryKey(f))); // as stored: with its attempt row's id
                }
            } else {
                kept.add(stored.get(i));
            }
        }
        List<RecipientState> states = correlator.recipients(correlated, FileIngest.groupedByRecipient(info.key()));

        // Give each recipient the row of the first stored recipient it shares a fact with. Stored recipients are
        // found through an index of their facts, not by comparing every pair: a list message has thousands of
        // recipients (ListMessageBenchmark, 20,000 members: 32.6 s).
        Map<Long, Integer> storedByFact = storedByFact(oldRecipients);
        boolean[] used = new boolean[oldRecipients.size()];
        List<StoredMessage.StoredRecipient> recipients = new ArrayList<>(kept.size() + states.size());
        recipients.addAll(kept);
        List<StoredMessage.StoredRecipient> recomputed = new ArrayList<>(states.size());
        for (RecipientState s : states) {
            int first = firstSharing(s, storedByFact, used);
            StoredMessage.StoredRecipient match = first < 0 ? null : oldRecipients.get(first);
            if (match == null) {
                recomputed.add(new StoredMessage.StoredRecipient(ids.next(c), s));
                w.insertRecipient(messageId, recomputed.get(recomputed.size() - 1));
                rollups.recipient(null, s, info);
            } else {
                used[first] = true;
                recomputed.add(new StoredMessage.StoredRecipient(match.id(), s));
                if (!sameRow(match.state(), s)) {
                    w.updateRecipient(match.id(), s);
                }
                rollups.recipient(match.state(), oldInfo, s, info);
            }
        }
        recipients.addAll(recomputed);
        for (int i = 0; i < oldRecipients.size(); i++) {
            if (!used[i]) {
                w.deleteRecipient(oldRecipients.get(i).id());
                rollups.recipient(oldRecipients.get(i).state(), oldInfo, null, null);
            }
        }
        if (old != null && !oldInfo.firstSeen().equals(info.firstSeen())) {
            // an earlier line of the message came after the rest (yesterday's file loaded after today's): a recipient
            // counted in the hour of its message's first line (neither final nor enqueued) moves with it
            for (StoredMessage.StoredRecipient k : kept) {
                rollups.recipient(k.state(), oldInfo, k.state(), info);
            }
        }

        // Attempt rows: every fact but a recipient's first enqueue and last outcome (kept in the recipient's own
        // row) has one, pointing at its recipient.
        Map<Long, Long> recipientOf = new HashMap<>();
        Set<Long> inRecipientRow = new HashSet<>();
        for (StoredMessage.StoredRecipient r : recomputed) {
            inRecipientRow(r.state(), inRecipientRow);
            for (Fact f : r.state().attempts()) {
                recipientOf.put(entryKey(f), r.id());
            }
        }
        Map<Long, Long> oldRecipientOf = new HashMap<>();
        for (StoredMessage.StoredRecipient r : oldRecipients) {
            for (Fact f : r.state().attempts()) {
                oldRecipientOf.put(entryKey(f), r.id());
            }
        }
        Set<Long> handOffs = handOffs(recomputed);
        Set<Long> storedHandOffs = handOffs(oldRecipients);
        for (Fact f : correlated) {
            long key = entryKey(f);
            facts.put(key, placeAttempt(c, ids, w, f, inRecipientRow.contains(key), recipientOf.get(key), messageId,
                    oldRecipientOf.get(key), messageId, handOffs.contains(key), storedHandOffs.contains(key)));
        }
        for (Fact f : added) {
            rollups.fact(f, deliveredDomain(f));
        }
        Status status = messageRow(w, messageId, info, recipients, old);
        if (addresses != null) {
            for (StoredMessage.StoredRecipient o : oldRecipients) {
                addresses.remove(o.id(), o.state());
            }
            for (StoredMessage.StoredRecipient r : recomputed) {
                addresses.add(r.id(), r.state());
            }
        } else if (recipients.size() >= Addresses.FROM) {
            addresses = Addresses.of(correlator, recipients);
        }
        return new StoredMessage(messageId, info, status, List.copyOf(recipients), facts, addresses);
    }

    /**
     * The message row of these recipients: inserted when there was none ({@code old} null), updated when what it says
     * changed. Returns the message's status, its most alarming recipient's.
     */
    private static Status messageRow(Plan w, long id, MessageInfo info, List<StoredMessage.StoredRecipient> recipients,
                                     StoredMessage old) throws SQLException {
        List<RecipientState> states = new ArrayList<>(recipients.size());
        for (StoredMessage.StoredRecipient r : recipients) {
            states.add(r.state());
        }
        Status status = StoredMessage.summary(states);
        if (old == null) {
            w.insertMessage(id, info, status, recipients.size());
        } else if (!info.equals(old.info()) || status != old.status() || recipients.size() != old.recipients().size()) {
            w.updateMessage(id, info, status, recipients.size());
        }
        return status;
    }

    /** The entry keys of the recipients' hand-offs (RecipientState.handOffs); nearly always none. */
    private static Set<Long> handOffs(List<StoredMessage.StoredRecipient> recipients) {
        Set<Long> out = null;
        for (StoredMessage.StoredRecipient r : recipients) {
            if (!r.state().handOffs().isEmpty()) {
                out = out == null ? new HashSet<>() : out;
                out.addAll(r.state().handOffs());
            }
        }
        return out == null ? Set.of() : out;
    }

    /** Adds the entries a recipient's own row holds (its first enqueue, its last outcome): they have no attempt row. */
    private static void inRecipientRow(RecipientState r, Set<Long> keys) {
        if (r.firstEnqueue() != null) {
            keys.add(entryKey(r.firstEnqueue()));
        }
        if (r.lastOutcome() != null) {
            keys.add(entryKey(r.lastOutcome()));
        }
    }

    /**
     * The attempt row of a fact once its message is correlated again: none while its recipient's row holds it (the
     * first enqueue, the last outcome), inserted when new, moved when it now belongs to another recipient or, grouped
     * by day, to another day's message; its hand-off flag changed when a later file changed what it is. The fact is
     * returned with the id of its attempt row, 0 for none.
     *
     * @param recipient  the recipient row it now belongs to, or null if none takes it
     * @param oldMessage the message row its attempt row was in, or null
     * @param handOff    whether it is a relay channel's hand-off now (RecipientState.handOffs)
     * @param wasHandOff whether its stored row says so
     */
    private static Fact placeAttempt(Connection c, Ids ids, Plan w, Fact f, boolean inRecipientRow, Long recipient,
                                     long message, Long oldRecipient, Long oldMessage, boolean handOff,
                                     boolean wasHandOff) throws SQLException {
        if (inRecipientRow) {
            if (f.attemptId() != 0) {
                w.deleteAttempt(f.attemptId());
                return f.withAttemptId(0);
            }
            return f;
        }
        if (recipient == null) {
            return f;
        }
        if (f.attemptId() == 0) {
            f = f.withAttemptId(ids.next(c));
            w.insertAttempt(f, recipient, message, handOff);
            return f;
        }
        if (handOff != wasHandOff) {
            w.handOff(f.attemptId(), handOff);
        }
        if (!Long.valueOf(message).equals(oldMessage)) {
            w.moveAttempt(f.attemptId(), recipient, message);
        } else if (!recipient.equals(oldRecipient)) {
            w.moveAttempt(f.attemptId(), recipient);
        }
        return f;
    }

    // ---- entries grouped by sender, original recipient and day (neither Message-IDs nor queue files) ----

    /**
     * Such a group is one day's, so that a year of mail from one sender to one address is not recomputed whole at
     * every batch that brings more of it; but mail waiting at midnight goes on after it, in the next days' groups.
     * So a group of day D is correlated together with the recipients of the days before it still waiting at D's
     * start (their entries before D as they are: correlation goes forward in time, so those cannot change) and with
     * the groups of the days after it, as far as D's change reaches: until a midnight at which the same recipients
     * wait as before, with the same entries, so that everything after it comes out as it was. Each recipient is
     * stored in the message of the day it begins on, its attempts after midnight with it; a day's message left
     * without recipients (entries after midnight that a day loaded later explains) is deleted. The result is what
     * correlating all the pair's entries at once gives, whatever order the days arrive in.
     */
    private void applyByDay(Connection c, Ids ids, Plan w, Map<String, Map<LocalDate, Pending>> groups,
                            Rollups rollups, Map<Long, Long> committedLines) throws SQLException {
        Set<String> checked = new LinkedHashSet<>();
        for (Map.Entry<String, Map<LocalDate, Pending>> g : groups.entrySet()) {
            for (LocalDate day : g.getValue().keySet()) {
                for (int i = -Correlator.QUEUE_DAYS; i <= Correlator.QUEUE_DAYS; i++) {
                    checked.add(dayKey(g.getKey(), day.plusDays(i)));
                }
            }
        }
        Map<String, StoredMessage> found = load(c, checked); // one look-up for the whole batch
        for (Map.Entry<String, Map<LocalDate, Pending>> g : groups.entrySet()) {
            applyGroup(c, ids, w, g.getKey(), (TreeMap<LocalDate, Pending>) g.getValue(), checked, found, rollups,
                    committedLines);
        }
    }

    private static String dayKey(String pair, LocalDate day) {
        return pair + " " + day;
    }

    private void applyGroup(Connection c, Ids ids, Plan w, String pair, TreeMap<LocalDate, Pending> pending,
                            Set<String> checked, Map<String, StoredMessage> found, Rollups rollups,
                            Map<Long, Long> committedLines) throws SQLException {
        TreeMap<LocalDate, StoredMessage> days = new TreeMap<>();
        dayMessages(c, pair, pending.firstKey().minusDays(Correlator.QUEUE_DAYS),
                pending.lastKey().plusDays(Correlator.QUEUE_DAYS), days, checked, found);
        // An entry of day D is in D's message or in a recipient of the days before it still waiting at D's start.
        Map<Long, Fact> known = new HashMap<>();
        for (StoredMessage m : days.values()) {
            known.putAll(m.facts());
        }
        List<Fact> ahead = committedLines.isEmpty() ? List.of() : storedAhead(known, committedLines);
        Set<Long> addedKeys = new HashSet<>();
        List<Fact> added = new ArrayList<>();
        for (Pending p : pending.values()) {
            for (Fact f : p.facts) {
                long key = entryKey(f);
                if (!known.containsKey(key) && addedKeys.add(key) && !broughtAhead(f, ahead)) {
                    added.add(f);
                }
            }
        }
        if (added.isEmpty()) {
            return;
        }
        LocalDate first = null;
        LocalDate end = null;
        for (Fact f : added) {
            LocalDate d = f.time().toLocalDate();
            first = first == null || d.isBefore(first) ? d : first;
            end = end == null || d.isAfter(end) ? d : end;
        }
        Map<Long, LocalDate> dayOf = new HashMap<>(); // recipient row id -> the day of its message
        List<StoredMessage.StoredRecipient> seeds = new ArrayList<>();
        for (Map.Entry<LocalDate, StoredMessage> e : days.subMap(first.minusDays(Correlator.QUEUE_DAYS), true,
                first, false).entrySet()) {
            for (StoredMessage.StoredRecipient r : e.getValue().recipients()) {
                List<Fact> facts = r.state().facts();
                if (Correlator.waitingAt(facts, first) || !lastDay(facts).isBefore(first)) {
                    seeds.add(r);
                    dayOf.put(r.id(), e.getKey());
                }
            }
        }
        List<StoredMessage.StoredRecipient> window;
        List<RecipientState> states;
        while (true) {
            // Every day that a recipient of the window has an entry on is in the window.
            while (true) {
                LocalDate reach = end;
                for (StoredMessage.StoredRecipient r : seeds) {
                    reach = max(reach, lastDay(r.state().facts()));
                }
                for (StoredMessage m : days.subMap(first, true, end, true).values()) {
                    for (StoredMessage.StoredRecipient r : m.recipients()) {
                        reach = max(reach, lastDay(r.state().facts()));
                    }
                }
                if (reach.equals(end)) {
                    break;
                }
                dayMessages(c, pair, end.plusDays(1), reach, days, checked, found);
                end = reach;
            }
            for (StoredMessage m : days.subMap(first, true, end, true).values()) {
                known.putAll(m.facts()); // days the window reached since
            }
            window = new ArrayList<>(seeds);
            for (Map.Entry<LocalDate, StoredMessage> e : days.subMap(first, true, end, true).entrySet()) {
                for (StoredMessage.StoredRecipient r : e.getValue().recipients()) {
                    window.add(r);
                    dayOf.put(r.id(), e.getKey());
                }
            }
            // Of the window, only the recipients the added entries can change are correlated again, as in apply: a
            // list expansion is one group (its members share sender, original recipient and day), and correlating
            // the whole day at every batch made 50,000 members take a minute. The others come out as they were.
            boolean[] affected = affected(window, added, null);
            List<StoredMessage.StoredRecipient> concerned = new ArrayList<>();
            for (int i = 0; i < window.size(); i++) {
                if (affected[i]) {
                    concerned.add(window.get(i));
                }
            }
            window = concerned;
            List<Fact> pool = new ArrayList<>(added);
            List<List<Fact>> prefixes = new ArrayList<>();
            for (StoredMessage.StoredRecipient r : window) {
                List<Fact> prefix = new ArrayList<>();
                for (Fact f : r.state().facts()) {
                    f = known.get(entryKey(f)); // as stored: with its attempt row's id
                    (f.time().toLocalDate().isBefore(first) ? prefix : pool).add(f);
                }
                if (!prefix.isEmpty()) {
                    prefixes.add(prefix);
                }
            }
            states = correlator.recipients(pool, true, prefixes);
            dayMessages(c, pair, end.plusDays(1), end.plusDays(Correlator.QUEUE_DAYS), days, checked, found);
            LocalDate next = days.higherKey(end);
            if (next == null || next.isAfter(end.plusDays(Correlator.QUEUE_DAYS))) {
                break; // what waits at the end of the window is out of the queue before the next day with entries
            }
            LocalDate midnight = end.plusDays(1);
            List<RecipientState> before = new ArrayList<>(window.size());
            for (StoredMessage.StoredRecipient r : window) {
                before.add(r.state());
            }
            if (waitingAt(states, midnight).equals(waitingAt(before, midnight))) {
                break;
            }
            end = next;
        }
        store(c, ids, w, pair, days, window, dayOf, states, added, known, rollups, found);
    }

    /** Writes a window's recomputed recipients into the messages of the days they begin on. */
    private void store(Connection c, Ids ids, Plan w, String pair, TreeMap<LocalDate, StoredMessage> days,
                       List<StoredMessage.StoredRecipient> window, Map<Long, LocalDate> dayOf,
                       List<RecipientState> states, List<Fact> added, Map<Long, Fact> known, Rollups rollups,
                       Map<String, StoredMessage> found) throws SQLException {
        // Each recipient keeps the row of the first stored recipient of its day that it shares an entry with.
        Map<Long, Integer> byFact = storedByFact(window);
        boolean[] used = new boolean[window.size()];
        Map<LocalDate, List<StoredMessage.StoredRecipient>> recomputed = new TreeMap<>();
        Map<Long, StoredMessage.StoredRecipient> matchOf = new HashMap<>(); // new row id -> stored row it continues
        for (RecipientState s : states) {
            LocalDate day = s.facts().get(0).time().toLocalDate();
            int match = Integer.MAX_VALUE;
            for (Fact f : s.facts()) {
                Integer i = byFact.get(entryKey(f));
                if (i != null && !used[i] && i < match && day.equals(dayOf.get(window.get(i).id()))) {
                    match = i;
                }
            }
            long id;
            if (match == Integer.MAX_VALUE) {
                id = ids.next(c);
            } else {
                used[match] = true;
                id = window.get(match).id();
                matchOf.put(id, window.get(match));
            }
            recomputed.computeIfAbsent(day, k -> new ArrayList<>()).add(new StoredMessage.StoredRecipient(id, s));
        }
        Set<LocalDate> touched = new TreeSet<>(recomputed.keySet());
        for (StoredMessage.StoredRecipient r : window) {
            touched.add(dayOf.get(r.id()));
        }
        Map<LocalDate, Long> messageIds = new HashMap<>();
        for (LocalDate day : touched) {
            StoredMessage m = days.get(day);
            messageIds.put(day, m != null ? m.id() : recomputed.containsKey(day) ? ids.next(c) : -1);
        }

        // Attempt rows, as in apply; one that changes day changes message too.
        Map<Long, Long> recipientOf = new HashMap<>();
        Map<Long, Long> messageOf = new HashMap<>();
        Set<Long> inRecipientRow = new HashSet<>();
        for (Map.Entry<LocalDate, List<StoredMessage.StoredRecipient>> e : recomputed.entrySet()) {
            for (StoredMessage.StoredRecipient r : e.getValue()) {
                inRecipientRow(r.state(), inRecipientRow);
                for (Fact f : r.state().attempts()) {
                    recipientOf.put(entryKey(f), r.id());
                    messageOf.put(entryKey(f), messageIds.get(e.getKey()));
                }
            }
        }
        Map<Long, Long> oldRecipientOf = new HashMap<>();
        Map<Long, Long> oldMessageOf = new HashMap<>();
        List<Fact> all = new ArrayList<>(added);
        for (StoredMessage.StoredRecipient r : window) {
            for (Fact f : r.state().attempts()) {
                oldRecipientOf.put(entryKey(f), r.id());
                oldMessageOf.put(entryKey(f), messageIds.get(dayOf.get(r.id())));
            }
            for (Fact f : r.state().facts()) {
                all.add(known.get(entryKey(f)));
            }
        }
        Set<Long> handOffs = new HashSet<>();
        for (List<StoredMessage.StoredRecipient> day : recomputed.values()) {
            handOffs.addAll(handOffs(day));
        }
        Set<Long> storedHandOffs = handOffs(window);
        Map<Long, Fact> updated = new HashMap<>();
        for (Fact f : all) {
            long key = entryKey(f);
            Long recipient = recipientOf.get(key);
            updated.put(key, placeAttempt(c, ids, w, f, inRecipientRow.contains(key), recipient,
                    recipient == null ? 0 : messageOf.get(key), oldRecipientOf.get(key), oldMessageOf.get(key),
                    handOffs.contains(key), storedHandOffs.contains(key)));
        }
        for (Fact f : added) {
            rollups.fact(f, deliveredDomain(f));
        }

        // The messages of the days touched: recipients, message-level facts and rows.
        Set<Long> inWindow = new HashSet<>();
        for (StoredMessage.StoredRecipient r : window) {
            inWindow.add(r.id());
        }
        for (LocalDate day : touched) {
            String key = dayKey(pair, day);
            StoredMessage m = days.get(day);
            List<StoredMessage.StoredRecipient> recipients = new ArrayList<>();
            // The day's facts are updated in place, as apply does, not gathered again from all its recipients: a
            // list expansion is one day's message with 100,000 facts and a new version at every batch.
            Map<Long, Fact> facts = m == null ? new HashMap<>() : m.facts();
            Set<Long> removed = new HashSet<>();
            if (m != null) {
                for (StoredMessage.StoredRecipient r : m.recipients()) {
                    if (inWindow.contains(r.id())) {
                        for (Fact f : r.state().facts()) {
                            long k = entryKey(f);
                            facts.remove(k);
                            removed.add(k);
                        }
                    } else {
                        recipients.add(r);
                    }
                }
            }
            List<StoredMessage.StoredRecipient> fresh = recomputed.getOrDefault(day, List.of());
            List<Fact> freshFacts = new ArrayList<>();
            for (StoredMessage.StoredRecipient r : fresh) {
                recipients.add(r);
                for (Fact f : r.state().facts()) {
                    long k = entryKey(f);
                    facts.put(k, updated.get(k));
                    freshFacts.add(updated.get(k));
                    removed.remove(k);
                }
            }
            long messageId = messageIds.get(day);
            if (recipients.isEmpty()) {
                if (m != null) {
                    for (StoredMessage.StoredRecipient r : m.recipients()) {
                        w.deleteRecipient(r.id());
                        rollups.recipient(r.state(), m.info(), null, null);
                    }
                    w.deleteMessage(messageId);
                    cache.put(key, GONE);
                    found.remove(key);
                }
                days.remove(day);
                continue;
            }
            // When no entry left the day, its message-level facts only take in the fresh recipients' entries.
            MessageInfo info = m != null && removed.isEmpty()
                    ? dayInfo(key, m.info(), freshFacts, m.info())
                    : dayInfo(key, m == null ? null : m.info(), facts.values(), null);
            Set<Long> kept = new HashSet<>();
            for (StoredMessage.StoredRecipient r : fresh) {
                StoredMessage.StoredRecipient was = matchOf.get(r.id());
                if (was == null) {
                    w.insertRecipient(messageId, r);
                    rollups.recipient(null, null, r.state(), info);
                } else {
                    kept.add(was.id());
                    if (!sameRow(was.state(), r.state())) {
                        w.updateRecipient(r.id(), r.state());
                    }
                    rollups.recipient(was.state(), m.info(), r.state(), info);
                }
            }
            if (m != null) {
                for (StoredMessage.StoredRecipient r : m.recipients()) {
                    if (inWindow.contains(r.id()) && !kept.contains(r.id())) {
                        w.deleteRecipient(r.id());
                        rollups.recipient(r.state(), m.info(), null, null);
                    }
                }
            }
            Status status = messageRow(w, messageId, info, recipients, m);
            if (m == null) {
                stored.add(key);
            }
            // No address index: the recipients a day's new entries concern are found across the days of its window.
            StoredMessage now = new StoredMessage(messageId, info, status, List.copyOf(recipients), facts, null);
            days.put(day, now);
            found.put(key, now);
            cache.put(key, now);
        }
    }

    /** The stored messages of {@code pair} from {@code from} to {@code to}, into {@code days}; looked up once. */
    private void dayMessages(Connection c, String pair, LocalDate from, LocalDate to,
                             TreeMap<LocalDate, StoredMessage> days, Set<String> checked,
                             Map<String, StoredMessage> found) throws SQLException {
        List<String> keys = new ArrayList<>();
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            if (checked.add(dayKey(pair, d))) {
                keys.add(dayKey(pair, d));
            }
        }
        if (!keys.isEmpty()) {
            found.putAll(load(c, keys));
        }
        for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
            StoredMessage m = found.get(dayKey(pair, d));
            if (m != null) {
                days.put(d, m);
            }
        }
    }

    /** The entries of each recipient still waiting in the queue at the start of {@code day}. */
    private static Set<Set<Long>> waitingAt(List<RecipientState> recipients, LocalDate day) {
        Set<Set<Long>> out = new HashSet<>();
        for (RecipientState r : recipients) {
            List<Fact> facts = r.facts();
            if (Correlator.waitingAt(facts, day)) {
                Set<Long> keys = new HashSet<>();
                for (Fact f : facts) {
                    if (f.time().toLocalDate().isBefore(day)) {
                        keys.add(entryKey(f));
                    }
                }
                out.add(keys);
            }
        }
        return out;
    }

    private static LocalDate lastDay(List<Fact> facts) {
        return facts.get(facts.size() - 1).time().toLocalDate();
    }

    private static LocalDate max(LocalDate a, LocalDate b) {
        return b.isAfter(a) ? b : a;
    }

    /**
     * A day's message-level facts from its entries, as FileIngest.info and MessageInfo.merge make them; with
     * {@code from}, those of its other entries (what {@code facts} add to).
     */
    private static MessageInfo dayInfo(String key, MessageInfo old, Collection<Fact> facts, MessageInfo from) {
        String sender = from == null ? null : from.sender();
        Long size = from == null ? null : from.size();
        LocalDateTime firstSeen = from == null ? null : from.firstSeen();
        LocalDateTime lastSeen = from == null ? null : from.lastSeen();
        for (Fact f : facts) {
            sender = sender == null || sender.isEmpty() ? f.sender() : sender;
            if ((f.action() == 'E' || f.action() == 'D') && (size == null || f.size() > size)) {
                size = f.size();
            }
            firstSeen = firstSeen == null || f.time().isBefore(firstSeen) ? f.time() : firstSeen;
            lastSeen = lastSeen == null || f.time().isAfter(lastSeen) ? f.time() : lastSeen;
        }
        return new MessageInfo(key, old == null ? null : old.messageId(), old == null || old.approximate(),
                old == null ? null : old.originalMessageId(), sender, size, firstSeen, lastSeen);
    }

    /**
     * The facts of a message that another file brought ahead of its committed read position: a batch takes along
     * its messages' facts from the next batch (see FileIngest), and when that next batch is never stored (its commit
     * failed, the read stopped, the server was stopped during an upload) their lines are not in that file's stored
     * text, so loading the file again does not find them there.
     */
    private static List<Fact> storedAhead(Map<Long, Fact> facts, Map<Long, Long> committedLines) {
        List<Fact> ahead = null;
        for (Fact f : facts.values()) {
            Long lines = committedLines.get(f.fileId());
            if (lines != null && f.line() > lines) {
                if (ahead == null) {
                    ahead = new ArrayList<>();
                }
                ahead.add(f);
            }
        }
        return ahead == null ? List.of() : ahead;
    }

    /** Whether {@code f} is the event of a fact another file brought ahead: the same line, read from another file. */
    private static boolean broughtAhead(Fact f, List<Fact> ahead) {
        for (Fact a : ahead) {
            if (a.fileId() != f.fileId() && a.sameEvent(f)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Which stored recipients the added facts can change: those with a fact of the same active address or relay leg
     * as an added fact (see {@link Correlator#legs}: correlation ties facts through nothing else, not through the
     * original address alone, which every member of a list expansion shares), and, in turn, those sharing one with a
     * fact of one of them. A large message keeps its addresses indexed ({@code addresses}); for the others, going
     * through the stored recipients until no more join costs less than an index built at each recomputation.
     */
    private boolean[] affected(List<StoredMessage.StoredRecipient> stored, List<Fact> added, Addresses addresses) {
        boolean[] affected = new boolean[stored.size()];
        if (stored.isEmpty() || added.isEmpty()) {
            return affected;
        }
        if (addresses != null) { // a large message: its addresses are indexed
            Set<Long> ids = addresses.concerned(added);
            for (int i = 0; i < stored.size(); i++) {
                affected[i] = ids.contains(stored.get(i).id());
            }
            return affected;
        }
        Set<String> actives = new HashSet<>();
        Set<Correlator.Leg> legs = new HashSet<>();
        for (Fact f : added) {
            joined(f, actives, legs);
        }
        boolean joined = true;
        while (joined) {
            joined = false;
            for (int i = 0; i < stored.size(); i++) {
                if (!affected[i] && shares(stored.get(i).state(), actives, legs)) {
                    affected[i] = true;
                    joined = true;
                    for (Fact f : stored.get(i).state().facts()) {
                        joined(f, actives, legs);
                    }
                }
            }
        }
        return affected;
    }

    private void joined(Fact f, Set<String> actives, Set<Correlator.Leg> legs) {
        actives.add(f.recipient());
        legs.addAll(correlator.legs(f));
    }

    private boolean shares(RecipientState r, Set<String> actives, Set<Correlator.Leg> legs) {
        if (shares(r.firstEnqueue(), actives, legs) || shares(r.lastOutcome(), actives, legs)) {
            return true;
        }
        for (Fact f : r.attempts()) {
            if (shares(f, actives, legs)) {
                return true;
            }
        }
        return false;
    }

    private boolean shares(Fact f, Set<String> actives, Set<Correlator.Leg> legs) {
        if (f == null) {
            return false;
        }
        if (actives.contains(f.recipient())) {
            return true;
        }
        if (!legs.isEmpty()) {
            for (Correlator.Leg leg : correlator.legs(f)) {
                if (legs.contains(leg)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The position of the stored recipient that holds each fact (a fact belongs to one recipient). */
    private static Map<Long, Integer> storedByFact(List<StoredMessage.StoredRecipient> stored) {
        Map<Long, Integer> byFact = new HashMap<>();
        for (int i = stored.size() - 1; i >= 0; i--) { // the first one wins, should a fact be held twice
            RecipientState o = stored.get(i).state();
            if (o.firstEnqueue() != null) {
                byFact.put(entryKey(o.firstEnqueue()), i);
            }
            if (o.lastOutcome() != null) {
                byFact.put(entryKey(o.lastOutcome()), i);
            }
            for (Fact f : o.attempts()) {
                byFact.put(entryKey(f), i);
            }
        }
        return byFact;
    }

    /**
     * The position of the first stored recipient not yet used that shares a fact with {@code s}, or -1. The last
     * outcome counts too: a recipient refused at enqueue (J) has no other fact, and without it every recomputation
     * of its message deleted and re-inserted its row (10,000 times for 1M generated entries).
     */
    private static int firstSharing(RecipientState s, Map<Long, Integer> storedByFact, boolean[] used) {
        int first = Math.min(unusedHolder(s.firstEnqueue(), storedByFact, used),
                unusedHolder(s.lastOutcome(), storedByFact, used));
        for (Fact f : s.attempts()) {
            first = Math.min(first, unusedHolder(f, storedByFact, used));
        }
        return first == Integer.MAX_VALUE ? -1 : first;
    }

    private static int unusedHolder(Fact f, Map<Long, Integer> storedByFact, boolean[] used) {
        Integer i = f == null ? null : storedByFact.get(entryKey(f));
        return i == null || used[i] ? Integer.MAX_VALUE : i;
    }

    private static boolean sameRow(RecipientState a, RecipientState b) {
        return a.recipient().equals(b.recipient()) && a.status() == b.status() && a.outcomes() == b.outcomes()
                && a.deferrals() == b.deferrals() && sameEntry(a.firstEnqueue(), b.firstEnqueue())
                && sameEntry(a.lastOutcome(), b.lastOutcome())
                && java.util.Objects.equals(a.finalTime(), b.finalTime())
                && java.util.Objects.equals(a.failureCategory(), b.failureCategory())
                && (a.lastOutcome() == null || a.handedOn(a.lastOutcome()) == b.handedOn(b.lastOutcome()));
    }

    private static boolean sameEntry(Fact a, Fact b) {
        return a == null ? b == null : b != null && a.sameEntry(b);
    }

    /** (file, line) identifies a fact. */
    static long entryKey(Fact f) {
        return (f.fileId() << 40) ^ f.line();
    }

    static String domainOf(Fact f) {
        String address = f.originalRecipient().isEmpty() ? f.recipient() : f.originalRecipient();
        return domain(address);
    }

    /**
     * The domain an entry was delivered (or tried) to, as the Queue page and the search's deliveredTo take it: its
     * active address's where that is a mail domain (a list member's, an alias's in another domain), else its
     * original address's (a local delivery's active address is user@ims-ms-daemon, a channel). The same rule as
     * COALESCE(recipient.active_domain, recipient.domain), for one entry.
     */
    static String deliveredDomain(Fact f) {
        String active = domain(f.recipient());
        return active != null && active.indexOf('.') >= 0 ? active : domainOf(f);
    }

    /**
     * The active address's domain where a search by domain needs it (see V4__active_domain.sql): when it differs from
     * the original's and is a mail domain, not a channel's name such as ims-ms-daemon; else null.
     */
    static String activeDomain(String activeSearch, String domain) {
        String active = activeSearch == null ? null : domain(activeSearch);
        return active == null || active.indexOf('.') < 0 || active.equals(domain) ? null : active;
    }

    static String domain(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 || at == address.length() - 1 ? null : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    // ---- loading ----

    private Map<String, StoredMessage> load(Connection c, Collection<String> keys) throws SQLException {
        Map<String, StoredMessage> found = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (String key : keys) {
            StoredMessage m = cache.get(key);
            if (m == GONE) {
                continue;
            }
            if (m != null) {
                found.put(key, m);
            } else if (stored.mightContain(key)) {
                missing.add(key);
            }
        }
        for (int i = 0; i < missing.size(); i += IN_LIST) {
            found.putAll(loadFromDatabase(c, missing.subList(i, Math.min(missing.size(), i + IN_LIST))));
        }
        return found;
    }

    private Map<String, StoredMessage> loadFromDatabase(Connection c, List<String> keys) throws SQLException {
        Map<Long, String> keyOf = new HashMap<>();
        Map<Long, Object[]> rows = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, message_key, message_id, approximate, "
                + "original_message_id, sender, size, first_seen, last_seen, status FROM message WHERE key_hash IN ("
                + placeholders(inListSize(keys.size())) + ")")) {
            for (int i = 0; i < inListSize(keys.size()); i++) {
                ps.setLong(i + 1, SearchKeys.idHash(keys.get(Math.min(i, keys.size() - 1))));
            }
            Set<String> wanted = new HashSet<>(keys);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (!wanted.contains(rs.getString(2))) {
                        // another key with the same hash: the key in another case is another message, as the MTA
                        // logged it (the hash is of the lower case, for searches in any case)
                        continue;
                    }
                    long id = rs.getLong(1);
                    keyOf.put(id, rs.getString(2));
                    long size = rs.getLong(7);
                    Long sizeValue = rs.wasNull() ? null : size;
                    rows.put(id, new Object[]{new MessageInfo(rs.getString(2), rs.getString(3), rs.getBoolean(4),
                            rs.getString(5), rs.getString(6), sizeValue, SqlTimes.get(rs, 8),
                            SqlTimes.get(rs, 9)), Status.fromKey(rs.getString(10))});
                }
            }
        }
        if (rows.isEmpty()) {
            return Map.of();
        }
        List<Long> ids = new ArrayList<>(rows.keySet());
        Map<Long, List<Object[]>> recipientRows = new HashMap<>();
        Map<Long, String> originalOf = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + RECIPIENT_COLUMNS
                + " FROM recipient WHERE message_ref IN (" + placeholders(inListSize(ids.size())) + ")")) {
            bindPadded(ps, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long messageRef = rs.getLong("message_ref");
                    MessageInfo info = (MessageInfo) rows.get(messageRef)[0];
                    originalOf.put(rs.getLong("id"), rs.getString("original_recipient"));
                    recipientRows.computeIfAbsent(messageRef, k -> new ArrayList<>()).add(new Object[]{
                            rs.getLong("id"), readRecipient(rs, info.sender())});
                }
            }
        }
        Map<Long, List<Fact>> attemptsOf = new HashMap<>();
        // the hand-offs as stored, what the write path decided: the next write changes only what differs
        Map<Long, Set<Long>> handOffsOf = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, recipient_ref, message_ref, time, code, channel, "
                + "destination, recipient, queue_file, queue_attempts, size, process_id, diagnostic, category, "
                + "permanent, remote_host, remote_ip, smtp_code, file_id, line, order_shift, hand_off FROM attempt "
                + "WHERE message_ref IN (" + placeholders(inListSize(ids.size())) + ")")) {
            bindPadded(ps, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    MessageInfo info = (MessageInfo) rows.get(rs.getLong(3))[0];
                    int qa = rs.getInt(10);
                    Integer queueAttempts = rs.wasNull() ? null : qa;
                    boolean permanent = rs.getBoolean(15);
                    Boolean permanentValue = rs.wasNull() ? null : permanent;
                    int smtp = rs.getInt(18);
                    Integer smtpCode = rs.wasNull() ? null : smtp;
                    Fact f = new Fact(SqlTimes.get(rs, 4), rs.getLong(19), rs.getLong(20), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8),
                            originalOf.getOrDefault(rs.getLong(2), ""), info.sender(), rs.getLong(11),
                            rs.getString(9), queueAttempts, rs.getString(12), null, rs.getString(13),
                            rs.getString(14), permanentValue, rs.getString(16), rs.getString(17), smtpCode,
                            rs.getLong(1), rs.getInt(21));
                    attemptsOf.computeIfAbsent(rs.getLong(2), k -> new ArrayList<>()).add(f);
                    if (rs.getBoolean(22)) {
                        handOffsOf.computeIfAbsent(rs.getLong(2), k -> new HashSet<>()).add(entryKey(f));
                    }
                }
            }
        }
        Map<String, StoredMessage> out = new HashMap<>();
        for (Map.Entry<Long, Object[]> m : rows.entrySet()) {
            List<StoredMessage.StoredRecipient> recipients = new ArrayList<>();
            Map<Long, Fact> facts = new HashMap<>();
            for (Object[] r : recipientRows.getOrDefault(m.getKey(), List.of())) {
                long id = (Long) r[0];
                RecipientState row = (RecipientState) r[1];
                List<Fact> attempts = new ArrayList<>(attemptsOf.getOrDefault(id, List.of()));
                attempts.sort(Fact::compare);
                Set<Long> handOffs = handOffsOf.get(id);
                if (!row.handOffs().isEmpty()) {
                    handOffs = handOffs == null ? new HashSet<>() : handOffs;
                    handOffs.addAll(row.handOffs());
                }
                RecipientState state = new RecipientState(row.recipient(), row.originalRecipient(),
                        row.firstEnqueue(), row.lastOutcome(), List.copyOf(attempts), row.status(), row.outcomes(),
                        row.deferrals(), row.finalTime(), row.failureCategory(),
                        handOffs == null ? Set.of() : handOffs);
                for (Fact f : state.facts()) {
                    facts.put(entryKey(f), f);
                }
                recipients.add(new StoredMessage.StoredRecipient(id, state));
            }
            MessageInfo info = (MessageInfo) m.getValue()[0];
            out.put(keyOf.get(m.getKey()), new StoredMessage(m.getKey(), info, (Status) m.getValue()[1],
                    List.copyOf(recipients), facts,
                    recipients.size() >= Addresses.FROM && !FileIngest.groupedByRecipient(keyOf.get(m.getKey()))
                            ? Addresses.of(correlator, recipients) : null));
        }
        return out;
    }

    static final String RECIPIENT_COLUMNS = "id, message_ref, recipient, original_recipient, address_search, "
            + "active_search, address_code, active_code, domain, domain_hash, active_domain, status, attempts, deferrals, "
            + "final_time, delay_seconds, failure_category, "
            + "enqueued, source_channel, destination_channel, queue_file, enqueue_code, enqueue_recipient, "
            + "enqueue_size, enqueue_process, enqueue_source, enqueue_file, enqueue_line, "
            + "last_time, last_code, last_channel, last_recipient, last_queue_file, last_queue_attempts, last_size, "
            + "last_process, last_diagnostic, last_category, last_permanent, last_remote_host, last_remote_ip, "
            + "last_smtp_code, last_file, last_line, enqueue_shift, last_shift, last_hand_off, client_ip";

    /** A recipient row as a state without its attempt rows; the enqueue and last outcome become facts again. */
    private static RecipientState readRecipient(ResultSet rs, String sender) throws SQLException {
        String original = rs.getString("original_recipient");
        Fact enqueue = null;
        LocalDateTime enqueued = SqlTimes.get(rs, "enqueued");
        if (enqueued != null) {
            String queueFile = rs.getString("queue_file");
            enqueue = new Fact(enqueued, rs.getLong("enqueue_file"), rs.getLong("enqueue_line"),
                    rs.getString("enqueue_code"), rs.getString("source_channel"), rs.getString("destination_channel"),
                    orElse(rs.getString("enqueue_recipient"), rs.getString("recipient")), original, sender, rs.getLong("enqueue_size"), queueFile,
                    attempts(queueFile), rs.getString("enqueue_process"), rs.getString("enqueue_source"),
                    null, null, null, null, null, null, 0, rs.getInt("enqueue_shift"));
        }
        Fact last = null;
        LocalDateTime lastTime = SqlTimes.get(rs, "last_time");
        if (lastTime != null) {
            int qa = rs.getInt("last_queue_attempts");
            Integer queueAttempts = rs.wasNull() ? null : qa;
            boolean permanent = rs.getBoolean("last_permanent");
            Boolean permanentValue = rs.wasNull() ? null : permanent;
            int smtp = rs.getInt("last_smtp_code");
            Integer smtpCode = rs.wasNull() ? null : smtp;
            last = new Fact(lastTime, rs.getLong("last_file"), rs.getLong("last_line"),
                    rs.getString("last_code"), rs.getString("last_channel"), null,
                    orElse(rs.getString("last_recipient"), rs.getString("recipient")), original, sender,
                    rs.getLong("last_size"), lastQueueFile(rs), queueAttempts,
                    rs.getString("last_process"), null, rs.getString("last_diagnostic"),
                    rs.getString("last_category"), permanentValue, rs.getString("last_remote_host"),
                    rs.getString("last_remote_ip"), smtpCode, 0, rs.getInt("last_shift"));
        }
        return new RecipientState(rs.getString("recipient"), original, enqueue, last, List.of(),
                Status.fromKey(rs.getString("status")), rs.getInt("attempts"), rs.getInt("deferrals"),
                SqlTimes.get(rs, "final_time"), rs.getString("failure_category"),
                last != null && rs.getBoolean("last_hand_off") ? Set.of(entryKey(last)) : Set.of());
    }

    private static String orElse(String value, String repeated) {
        return value != null ? value : repeated;
    }

    /** last_queue_file as written: NULL for the enqueue's queue file, '' for none. */
    static String lastQueueFile(ResultSet rs) throws SQLException {
        String last = rs.getString("last_queue_file");
        return last == null ? rs.getString("queue_file") : last.isEmpty() ? null : last;
    }

    private static Integer attempts(String queueFile) {
        return queueFile == null ? null : com.mailtrail.parse.QueueFile.parse(queueFile).attempts();
    }

    /**
     * The length of an IN list of n values: the next power of two, the last value repeated to fill it. A few SQL texts
     * rather than one per length, so that H2 finds the statement already parsed in the session's cache
     * (QUERY_CACHE_SIZE in the URL) instead of parsing and planning a new one, and its parser code is not compiled
     * again and again by the JIT during an import.
     */
    static int inListSize(int n) {
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }

    private static void bindPadded(PreparedStatement ps, List<Long> values) throws SQLException {
        for (int i = 0; i < inListSize(values.size()); i++) {
            ps.setLong(i + 1, values.get(Math.min(i, values.size() - 1)));
        }
    }

    /** "?,?,...": n parameters of a statement. */
    static String placeholders(int n) {
        StringBuilder sb = new StringBuilder(n * 2);
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "?" : ",?");
        }
        return sb.toString();
    }

    // ---- the statements of one batch ----

    /**
     * The rows of one batch, in the order that keeps every row consistent: inserts (COPY on PostgreSQL, nearly
     * all rows of an import), then updates and deletes. Laid out by correlation, stored by the writer.
     */
    static final class Plan {
        private static final String MESSAGE_COLUMNS = "id, message_key, key_hash, message_id, approximate, "
                + "original_message_id, original_hash, sender, sender_search, sender_code, sender_domain, "
                + "sender_domain_hash, size, first_seen, last_seen, status, recipients, search_bucket";
        private static final String ATTEMPT_COLUMNS = "id, recipient_ref, message_ref, time, code, outcome, channel, "
                + "destination, recipient, queue_file, queue_attempts, size, process_id, diagnostic, category, "
                + "permanent, remote_host, remote_ip, smtp_code, file_id, line, order_shift, hand_off";

        private final boolean copy;
        private final RowOut messages;
        private final RowOut.Rows messageUpdates = new RowOut.Rows("UPDATE message SET message_id = ?, "
                + "approximate = ?, original_message_id = ?, original_hash = ?, sender = ?, sender_search = ?, "
                + "sender_code = ?, sender_domain = ?, sender_domain_hash = ?, size = ?, first_seen = ?, last_seen = ?, "
                + "status = ?, recipients = ? WHERE id = ?", 15, true);
        private final RowOut recipients;
        private final RowOut.Rows recipientUpdates = new RowOut.Rows("UPDATE recipient SET "
                + RECIPIENT_COLUMNS.substring("id, message_ref, ".length()).replace(",", " = ?,") + " = ? WHERE id = ?",
                47, true);
        private final RowOut.Rows recipientDeletes = new RowOut.Rows("DELETE FROM recipient WHERE id = ?", 1);
        private final RowOut attempts;
        private final RowOut.Rows attemptMoves = new RowOut.Rows("UPDATE attempt SET recipient_ref = ? WHERE id = ?",
                2, true);
        private final RowOut.Rows attemptDeletes = new RowOut.Rows("DELETE FROM attempt WHERE id = ?", 1);
        // a stored D that a later file showed to be a hand-off, or no longer one
        private final RowOut.Rows attemptHandOffs = new RowOut.Rows("UPDATE attempt SET hand_off = ? WHERE id = ?",
                2, true);
        // Entries grouped by sender, recipient and day only: a recipient's entries after midnight move to the
        // message of the day it was enqueued, and a day's message left without recipients goes.
        private final RowOut.Rows attemptRehomes = new RowOut.Rows("UPDATE attempt SET recipient_ref = ?, "
                + "message_ref = ? WHERE id = ?", 3, true);
        private final RowOut.Rows messageDeletes = new RowOut.Rows("DELETE FROM message WHERE id = ?", 1);
        private final Set<Integer> buckets = new HashSet<>();
        // the remote systems of the outcomes written, '' for a missing part; trimmed to those not known to be stored
        private final Set<List<String>> remotes = new HashSet<>();
        // the clients of the enqueues written (V22); trimmed likewise
        private final Set<ClientSystem> clients = new HashSet<>();

        Plan(boolean copy) {
            this.copy = copy;
            messages = RowOut.insert(copy, "message", MESSAGE_COLUMNS);
            recipients = RowOut.insert(copy, "recipient", RECIPIENT_COLUMNS + ", search_bucket");
            attempts = RowOut.insert(copy, "attempt", ATTEMPT_COLUMNS);
        }

        void insertMessage(long id, MessageInfo m, Status status, int recipients) throws SQLException {
            String search = m.sender().toLowerCase(Locale.ROOT);
            String domain = domain(m.sender());
            messages.add(id).add(m.key()).add(SearchKeys.idHash(m.key())).add(m.messageId()).add(m.approximate())
                    .add(m.originalMessageId()).add(SearchKeys.idHashOrNull(m.originalMessageId())).add(m.sender())
                    .add(search).add(SearchKeys.code(search)).add(domain).add(SearchKeys.hashOrNull(domain))
                    .add(m.size())
                    .add(m.firstSeen()).add(m.lastSeen()).add(status.key()).add(recipients).add(bucket(id));
            messages.endRow();
        }

        void updateMessage(long id, MessageInfo m, Status status, int recipients) throws SQLException {
            String search = m.sender().toLowerCase(Locale.ROOT);
            String domain = domain(m.sender());
            messageUpdates.add(m.messageId()).add(m.approximate()).add(m.originalMessageId())
                    .add(SearchKeys.idHashOrNull(m.originalMessageId())).add(m.sender()).add(search)
                    .add(SearchKeys.code(search)).add(domain).add(SearchKeys.hashOrNull(domain)).add(m.size())
                    .add(m.firstSeen()).add(m.lastSeen()).add(status.key()).add(recipients).add(id);
            messageUpdates.endRow();
        }

        void insertRecipient(long messageId, StoredMessage.StoredRecipient r) throws SQLException {
            recipients.add(r.id()).add(messageId);
            recipientColumns(recipients, r.state());
            remote(r.state().lastOutcome());
            client(r.state().firstEnqueue());
            recipients.add(bucket(r.id()));
            recipients.endRow();
        }

        void updateRecipient(long id, RecipientState s) throws SQLException {
            recipientColumns(recipientUpdates, s);
            remote(s.lastOutcome());
            client(s.firstEnqueue());
            recipientUpdates.add(id);
            recipientUpdates.endRow();
        }

        /** The 46 recipient columns from recipient to client_ip. */
        private static void recipientColumns(RowOut out, RecipientState s) throws SQLException {
            String address = (s.originalRecipient().isEmpty() ? s.recipient() : s.originalRecipient())
                    .toLowerCase(Locale.ROOT);
            String active = s.recipient().toLowerCase(Locale.ROOT);
            // Only when it differs: most active addresses equal the original, and NULLs keep the index small.
            String activeSearch = active.equals(address) ? null : active;
            String domain = domain(address);
            out.add(s.recipient()).add(s.originalRecipient()).add(address).add(activeSearch)
                    .add(SearchKeys.code(address)).add(SearchKeys.code(activeSearch))
                    .add(domain).add(SearchKeys.hashOrNull(domain)).add(activeDomain(activeSearch, domain))
                    .add(s.status().key()).add(s.outcomes()).add(s.deferrals())
                    .add(s.finalTime()).add(s.delaySeconds()).add(s.failureCategory());
            Fact e = s.firstEnqueue();
            boolean n = e == null;
            out.add(n ? null : e.time()).add(n ? null : e.channel()).add(n ? null : e.destination())
                    .add(n ? null : e.queueFile()).add(n ? null : e.code()).add(n ? null : repeated(e.recipient(), s.recipient()))
                    .add(n ? null : (Long) e.size()).add(n ? null : e.processId()).add(n ? null : e.sourceSystem())
                    .add(n ? null : (Long) e.fileId()).add(n ? null : (Long) e.line());
            Fact l = s.lastOutcome();
            n = l == null;
            out.add(n ? null : l.time()).add(n ? null : l.code()).add(n ? null : l.channel())
                    .add(n ? null : repeated(l.recipient(), s.recipient()))
                    .add(n ? null : lastQueueFile(l.queueFile(), e == null ? null : e.queueFile())).add(n ? null : l.queueAttempts())
                    .add(n ? null : (Long) l.size()).add(n ? null : l.processId()).add(n ? null : l.diagnostic())
                    .add(n ? null : l.category()).add(n ? null : l.permanent()).add(n ? null : l.remoteHost())
                    .add(n ? null : l.remoteIp()).add(n ? null : l.smtpCode()).add(n ? null : (Long) l.fileId())
                    .add(n ? null : (Long) l.line());
            out.add(e == null ? null : shift(e)).add(l == null ? null : shift(l));
            out.add(handOff(l != null && s.handedOn(l)));
            out.add(e == null ? null : ClientSystem.ipOf(e.sourceSystem())); // the enqueue's client, for its index (V22)
        }

        /** TRUE for a hand-off, NULL (not FALSE) for every other row: nearly all of them, and the column stays empty. */
        private static Boolean handOff(boolean handOff) {
            return handOff ? Boolean.TRUE : null;
        }

        /** An ordering shift as stored: NULL for none, which is nearly every fact. */
        private static Integer shift(Fact f) {
            return f.shift() == 0 ? null : f.shift();
        }

        /**
         * NULL where a column would repeat another of the row (nearly always: the enqueue and the delivery name the
         * same recipient), so the widest table stays narrower; readers take the other column back.
         */
        private static String repeated(String value, String same) {
            return same.equals(value) ? null : value;
        }

        /** The last outcome's queue file: NULL when it is the enqueue's, '' when it has none but the enqueue has. */
        private static String lastQueueFile(String last, String enqueue) {
            if (last == null) {
                return enqueue == null ? null : "";
            }
            return last.equals(enqueue) ? null : last;
        }

        void deleteRecipient(long id) throws SQLException {
            recipientDeletes.add(id).endRow();
        }

        void insertAttempt(Fact f, long recipient, long message, boolean handOff) throws SQLException {
            String outcome = Outcomes.of(f.action());
            if (!outcome.equals("enqueued")) { // a later leg's enqueue: no outcome a search by remote system matches
                remote(f);
            }
            attempts.add(f.attemptId()).add(recipient).add(message).add(f.time()).add(f.code())
                    .add(outcome).add(f.channel()).add(f.destination()).add(f.recipient())
                    .add(f.queueFile()).add(f.queueAttempts()).add(f.size()).add(f.processId()).add(f.diagnostic())
                    .add(f.category()).add(f.permanent()).add(f.remoteHost()).add(f.remoteIp()).add(f.smtpCode())
                    .add(f.fileId()).add(f.line()).add(shift(f)).add(handOff(handOff));
            attempts.endRow();
        }

        void handOff(long id, boolean handOff) throws SQLException {
            attemptHandOffs.add(handOff(handOff)).add(id).endRow();
        }

        void moveAttempt(long id, long recipient) throws SQLException {
            attemptMoves.add(recipient).add(id).endRow();
        }

        void deleteAttempt(long id) throws SQLException {
            attemptDeletes.add(id).endRow();
        }

        void moveAttempt(long id, long recipient, long message) throws SQLException {
            attemptRehomes.add(recipient).add(message).add(id).endRow();
        }

        void deleteMessage(long id) throws SQLException {
            messageDeletes.add(id).endRow();
        }

        /** Notes the client of an enqueue written, for client_system. */
        private void client(Fact e) {
            ClientSystem c = e == null ? null : ClientSystem.of(e.sourceSystem());
            if (c != null) {
                clients.add(c);
            }
        }

        /** Notes the remote system of an outcome written, for remote_system. */
        private void remote(Fact f) {
            if (f != null && (f.remoteHost() != null || f.remoteIp() != null)) {
                remotes.add(List.of(f.remoteHost() == null ? "" : f.remoteHost(),
                        f.remoteIp() == null ? "" : f.remoteIp()));
            }
        }

        /** The search bucket of a new row, noted so that the bucket is listed in search_bucket. */
        private Integer bucket(long id) {
            int bucket = copy ? 0 : SearchBuckets.of(id); // PostgreSQL: one bucket (see SearchBuckets)
            buckets.add(bucket);
            return bucket;
        }

        /** Stores the rows on {@code c}, inside the caller's transaction. */
        void execute(Connection c) throws SQLException {
            // Insert-if-absent in this transaction rather than remembering what was stored: a bucket must be listed
            // exactly when rows are in it, also after a rollback.
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO search_bucket (bucket) SELECT ? "
                    + "WHERE NOT EXISTS (SELECT 1 FROM search_bucket WHERE bucket = ?)")) {
                for (int bucket : buckets) {
                    ps.setInt(1, bucket);
                    ps.setInt(2, bucket);
                    ps.executeUpdate();
                }
            }
            // The same for the remote systems, but only those this engine has not stored before: a batch brings
            // none or a few. Duplicates from two PostgreSQL importers at once are harmless (read with DISTINCT).
            if (!remotes.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO remote_system (host, ip) SELECT ?, ? "
                        + "WHERE NOT EXISTS (SELECT 1 FROM remote_system WHERE host = ? AND ip = ?)")) {
                    for (List<String> r : remotes) {
                        ps.setString(1, r.get(0));
                        ps.setString(2, r.get(1));
                        ps.setString(3, r.get(0));
                        ps.setString(4, r.get(1));
                        ps.addBatch();
                    }
                    ps.executeBatch(); // one round trip to PostgreSQL for them all, not one each
                }
            }
            if (!clients.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO client_system (host, ip, source) "
                        + "SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM client_system WHERE host = ? AND ip = ? "
                        + "AND source = ?)")) {
                    for (ClientSystem cs : clients) {
                        ps.setString(1, cs.host());
                        ps.setString(2, cs.ip());
                        ps.setString(3, cs.text());
                        ps.setString(4, cs.host());
                        ps.setString(5, cs.ip());
                        ps.setString(6, cs.text());
                        ps.addBatch();
                    }
                    // a fresh import's first batches bring hundreds of clients each: 24,000 in 1M entries
                    ps.executeBatch();
                }
            }
            for (RowOut rows : new RowOut[]{messages, messageUpdates, recipients, recipientUpdates, recipientDeletes,
                    attempts, attemptMoves, attemptRehomes, attemptHandOffs, attemptDeletes, messageDeletes}) {
                rows.execute(c);
            }
        }
    }

    /** A nullable INTEGER parameter; also used by the other writers of this package. */
    static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setInt(i, v);
        }
    }
}
