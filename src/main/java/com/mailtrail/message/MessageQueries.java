package com.mailtrail.message;

import com.mailtrail.store.SearchKeys;
import com.mailtrail.parse.Outcomes;
import com.mailtrail.parse.Remote;
import com.mailtrail.store.SqlTimes;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The read side of messages: search and "what happened to this message". Plain SQL that runs on H2 and PostgreSQL.
 * Conditions on recipients and attempts are semi-joins (EXISTS, or IN for the indexed address columns), so that a
 * page and its total count messages, not joined rows; with such conditions the total comes from the join that counts
 * the recipients that meet them, as its distinct messages.
 */
@Service
@Transactional(readOnly = true)
public class MessageQueries {

    private static final String SUMMARY_COLUMNS = "m.id, m.message_id, m.sender, m.size, m.first_seen, m.last_seen, "
            + "m.status, m.recipients";

    /**
     * The statuses a search finds through the index on recipient.status (V17): a recipient waits for a while, so few
     * do at any time (727 of 264,101 in a generated million-entry day), whatever the history kept. Delivered,
     * bounced and rejected are most rows; their searches stay led by the messages' time.
     */
    private static final Set<String> WAITING = Set.of("deferred", "queued");
    /** At most this many messages waiting are sought by key (an array of their ids); more are searched by time. */
    static final int WAITING_BY_KEY = 4096;
    /** The messages of the recipients of :statuses, through the index on status, one more than are sought by key. */
    public static final String WAITING_MESSAGES = "SELECT DISTINCT r.message_ref FROM recipient r "
            + "WHERE r.status IN (:statuses) FETCH FIRST " + (WAITING_BY_KEY + 1) + " ROWS ONLY";

    private final JdbcClient jdbc;
    // false: every status tested message by message within the time searched, as before the status index was used
    // (the equivalence test and the benchmark compare the two)
    private final boolean waitingByIndex;
    // false: a client searched by reading the rows of the range, as before V22 (for the same comparisons)
    private final boolean clientByIndex;
    // how a recipient address is searched: chosen by counting (AUTO), or always one way (the equivalence tests)
    private final RecipientWay recipientWay;

    /** How the messages of a recipient address are found (see recipientsByTime). */
    public enum RecipientWay {
        /** by counting the address's recipients against the messages of the time searched */
        AUTO,
        /** the recipients at the address first, through its indexes, then their messages */
        BY_ADDRESS,
        /** the messages of the time searched, each tested through its recipients */
        BY_TIME
    }

    @Autowired // the private constructor below is for withoutStatusIndex, withoutClientIndex and recipientsBy
    public MessageQueries(JdbcClient jdbc) {
        this(jdbc, true, true, RecipientWay.AUTO);
    }

    private MessageQueries(JdbcClient jdbc, boolean waitingByIndex, boolean clientByIndex, RecipientWay recipientWay) {
        this.jdbc = jdbc;
        this.waitingByIndex = waitingByIndex;
        this.clientByIndex = clientByIndex;
        this.recipientWay = recipientWay;
    }

    /** The same queries with every status searched message by message, as before the index on status was used. */
    public MessageQueries withoutStatusIndex() {
        return new MessageQueries(jdbc, false, clientByIndex, recipientWay);
    }

    /** The same queries with a client searched by reading the rows of the range, as before V22. */
    public MessageQueries withoutClientIndex() {
        return new MessageQueries(jdbc, waitingByIndex, false, recipientWay);
    }

    /** The same queries with a recipient address always searched one way. */
    public MessageQueries recipientsBy(RecipientWay way) {
        return new MessageQueries(jdbc, waitingByIndex, clientByIndex, way);
    }

    /**
     * The same queries with the way of {@code c}'s recipient address chosen once, for a search asked page after page
     * (the CSV: its 500-message pages would each count again what the choice counts).
     */
    public MessageQueries choosingOnceFor(MessageCriteria c) {
        if (recipientWay != RecipientWay.AUTO || c.recipient() == null) {
            return this;
        }
        return recipientsBy(recipientsByTime(c, new HashMap<>()) ? RecipientWay.BY_TIME : RecipientWay.BY_ADDRESS);
    }

    // ---- search ----

    /**
     * A page of the messages that match, their exact total and, with conditions on recipients, the recipients'; with
     * an outcome or category, also the matching outcomes'.
     */
    public PageResult<MessageSummary> search(MessageCriteria c) {
        return search(c, true);
    }

    /** The same, without the recipients' and outcomes' counts (SearchCountBenchmark: what counting them costs). */
    public PageResult<MessageSummary> search(MessageCriteria c, boolean countRecipients) {
        Statements s = statements(c, countRecipients);
        long total;
        Long recipients = null;
        Long outcomes = null;
        if (!s.countsRecipients()) {
            total = jdbc.sql(s.count()).params(s.params()).query(Long.class).single();
        } else {
            boolean withOutcomes = s.countsOutcomes();
            long[] counts = jdbc.sql(s.count()).params(s.params())
                    .query((rs, i) -> new long[]{rs.getLong(1), rs.getLong(2), withOutcomes ? rs.getLong(3) : -1})
                    .single();
            total = counts[0];
            recipients = counts[1];
            outcomes = withOutcomes ? counts[2] : null;
        }
        List<MessageSummary> items = List.of();
        if (c.offset() < total) {
            items = jdbc.sql(s.page()).params(s.params()).query((rs, i) -> summary(rs)).list();
        }
        return new PageResult<>(total, recipients, outcomes, c.page(), c.size(), items);
    }

    /**
     * The statements of a search, with their parameters: {@code count} its total (and, when {@code countsRecipients},
     * its recipients', and when {@code countsOutcomes} its outcomes'), {@code page} its page.
     */
    record Statements(String count, String page, Map<String, Object> params, boolean countsRecipients,
                      boolean countsOutcomes) {
    }

    Statements statements(MessageCriteria c, boolean countRecipients) {
        Map<String, Object> params = new HashMap<>();
        Recipients conditions = oneRecipient(c, params);
        boolean byTime = recipientsByTime(c, params);
        List<String> remoteIps = remoteAddresses(c.remote());
        List<String> clientIps = clientAddresses(c.client());
        String where = waiting(c, where(c, conditions, remoteIps, clientIps, params,
                byTime ? Address.TESTED : Address.SOUGHT), params);
        String from = " FROM message m";
        params.put("offset", c.offset());
        params.put("limit", c.size());
        String page = "SELECT " + SUMMARY_COLUMNS + from + where + order(c)
                + " OFFSET :offset ROWS FETCH NEXT :limit ROWS ONLY";
        if (conditions.onOne() == null || !countRecipients) {
            return new Statements("SELECT COUNT(*)" + from + where, page, params, false, false);
        }
        // What a dashboard bar or a Queue cell counts: recipients, more than the messages when a message has
        // several. The messages found as below, then their recipients through the index on message_ref, each
        // once; a message matches when one of its recipients does, so the same rows count the messages.
        // With an outcome, the same rows add up their matching outcomes: what the charts of outcomes count.
        // By time, the address is left to onOne, which tests it on the joined recipients anyway.
        String counted = byTime ? waiting(c, where(c, conditions, remoteIps, clientIps, params, Address.LEFT_OUT),
                params) : where;
        boolean withOutcomes = conditions.outcomes() != null;
        return new Statements("SELECT COUNT(DISTINCT m.id), COUNT(*)"
                + (withOutcomes ? ", COALESCE(SUM(" + conditions.outcomes() + "), 0)" : "")
                + from + " JOIN recipient r ON r.message_ref = m.id" + counted
                + (counted.isEmpty() ? " WHERE " : " AND ") + conditions.onOne(), page, params, true, withOutcomes);
    }

    /**
     * By time once the address has more recipients than a quarter of the messages searched: an hour's search for 4,191
     * recipients in 12,599 messages took 0.4-0.8 s to count and 46-126 ms for its page by time, 0.6-1.1 s and
     * 0.4-1.0 s by address (H2, the million-entry day, warm).
     */
    static final int BY_TIME_RATIO = 4;
    /** The recipients at an address counted at most, each way (original, active): enough to tell a site's own domain. */
    private static final long RECIPIENTS_COUNTED = 100_000;

    /** How where() puts a recipient address: sought through its indexes, tested on each message's recipients, or not. */
    private enum Address { SOUGHT, TESTED, LEFT_OUT }

    /**
     * Whether the messages of a recipient address are better found by time, each tested through its recipients (the
     * index on message_ref), than by reading every recipient at the address first. A site's own domain has most
     * recipients (189,232 of the 264,267 of the generated million-entry day, for 89,370 messages): H2 read them all
     * for an hour's search of it, 20 s with the count, where the hour's 12,599 messages and their recipients took
     * 1.4 s, and its page, which stops at the page's last message, 16 ms. A rare address the other way round: its
     * few recipients first. Decided by counting the recipients through the address's indexes alone (up to
     * {@link #RECIPIENTS_COUNTED}), then the messages of the time searched (all of them without a time) up to
     * {@link #BY_TIME_RATIO} times as many: a rare address costs two short counts, the site's own domain ones of tens
     * to hundreds of milliseconds beside a search of seconds.
     */
    private boolean recipientsByTime(MessageCriteria c, Map<String, Object> params) {
        if (c.recipient() == null || recipientWay != RecipientWay.AUTO) {
            return c.recipient() != null && recipientWay == RecipientWay.BY_TIME;
        }
        Map<String, Object> p = new HashMap<>(params);
        p.put("recipient", bind(c.recipient()));
        codes(c.recipient(), "recipient", p);
        p.put("cap", RECIPIENTS_COUNTED);
        long recipients = 0;
        for (String sought : switch (c.recipient().kind()) {
            case EXACT -> List.of(byCode("recipient r", "r.address_code = :recipientCode"),
                    byCode("recipient r", "r.active_code = :recipientCode"));
            case PREFIX -> List.of(byCode("recipient r", "r.address_code BETWEEN :recipientLow AND :recipientHigh"),
                    byCode("recipient r", "r.active_code BETWEEN :recipientLow AND :recipientHigh"));
            case DOMAIN -> List.of("FROM recipient r WHERE r.domain_hash = :recipientHash",
                    "FROM recipient r WHERE r.active_domain = :recipient");
        }) {
            recipients += jdbc.sql("SELECT COUNT(*) FROM (SELECT 1 " + sought + " FETCH FIRST :cap ROWS ONLY) x")
                    .params(p).query(Long.class).single();
        }
        List<String> range = new ArrayList<>();
        if (c.from() != null) {
            range.add("m.first_seen >= :from");
        }
        if (c.to() != null) {
            range.add("m.first_seen < :to");
        }
        // the bounds where() puts on first_seen for an event's or an enqueue's time (those on last_seen have no index:
        // left out, the count is of more messages than are tested, which leans to the address)
        if (c.eventTo() != null) {
            range.add("m.first_seen < :eventTo");
        }
        if (c.enqueuedTo() != null) {
            range.add("m.first_seen < :enqueuedTo");
        }
        p.put("from", c.from());
        p.put("to", c.to());
        p.put("eventTo", c.eventTo());
        p.put("enqueuedTo", c.enqueuedTo());
        // only as far as it decides: a rare address's few recipients stop this count at once
        p.put("cap", recipients * BY_TIME_RATIO + 1);
        long messages = jdbc.sql("SELECT COUNT(*) FROM (SELECT 1 FROM message m"
                + (range.isEmpty() ? "" : " WHERE " + String.join(" AND ", range)) + " FETCH FIRST :cap ROWS ONLY) x")
                .params(p).query(Long.class).single();
        return recipients * BY_TIME_RATIO > messages;
    }

    /**
     * The messages that match in the search's order after {@code after} (from the first when null), at most
     * {@code limit}: all of them page after page (the CSV) without counting them again at every page or skipping the
     * pages before (OFFSET reads and drops them: a day's CSV of 35,880 messages is 72 pages, whose counts read 2.6
     * million rows and whose OFFSETs skip 1.3 million), and
     * without a message listed twice or left out when an import adds messages between two pages.
     */
    public List<MessageSummary> after(MessageCriteria c, MessageSummary after, int limit) {
        Statements s = afterStatement(c, after, limit);
        return jdbc.sql(s.page()).params(s.params()).query((rs, i) -> summary(rs)).list();
    }

    /** The statement of {@link #after}, as its {@code page}. */
    Statements afterStatement(MessageCriteria c, MessageSummary after, int limit) {
        Map<String, Object> params = new HashMap<>();
        Recipients conditions = oneRecipient(c, params);
        String where = waiting(c, where(c, conditions, remoteAddresses(c.remote()), clientAddresses(c.client()),
                params, recipientsByTime(c, params) ? Address.TESTED : Address.SOUGHT), params);
        if (after != null) {
            // first_seen alone as a range the index serves; the id decides among messages of the same time
            String next = c.ascending() ? ">" : "<";
            where += (where.isEmpty() ? " WHERE " : " AND ") + "m.first_seen " + next + "= :afterTime AND "
                    + "(m.first_seen " + next + " :afterTime OR m.id " + next + " :afterId)";
            params.put("afterTime", after.firstSeen());
            params.put("afterId", after.id());
        }
        params.put("limit", limit);
        return new Statements(null, "SELECT " + SUMMARY_COLUMNS + " FROM message m" + where + order(c)
                + " FETCH FIRST :limit ROWS ONLY", params, false, false);
    }

    /**
     * With a waiting status, {@code where} narrowed to the messages of the recipients the index on status finds, when
     * they are few enough: read first, a few hundred whatever the range searched and the history kept (where the
     * search by time reads every message of the range, and the CSV's pages every message before theirs), then sought
     * by key (one array parameter: one statement text whatever their number). The conditions of {@code where} still decide, so the result is the search's own. H2 does not take that
     * path by itself: as a subquery (IN or a join) it sought the messages by key for the first page but went by time
     * for a day and for the CSV's later pages, and re-ran the IN's query for every message it tested unless it reused
     * an unchanged result (5-12 s for status=deferred on 1M entries with that reuse off, as a database being written
     * to has it). A backlog of more than {@link #WAITING_BY_KEY} messages is searched by time as before.
     */
    private String waiting(MessageCriteria c, String where, Map<String, Object> params) {
        if (!waitingByIndex || c.status() == null || !WAITING.containsAll(c.statuses())) {
            return where;
        }
        List<Long> ids = jdbc.sql(WAITING_MESSAGES).param("statuses", c.statuses()).query(Long.class).list();
        if (ids.size() > WAITING_BY_KEY) {
            return where;
        }
        params.put("waitingIds", ids.toArray(new Long[0]));
        return (where.isEmpty() ? " WHERE " : where + " AND ") + "m.id = ANY(:waitingIds)";
    }

    private static String order(MessageCriteria c) {
        return c.ascending() ? " ORDER BY m.first_seen ASC, m.id ASC" : " ORDER BY m.first_seen DESC, m.id DESC";
    }

    /**
     * The WHERE clause of a search (empty for none), filling in its parameters. {@code remoteIps}: the addresses, as
     * logged, of every outcome the remote system searched can match, or null when only reading the rows can tell.
     */
    private static String where(MessageCriteria c, Recipients one, List<String> remoteIps, List<String> clientIps,
                                Map<String, Object> params, Address address) {
        List<String> and = new ArrayList<>();
        if (c.messageIds() != null) {
            // In any case: an administrator pastes an id from a ticket or a tool that folded it. message_key is the
            // Message-ID for every message that has one, found by the hash of its lower case; without one it is a
            // grouping key, which message_id (then NULL) keeps out. The strings are compared through the database's
            // own LOWER on both sides, so that the comparison agrees with itself whatever LOWER does to letters
            // beyond ASCII (PostgreSQL's depends on the database's locale); the hash only narrows.
            List<String> lowered = new ArrayList<>();
            for (int i = 0; i < c.messageIds().size(); i++) {
                lowered.add("LOWER(:messageId" + i + ")");
                params.put("messageId" + i, c.messageIds().get(i));
            }
            and.add("m.key_hash IN (:messageHashes) AND LOWER(m.message_id) IN (" + String.join(", ", lowered) + ")");
            params.put("messageHashes", c.messageIds().stream().map(SearchKeys::idHash).distinct().toList());
        }
        if (c.sender() != null) {
            // The address indexes are on (search_bucket, code) (SearchBuckets, SearchKeys): a join from the list of
            // buckets seeks the code, or the range of a prefix, in each bucket; the code narrows, the string decides.
            // (As "search_bucket IN (SELECT ...)" H2 seeks only the bucket and reads all of it: 1.3 s for liam*.)
            and.add(switch (c.sender().kind()) {
                case EXACT -> "m.id IN (SELECT s.id " + byCode("message s", "s.sender_code = :senderCode")
                        + " WHERE s.sender_search = :sender)";
                case PREFIX -> "m.id IN (SELECT s.id " + byCode("message s",
                        "s.sender_code BETWEEN :senderLow AND :senderHigh") + " WHERE s.sender_search LIKE :sender ESCAPE '!')";
                case DOMAIN -> "m.sender_domain_hash = :senderHash AND m.sender_domain = :sender";
            });
            params.put("sender", bind(c.sender()));
            codes(c.sender(), "sender", params);
        }
        if (c.recipient() != null) {
            // IN rather than EXISTS: the same semi-join (one row per message), but H2 then searches recipients once
            // instead of probing them message by message (about 4x faster for an address or a prefix on 30k
            // generated messages); PostgreSQL plans both forms alike. The original and the active address are two
            // selects in a UNION, each on its own index: H2 scans the table for an OR of two columns. The UNION is a
            // derived table: as the IN list itself, H2 takes seconds per prefix on 1M entries (16 s for liam*).
            // The conditions on the recipient's own row go into each select, which reads that row anyway.
            String also = one.row().isEmpty() ? "" : " AND " + String.join(" AND ", one.row());
            if (address == Address.TESTED) {
                and.add("EXISTS (SELECT 1 FROM recipient r WHERE r.message_ref = m.id AND "
                        + atAddress(c.recipient()) + also + ")");
            } else if (address == Address.SOUGHT) {
                and.add("m.id IN (SELECT " + switch (c.recipient().kind()) {
                    case EXACT -> "x.message_ref FROM (SELECT r.message_ref "
                            + byCode("recipient r", "r.address_code = :recipientCode")
                            + " WHERE r.address_search = :recipient" + also + " UNION SELECT r.message_ref "
                            + byCode("recipient r", "r.active_code = :recipientCode")
                            + " WHERE r.active_search = :recipient" + also + ") x)";
                    case PREFIX -> "x.message_ref FROM (SELECT r.message_ref "
                            + byCode("recipient r", "r.address_code BETWEEN :recipientLow AND :recipientHigh")
                            + " WHERE r.address_search LIKE :recipient ESCAPE '!'" + also + " UNION SELECT r.message_ref "
                            + byCode("recipient r", "r.active_code BETWEEN :recipientLow AND :recipientHigh")
                            + " WHERE r.active_search LIKE :recipient ESCAPE '!'" + also + ") x)";
                    case DOMAIN -> "x.message_ref FROM (SELECT r.message_ref FROM recipient r "
                            + "WHERE r.domain_hash = :recipientHash AND r.domain = :recipient" + also
                            + " UNION SELECT r.message_ref FROM recipient r WHERE r.active_domain = :recipient" + also
                            + ") x)";
                });
            }
            params.put("recipient", bind(c.recipient()));
            codes(c.recipient(), "recipient", params);
        } else if (c.deliveredTo() != null && c.deliveredTo().equals(MessageCriteria.NO_DOMAIN)) {
            // Neither domain: through the index on the original's domain hash, NULL with the domain.
            String also = one.row().isEmpty() ? "" : " AND " + String.join(" AND ", one.row());
            and.add("m.id IN (SELECT r.message_ref FROM recipient r WHERE r.domain_hash IS NULL" + also + ")");
        } else if (c.deliveredTo() != null) {
            // Through the same two indexes as a recipient's @domain: the original's domain where there is no active
            // one, the active one's. (With a recipient address, its IN takes the condition among the row's.)
            String also = one.row().isEmpty() ? "" : " AND " + String.join(" AND ", one.row());
            and.add("m.id IN (SELECT x.message_ref FROM (SELECT r.message_ref FROM recipient r "
                    + "WHERE r.domain_hash = :deliveredHash AND r.domain = :deliveredTo AND r.active_domain IS NULL"
                    + also + " UNION SELECT r.message_ref FROM recipient r WHERE r.active_domain = :deliveredTo"
                    + also + ") x)");
        }
        if (c.from() != null) {
            and.add("m.first_seen >= :from");
            params.put("from", c.from());
        }
        if (c.to() != null) {
            and.add("m.first_seen < :to");
            params.put("to", c.to());
        }
        if (c.source() != null) {
            // Messages with any entry read from the source's files: where an upload's messages are. The UNION is a
            // derived table, as for the recipient above: as the IN list itself, H2 ran it again for every message
            // (300 s for 8,000 messages).
            and.add("m.id IN (SELECT x.message_ref FROM (SELECT r.message_ref FROM recipient r "
                    + "WHERE r.enqueue_file IN (SELECT f.id FROM log_file f WHERE f.source_id = :source) "
                    + "OR r.last_file IN (SELECT f.id FROM log_file f WHERE f.source_id = :source) "
                    + "UNION SELECT a.message_ref FROM attempt a WHERE a.file_id IN (SELECT f.id FROM log_file f "
                    + "WHERE f.source_id = :source)) x)");
            params.put("source", c.source());
        }
        if (one.exists() != null) {
            and.add(one.exists());
        }
        // Narrowed through the indexes on the addresses (V14, V22); the outcome's conditions and the client's
        // patterns above still decide.
        seekAddresses(and, params, remoteIps, REMOTE_IP_MESSAGES, "remoteIps");
        seekAddresses(and, params, clientIps, CLIENT_IP_MESSAGES, "clientIps");
        if (c.enqueuedTo() != null) {
            // A recipient's enqueue is a line of its message, not before its first: a bound on the indexed first_seen.
            and.add("m.first_seen < :enqueuedTo");
        }
        if (c.enqueuedFrom() != null) {
            and.add("m.last_seen >= :enqueuedFrom");
        }
        if (c.eventFrom() != null || c.eventTo() != null) {
            // Every event of a message lies between its first and last line: a bound on the indexed first_seen.
            if (c.eventTo() != null) {
                and.add("m.first_seen < :eventTo");
                params.put("eventTo", c.eventTo());
            }
            if (c.eventFrom() != null) {
                and.add("m.last_seen >= :eventFrom");
                params.put("eventFrom", c.eventFrom());
            }
        }
        return and.isEmpty() ? "" : " WHERE " + String.join(" AND ", and);
    }

    /**
     * The conditions on recipients, which must hold for one recipient (and outcome, category and the event range for
     * one outcome of it). {@code row}: those on the recipient's own row, over alias r. {@code exists}: a condition
     * on the message that decides them, or null when the IN of a recipient address decides them alone (then it
     * takes {@code row} into its selects). {@code onOne}: all of them on one recipient, its row r and its attempts;
     * null when the search has none. {@code outcomes}: with an outcome or category, how many of recipient r's
     * outcomes match (its row's last one and its attempt rows); else null.
     */
    private record Recipients(List<String> row, String exists, String onOne, String outcomes) {

        Recipients(List<String> row, String exists, String onOne) {
            this(row, exists, onOne, null);
        }
    }

    /**
     * A recipient's row holds its first enqueue and its last outcome, its attempt rows every other outcome and the
     * enqueues of later legs. An outcome is looked for in both: in the row, and through the message's attempts
     * (attempt_message) joined to their recipient by its key, so that a list message costs one pass over its attempts
     * rather than one per recipient (attempts have no index by recipient). With a recipient address, the address is
     * tested again on the row there: the IN finds the messages through the indexes, this makes the outcome one of a
     * recipient at that address.
     */
    private static Recipients oneRecipient(MessageCriteria c, Map<String, Object> params) {
        List<String> row = new ArrayList<>();
        if (c.deliveredTo() != null && c.deliveredTo().equals(MessageCriteria.NO_DOMAIN)) {
            row.add(NO_DOMAIN);
        } else if (c.deliveredTo() != null) {
            params.put("deliveredTo", c.deliveredTo());
            params.put("deliveredHash", SearchKeys.hash(c.deliveredTo()));
            row.add(DELIVERED_TO);
        }
        if (c.status() != null) {
            row.add("r.status IN (:statuses)");
            params.put("statuses", c.statuses());
        }
        if (c.attempts() != null) {
            row.add("r.status IN ('delivered', 'bounced') AND "
                    + (c.attempts() >= 10 ? "r.attempts >= 10" : "r.attempts = :attempts"));
            params.put("attempts", c.attempts());
        }
        if (c.delay() != null) {
            row.add("r.status = 'delivered' AND r.delay_seconds >= :delayFrom AND r.delay_seconds < :delayTo");
            params.put("delayFrom", c.delay()[0]);
            params.put("delayTo", c.delay()[1]);
        }
        // The time the Queue page ages a waiting recipient from: its enqueue, or its message's first line when the log
        // does not show the enqueue (QueueQueries).
        String enqueued = "COALESCE(r.enqueued, (SELECT f.first_seen FROM message f WHERE f.id = r.message_ref))";
        if (c.enqueuedFrom() != null) {
            row.add(enqueued + " >= :enqueuedFrom");
            params.put("enqueuedFrom", c.enqueuedFrom());
        }
        if (c.enqueuedTo() != null) {
            row.add(enqueued + " < :enqueuedTo");
            params.put("enqueuedTo", c.enqueuedTo());
        }
        if (c.client() != null) {
            // The E line's connection information as stored, helo (rdns [ip]): no column of its own holds the
            // address or the name, so the patterns find them in it (RemoteMatch.sourcePatterns).
            row.add("(" + clientLike("r.enqueue_source", c.client(), params) + ")");
        }
        // The remote system is an outcome's (the server it was delivered to, deferred or refused by), so that it
        // holds for the same outcome as outcome, category, channel and the event range.
        boolean outcome = c.outcome() != null || c.category() != null || c.remote() != null;
        // What the recipient's own row must say (its last outcome, or its channels), or an attempt row instead.
        List<String> inRow = new ArrayList<>();
        List<String> inAttempt = new ArrayList<>();
        if (outcome) {
            if (c.outcome() != null) {
                // A relay channel's hand-off is a D that is no delivery, as the attempts, the message page and the
                // hourly counts have it: the write path marks it on its row (Correlator.handOffs, V15).
                boolean handOff = c.outcome().equals(Outcomes.HAND_OFF);
                String logged = handOff ? "delivered" : c.outcome();
                inRow.add("LEFT(r.last_code, 1) IN (:outcomeCodes)");
                inAttempt.add("a.outcome = :outcome");
                params.put("outcome", logged);
                params.put("outcomeCodes", OUTCOME_CODES.get(logged));
                if (logged.equals("delivered")) {
                    inRow.add(handOff ? "r.last_hand_off = TRUE" : "r.last_hand_off IS NULL");
                    inAttempt.add(handOff ? "a.hand_off = TRUE" : "a.hand_off IS NULL");
                }
            }
            if (c.category() != null) {
                inRow.add("r.last_category = :category");
                inAttempt.add("a.category = :category");
                params.put("category", c.category());
            }
            if (c.remote() != null) {
                inRow.add(remote(c.remote(), "r.last_remote_host", "r.last_remote_ip", params));
                // a later leg's enqueue (an attempt row with code E) is no outcome, whatever its source system
                inAttempt.add("a.outcome <> 'enqueued' AND " + remote(c.remote(), "a.remote_host", "a.remote_ip",
                        params));
            }
            if (c.channel() != null) {
                inRow.add("LOWER(r.last_channel) = :channel");
                inAttempt.add("LOWER(a.channel) = :channel");
            }
            if (c.eventFrom() != null) {
                inRow.add("r.last_time >= :eventFrom");
                inAttempt.add("a.time >= :eventFrom");
            }
            if (c.eventTo() != null) {
                inRow.add("r.last_time < :eventTo");
                inAttempt.add("a.time < :eventTo");
            }
        } else {
            if (c.channel() != null) {
                inRow.add("(LOWER(r.source_channel) = :channel OR LOWER(r.destination_channel) = :channel "
                        + "OR LOWER(r.last_channel) = :channel)");
                inAttempt.add("(LOWER(a.channel) = :channel OR LOWER(a.destination) = :channel)");
            }
            // The recipient's own time, as the chart of recipients by outcome counts it (Rollups): its final outcome,
            // or its enqueue while it has none, or the message's first line when the log does not show that either.
            String time = "COALESCE(r.final_time, r.enqueued, (SELECT f.first_seen FROM message f "
                    + "WHERE f.id = r.message_ref))";
            if (c.eventFrom() != null) {
                row.add(time + " >= :eventFrom");
            }
            if (c.eventTo() != null) {
                row.add(time + " < :eventTo");
            }
        }
        if (c.channel() != null) {
            // In lower case (SearchForm), against the columns as logged: a log may write TCP_LOCAL as configured.
            // No index is on a channel column (the other conditions and the message's EXISTS narrow first), so
            // LOWER() costs a call per row looked at and no index.
            params.put("channel", c.channel());
        }
        List<String> recipient = new ArrayList<>(row);
        if (c.recipient() != null) {
            recipient.add(atAddress(c.recipient()));
        }
        List<String> onOne = new ArrayList<>(recipient);
        if (!inRow.isEmpty()) {
            // an outcome in the row or in an attempt: the recipient counts once however many of them match
            onOne.add("(" + String.join(" AND ", inRow) + " OR EXISTS (SELECT 1 FROM attempt a "
                    + "WHERE a.message_ref = r.message_ref AND a.recipient_ref = r.id AND "
                    + String.join(" AND ", inAttempt) + "))");
        }
        String one = onOne.isEmpty() ? null : String.join(" AND ", onOne);
        if (inRow.isEmpty()) {
            if (c.recipient() != null || c.deliveredTo() != null || row.isEmpty()) {
                return new Recipients(row, null, one);
            }
            if (row.size() == 1 && c.status() != null) {
                // the message's own status is its most alarming recipient's: a cheap first test
                return new Recipients(row, "(m.status IN (:statuses) OR EXISTS (SELECT 1 FROM recipient r "
                        + "WHERE r.message_ref = m.id AND r.status IN (:statuses)))", one);
            }
            return new Recipients(row, "EXISTS (SELECT 1 FROM recipient r WHERE r.message_ref = m.id AND "
                    + String.join(" AND ", row) + ")", one);
        }
        // A message with no recipient of the status cannot match: the cheap test of the message's own status and
        // one look at its recipients first keep most messages from the outcome's two EXISTS below (status=deferred
        // with channel=tcp_local, 1M entries: 330,000 rows read without it, 130,000 with it, as before).
        String first = c.status() == null ? "" : "(m.status IN (:statuses) OR EXISTS (SELECT 1 FROM recipient s "
                + "WHERE s.message_ref = m.id AND s.status IN (:statuses))) AND ";
        List<String> withRow = new ArrayList<>(recipient);
        withRow.addAll(inRow);
        List<String> withAttempt = new ArrayList<>(inAttempt);
        withAttempt.addAll(recipient);
        // The outcomes as the charts of failure reasons, destinations and deliveries per channel count them (Rollups:
        // every outcome in the hour of its own time, on its own channel): the row's last outcome is not also an
        // attempt row (MessageStore deletes that row when an outcome becomes the last), so each is counted once.
        // (A channel without an outcome is a recipient's channel, not an outcome's: no count then.)
        String outcomes = !outcome ? null : "(CASE WHEN " + String.join(" AND ", inRow) + " THEN 1 ELSE 0 END + "
                + "(SELECT COUNT(*) FROM attempt a WHERE a.message_ref = r.message_ref AND a.recipient_ref = r.id AND "
                + String.join(" AND ", inAttempt) + "))";
        return new Recipients(row, first + "(EXISTS (SELECT 1 FROM recipient r WHERE r.message_ref = m.id AND "
                + String.join(" AND ", withRow) + ") OR EXISTS (SELECT 1 FROM attempt a JOIN recipient r "
                + "ON r.id = a.recipient_ref WHERE a.message_ref = m.id AND " + String.join(" AND ", withAttempt)
                + "))", one, outcomes);
    }

    /**
     * Recipient r at {@code a}, its original or its active address, bound as :recipient ({@link #bind}): the search's
     * test (also where it goes by time, recipientsByTime), and the message page's for the recipients it shows
     * (RecipientSlice.address), so that all agree.
     */
    private static String atAddress(AddressMatch a) {
        return switch (a.kind()) {
            case EXACT -> "(r.address_search = :recipient OR r.active_search = :recipient)";
            case PREFIX -> "(r.address_search LIKE :recipient ESCAPE '!' "
                    + "OR r.active_search LIKE :recipient ESCAPE '!')";
            case DOMAIN -> "(r.domain = :recipient OR r.active_domain = :recipient)";
        };
    }

    /**
     * How many recipients of each of {@code messages} meet the search's conditions on recipients, all of them on the
     * same recipient as the search counts them: the "1 of 8" of a search result's row. One statement for a page of
     * rows, through the index on message_ref; empty when the search has no such conditions (then every recipient
     * matches) and for no messages. A message without a matching recipient (an import between the page and this) is
     * left out.
     */
    public Map<Long, Long> matchingRecipients(MessageCriteria c, List<Long> messages) {
        Map<String, Object> params = new HashMap<>();
        Recipients conditions = oneRecipient(c, params);
        if (conditions.onOne() == null || messages.isEmpty()) {
            return Map.of();
        }
        // the parameters where() binds for the conditions on the message that oneRecipient's refer to as well
        if (c.recipient() != null) {
            params.put("recipient", bind(c.recipient()));
        }
        if (c.eventFrom() != null) {
            params.put("eventFrom", c.eventFrom());
        }
        if (c.eventTo() != null) {
            params.put("eventTo", c.eventTo());
        }
        params.put("messages", messages.toArray(new Long[0]));
        Map<Long, Long> counts = new HashMap<>();
        jdbc.sql("SELECT r.message_ref, COUNT(*) FROM recipient r WHERE r.message_ref = ANY(:messages) AND "
                        + conditions.onOne() + " GROUP BY r.message_ref").params(params)
                .query(rs -> {
                    counts.put(rs.getLong(1), rs.getLong(2));
                });
        return counts;
    }

    /**
     * An outcome's remote system: its address, its host name, or a host name in a domain. In any case (an address in
     * lower case too: IPv6 may be logged in capitals). Read row by row: where() narrows an address through its
     * indexes.
     */
    private static String remote(RemoteMatch m, String host, String ip, Map<String, Object> params) {
        params.put("remote", m.value());
        return switch (m.kind()) {
            case IP -> "LOWER(" + ip + ") = :remote";
            case HOST -> "LOWER(" + host + ") = :remote";
            case DOMAIN -> {
                params.put("remoteSuffix", "%." + m.escaped());
                yield "(LOWER(" + host + ") = :remote OR LOWER(" + host + ") LIKE :remoteSuffix ESCAPE '!')";
            }
        };
    }

    /** The domain a recipient was delivered to (MessageCriteria.deliveredTo), on its row r. */
    private static final String DELIVERED_TO = "COALESCE(r.active_domain, r.domain) = :deliveredTo";

    /** A recipient delivered to no domain (MessageCriteria.NO_DOMAIN): the Queue page's "(no domain)". */
    private static final String NO_DOMAIN = "r.domain IS NULL AND r.active_domain IS NULL";

    /** The action letters of each outcome a search can ask for (Outcomes), for a recipient row's last_code. */
    private static final Map<String, List<String>> OUTCOME_CODES = Map.of("delivered", List.of("D"),
            "deferred", List.of("Q", "Z"), "bounced", List.of("R", "K"), "rejected", List.of("J"));

    /** The messages with an outcome from the remote addresses :remoteIps as logged, through the indexes of V14. */
    static final String REMOTE_IP_MESSAGES = "SELECT x.message_ref FROM (SELECT r.message_ref "
            + byCode("recipient r", "r.last_remote_ip IN (:remoteIps)")
            + " UNION SELECT a.message_ref FROM attempt a WHERE a.remote_ip IN (:remoteIps)) x";

    /** Beyond this many addresses a search reads the rows of its range rather than seek each address. */
    static final int REMOTE_ADDRESSES = 256;

    /**
     * The addresses, as logged, of every stored outcome whose remote system {@code m} matches (a superset: the
     * search's own condition still decides), or null when only reading the rows can tell: a host with an outcome
     * logged without an address, or more addresses than are worth a seek each. An address without letters is itself;
     * an IPv6 address with letters, a host name or a domain is looked up in remote_system (V21), the few distinct
     * (host, address) pairs of the outcomes, compared as the rows are.
     */
    List<String> remoteAddresses(RemoteMatch m) {
        if (m == null) {
            return null;
        }
        if (m.kind() == RemoteMatch.Kind.IP && m.value().equals(m.value().toUpperCase(Locale.ROOT))) {
            return List.of(m.value());
        }
        Map<String, Object> params = new HashMap<>();
        List<String> ips = jdbc.sql("SELECT DISTINCT ip FROM remote_system WHERE " + remote(m, "host", "ip", params))
                .params(params).query(String.class).list();
        // '': an outcome of a matching host without an address, which no index of addresses finds
        return ips.contains("") || ips.size() > REMOTE_ADDRESSES ? null : ips;
    }

    /**
     * Limits a search to the messages {@code messages} selects by the addresses {@code ips} (its parameter
     * {@code param}); none when no stored row has such an address (empty), nothing when only the rows can tell (null).
     */
    private static void seekAddresses(List<String> and, Map<String, Object> params, List<String> ips, String messages,
                                      String param) {
        if (ips == null) {
            return;
        }
        if (ips.isEmpty()) {
            and.add("1 = 0");
        } else {
            and.add("m.id IN (" + messages + ")");
            params.put(param, ips);
        }
    }

    /** The messages with a recipient enqueued from the client addresses :clientIps as logged, through V22's index. */
    static final String CLIENT_IP_MESSAGES = "SELECT r.message_ref "
            + byCode("recipient r", "r.client_ip IN (:clientIps)");

    /**
     * The addresses, as logged, of every stored enqueue whose client {@code m} matches (a superset: the search's own
     * patterns still decide), or null when only reading the rows can tell: a matching client logged without an
     * address, or more addresses than are worth a seek each. An address without letters is itself (an enqueue's
     * text matches it only with that address in its last brackets, which is its client_ip); anything else is looked
     * up in client_system (V22): a host by the host of each client of the log's forms, and by the search's own
     * patterns on the clients kept whole (ClientSystem), so that a client is found exactly when its rows match.
     */
    List<String> clientAddresses(RemoteMatch m) {
        if (m == null || !clientByIndex) {
            return null;
        }
        if (m.kind() == RemoteMatch.Kind.IP && m.value().equals(m.value().toUpperCase(Locale.ROOT))) {
            return List.of(m.value());
        }
        Map<String, Object> params = new HashMap<>();
        String condition;
        if (m.kind() == RemoteMatch.Kind.IP) {
            condition = remote(m, "host", "ip", params);
        } else {
            condition = "(source = '' AND " + remote(m, "host", "ip", params) + ") OR (source <> '' AND ("
                    + clientLike("source", m, params) + "))";
        }
        List<String> ips = jdbc.sql("SELECT DISTINCT ip FROM client_system WHERE " + condition)
                .params(params).query(String.class).list();
        // '': a matching client without an address, which no index of addresses finds
        return ips.contains("") || ips.size() > REMOTE_ADDRESSES ? null : ips;
    }

    /**
     * {@code column} (an enqueue's connection information, helo (rdns [ip])) matching any of the client's patterns
     * (RemoteMatch.sourcePatterns), in any case: the rows' own test, and client_system's for the texts it keeps whole.
     */
    private static String clientLike(String column, RemoteMatch m, Map<String, Object> params) {
        List<String> likes = m.sourcePatterns();
        List<String> any = new ArrayList<>();
        for (int i = 0; i < likes.size(); i++) {
            any.add("LOWER(" + column + ") LIKE :client" + i + " ESCAPE '!'");
            params.put("client" + i, likes.get(i));
        }
        return String.join(" OR ", any);
    }

    /** FROM the buckets (SearchBuckets) joined to {@code table} ("name alias") on its bucket and a code condition. */
    private static String byCode(String table, String codeCondition) {
        String alias = table.substring(table.indexOf(' ') + 1);
        return "FROM search_bucket b JOIN " + table + " ON " + alias + ".search_bucket = b.bucket AND " + codeCondition;
    }

    /** The index keys of an address match: its code when exact, the range of codes of a prefix, a domain's hash. */
    private static void codes(AddressMatch a, String name, Map<String, Object> params) {
        if (a.kind() == AddressMatch.Kind.EXACT) {
            params.put(name + "Code", SearchKeys.code(a.value()));
        } else if (a.kind() == AddressMatch.Kind.PREFIX) {
            params.put(name + "Low", SearchKeys.low(a.value()));
            params.put(name + "High", SearchKeys.high(a.value()));
        } else {
            params.put(name + "Hash", SearchKeys.hash(a.value()));
        }
    }

    private static String bind(AddressMatch a) {
        return a.kind() == AddressMatch.Kind.PREFIX ? a.likePattern() : a.value();
    }

    private static MessageSummary summary(ResultSet rs) throws SQLException {
        return new MessageSummary(rs.getLong("id"), rs.getString("message_id"), rs.getString("sender"),
                rs.getObject("size", Long.class), SqlTimes.get(rs, "first_seen"), SqlTimes.get(rs, "last_seen"),
                rs.getString("status"), rs.getInt("recipients"));
    }

    // ---- one message ----

    /** The message with all its recipients. */
    public MessageDetail message(long id) {
        return message(id, RecipientSlice.ALL);
    }

    /** The message with the recipients of {@code slice}, in the order they were stored. */
    public MessageDetail message(long id, RecipientSlice slice) {
        MessageRow m = jdbc.sql("SELECT " + SUMMARY_COLUMNS + ", m.approximate, m.original_message_id, "
                        + "m.message_key FROM message m WHERE m.id = :id")
                .param("id", id)
                .query((rs, i) -> new MessageRow(summary(rs), rs.getBoolean("approximate"),
                        rs.getString("original_message_id"),
                        grouping(rs.getBoolean("approximate"), rs.getString("message_key"))))
                .optional()
                .orElseThrow(() -> new MessageNotFoundException("no message with id " + id));

        // A notification names its original as the MTA knew it, but a tool on the way may have folded its case: the
        // links hold in any case, as the search does (meant says which message where ids differ only in case).
        MessageDetail.MessageRef original = m.originalMessageId() == null ? null
                : meant(inAnyCase(m.originalMessageId()), m.originalMessageId());
        List<MessageDetail.Notification> notifications = m.summary().messageId() == null ? List.of()
                : notifications(m.summary().id(), m.summary().messageId());

        Map<String, Long> counts = new HashMap<>();
        // In the same pass over the message's recipients, those bounced with K, on every page: the row's last outcome
        // is the one its status comes from (the page had counted those of the recipients it showed, a hundred at most)
        long[] bouncedWithK = {0};
        jdbc.sql("SELECT status, COUNT(*), SUM(CASE WHEN LEFT(last_code, 1) = 'K' THEN 1 ELSE 0 END) FROM recipient "
                        + "WHERE message_ref = :id GROUP BY status").param("id", id)
                .query(rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                    if ("bounced".equals(rs.getString(1))) {
                        bouncedWithK[0] = rs.getLong(3);
                    }
                });
        Map<String, Long> statuses = new LinkedHashMap<>();
        for (String status : SearchForm.STATUSES) {
            if (counts.containsKey(status)) {
                statuses.put(status, counts.get(status));
            }
        }
        // With an address, the statuses of the recipients at it: what the page's filters by status then count
        Map<String, Long> matching = null;
        if (slice.address() != null) {
            Map<String, Long> at = new HashMap<>();
            jdbc.sql("SELECT r.status, COUNT(*) FROM recipient r WHERE r.message_ref = :id AND "
                            + atAddress(slice.address()) + " GROUP BY r.status")
                    .param("id", id).param("recipient", bind(slice.address()))
                    .query(rs -> {
                        at.put(rs.getString(1), rs.getLong(2));
                    });
            matching = new LinkedHashMap<>();
            for (String status : SearchForm.STATUSES) {
                if (at.containsKey(status)) {
                    matching.put(status, at.get(status));
                }
            }
        }
        Map<String, Long> of = matching == null ? counts : matching;
        long total = slice.status() == null ? of.values().stream().mapToLong(Long::longValue).sum()
                : slice.statuses().stream().mapToLong(status -> of.getOrDefault(status, 0L)).sum();

        var query = jdbc.sql("SELECT * FROM recipient r WHERE r.message_ref = :id"
                        + (slice.status() == null ? "" : " AND r.status IN (:statuses)")
                        + (slice.address() == null ? "" : " AND " + atAddress(slice.address())) + " ORDER BY r.id"
                        + (slice.paged() ? " LIMIT :size OFFSET :offset" : ""))
                .param("id", id);
        if (slice.status() != null) {
            query = query.param("statuses", slice.statuses());
        }
        if (slice.address() != null) {
            query = query.param("recipient", bind(slice.address()));
        }
        if (slice.paged()) {
            query = query.param("size", slice.size()).param("offset", (long) slice.page() * slice.size());
        }
        List<RecipientRow> recipients = query.query((rs, i) -> recipientRow(rs)).list();
        Map<Long, List<AttemptRow>> attemptsOf = new HashMap<>();
        boolean some = slice.paged() || slice.filtered();
        if (!some || !recipients.isEmpty()) {
            var attempts = jdbc.sql("SELECT * FROM attempt WHERE message_ref = :id"
                    + (some ? " AND recipient_ref IN (:recipients)" : "") + " ORDER BY time, file_id, line")
                    .param("id", id);
            if (some) {
                attempts = attempts.param("recipients", recipients.stream().map(RecipientRow::id).toList());
            }
            for (AttemptRow a : attempts.query((rs, i) -> attemptRow(rs)).list()) {
                attemptsOf.computeIfAbsent(a.recipientRef(), k -> new ArrayList<>()).add(a);
            }
        }

        Map<Long, String> fileNames = fileNames(id);
        List<MessageDetail.Recipient> out = new ArrayList<>(recipients.size());
        for (RecipientRow r : recipients) {
            out.add(recipient(r, attemptsOf.getOrDefault(r.id(), List.of()), fileNames));
        }
        List<MessageDetail.LogFileRef> files = new ArrayList<>();
        fileNames.forEach((fileId, name) -> files.add(new MessageDetail.LogFileRef(fileId, name)));

        MessageSummary s = m.summary();
        return new MessageDetail(s.id(), s.messageId(), s.sender(), s.size(), s.firstSeen(), s.lastSeen(), s.status(),
                m.approximate(), m.grouping(), m.originalMessageId(), original, notifications, files, statuses, matching,
                total, out, bouncedWithK[0]);
    }

    /**
     * How a message's entries were grouped, from its key (FileIngest.info): by Message-ID; without one by sender,
     * original recipient and day ({@code ~~...}); or, in a database written by an earlier release from a log with
     * queue file names, by queue file and sender ({@code ~stem sender}).
     */
    private static String grouping(boolean approximate, String key) {
        if (!approximate) {
            return MessageDetail.BY_MESSAGE_ID;
        }
        return key.startsWith("~~") ? MessageDetail.BY_SENDER_RECIPIENT_AND_DAY : MessageDetail.BY_QUEUE_FILE;
    }

    /**
     * The log files of the whole message's entries, by id: the header's "Log files" (and the API's {@code files}) are
     * the message's, not those of the page of recipients shown, which named one file of a message logged across a
     * rotation. The names of the entries shown are among them.
     */
    private Map<Long, String> fileNames(long message) {
        Map<Long, String> names = new LinkedHashMap<>();
        // A followed directory's file whose name another source's files have too (two MTA hosts' logs mounted side
        // by side, each with a mail.log_current) is named with its directory, so that the page tells which host a
        // line comes from.
        jdbc.sql("SELECT f.id, f.name, s.name, CASE WHEN s.kind = 'tail' AND EXISTS (SELECT 1 FROM log_file o "
                        + "WHERE o.name = f.name AND o.source_id <> f.source_id) THEN 1 ELSE 0 END "
                        + "FROM log_file f JOIN log_source s ON s.id = f.source_id WHERE f.id IN ("
                        + "SELECT enqueue_file FROM recipient WHERE message_ref = :id "
                        + "UNION SELECT last_file FROM recipient WHERE message_ref = :id "
                        + "UNION SELECT file_id FROM attempt WHERE message_ref = :id) "
                        + "ORDER BY f.id").param("id", message)
                .query(rs -> {
                    names.put(rs.getLong(1), rs.getInt(4) == 1
                            ? rs.getString(3) + "/" + rs.getString(2) : rs.getString(2));
                });
        return names;
    }

    /**
     * A recipient's legs and attempts: the recipient row holds its first enqueue and its last outcome, the attempt
     * rows the enqueues of later legs (code E) and every other outcome.
     */
    private MessageDetail.Recipient recipient(RecipientRow r, List<AttemptRow> rows, Map<Long, String> files) {
        List<Timed<MessageDetail.Leg>> legs = new ArrayList<>();
        List<Timed<AttemptRow>> outcomes = new ArrayList<>();
        if (r.enqueued() != null) {
            Remote client = Remote.ofSource(r.enqueueSource());
            legs.add(new Timed<>(ordered(r.enqueued(), r.enqueueShift()), r.enqueueFile(), r.enqueueLine(),
                    new MessageDetail.Leg(r.enqueued(),
                    r.sourceChannel(), r.destinationChannel(), r.queueFile(), name(files, r.enqueueFile()),
                    r.enqueueFile(), r.enqueueLine(), client == null ? null : client.host(),
                    client == null ? null : client.ip())));
        }
        for (AttemptRow a : rows) {
            if (a.code().startsWith("E")) {
                // a later leg's remote system was read from its line when it was stored (parse.Remote)
                legs.add(new Timed<>(a.orderTime(), a.fileId(), a.line(), new MessageDetail.Leg(a.time(), a.channel(),
                        a.destination(), a.queueFile(), name(files, a.fileId()), a.fileId(), a.line(), a.remoteHost(),
                        a.remoteIp())));
            } else {
                outcomes.add(new Timed<>(a.orderTime(), a.fileId(), a.line(), a));
            }
        }
        if (r.last() != null) {
            AttemptRow l = r.last();
            outcomes.add(new Timed<>(l.orderTime(), l.fileId(), l.line(), l));
        }
        legs.sort(Timed.ORDER);
        outcomes.sort(Timed.ORDER);

        // Which D handed the recipient on is what the write path stored on its row (Correlator.handOffs), which the
        // search and the hourly counts read too: deciding it again here by the relay channels configured now made the
        // page disagree with them after a change of mailtrail.ingest.relay-channels. The legs only name where each
        // hand-off went: the n-th hand-off on a channel is its n-th enqueue out of it, as the engine paired them.
        Map<String, ArrayDeque<String>> onwards = new HashMap<>(2);
        for (Timed<MessageDetail.Leg> l : legs) {
            if (l.value().from() != null) {
                String to = l.value().to();
                onwards.computeIfAbsent(l.value().from(), k -> new ArrayDeque<>(1)).add(to == null ? "" : to);
            }
        }
        List<MessageDetail.Attempt> attempts = new ArrayList<>(outcomes.size());
        // Gaps as it happened: in order time, which differs from the logged time in the hour the MTA's clocks repeat.
        LocalDateTime previous = ordered(r.enqueued(), r.enqueueShift());
        for (Timed<AttemptRow> t : outcomes) {
            AttemptRow a = t.value();
            Double gap = previous == null ? null : Duration.between(previous, t.time()).toMillis() / 1000.0;
            String handedOnTo = a.handOff() ? handedOnTo(onwards, a.channel()) : null;
            attempts.add(new MessageDetail.Attempt(a.time(), a.channel(), a.code(), a.outcome(), a.handOff(),
                    handedOnTo, a.queueAttempts(),
                    a.diagnostic(), a.category(), a.permanent(), a.remoteHost(), a.remoteIp(), a.smtpCode(),
                    name(files, a.fileId()), a.fileId(), a.line(), gap));
            previous = t.time();
        }
        return new MessageDetail.Recipient(r.recipient(), r.originalRecipient(), r.status(), r.deferrals(),
                r.attempts(), r.enqueued(), r.finalTime(), r.delaySeconds(),
                legs.stream().map(Timed::value).toList(), attempts);
    }

    /** Where a stored hand-off on {@code channel} went: the next enqueue out of it, "" when none names it. */
    private static String handedOnTo(Map<String, ArrayDeque<String>> onwards, String channel) {
        ArrayDeque<String> to = onwards.get(channel);
        String next = to == null ? null : to.poll();
        return next == null ? "" : next;
    }

    private static String name(Map<Long, String> files, Long id) {
        return id == null ? null : files.get(id);
    }

    /**
     * Whether the log named the message's queue files, which then told apart the enqueues of one address (Correlator,
     * for a message grouped by sender, original recipient and day): a queue file on any of its enqueues, or queue
     * tries on any of its outcomes, on every page of its recipients. The page had looked at the recipients shown
     * only, and of a message with one recipient refused at SMTP (J, which names no queue file) said, filtered to
     * it, that the log named none.
     */
    boolean namesQueueFiles(long id) {
        return jdbc.sql("SELECT CASE WHEN EXISTS (SELECT 1 FROM recipient WHERE message_ref = :id "
                + "AND (queue_file IS NOT NULL OR last_queue_attempts IS NOT NULL)) "
                + "OR EXISTS (SELECT 1 FROM attempt WHERE message_ref = :id AND (code LIKE 'E%' AND queue_file IS NOT "
                + "NULL OR code NOT LIKE 'E%' AND queue_attempts IS NOT NULL)) THEN 1 ELSE 0 END")
                .param("id", id).query(Integer.class).single() == 1;
    }

    /** What an outcome's code means (its first letter), for the last outcome kept in the recipient row. */
    static String outcome(String code) {
        return code.isEmpty() ? "" : Outcomes.of(code.charAt(0));
    }

    // ---- rows ----

    /**
     * Of the messages a search by {@code ids} finds in any case, those whose Message-ID is one of them in exactly its
     * case, at most {@code limit}: ids that differ only in case are two messages, and the one typed is meant.
     */
    List<Long> inTheirCase(List<String> ids, int limit) {
        return jdbc.sql("SELECT id FROM message WHERE key_hash IN (:hashes) AND message_id IN (:ids) ORDER BY id "
                        + "FETCH FIRST " + limit + " ROWS ONLY")
                .param("hashes", ids.stream().map(SearchKeys::idHash).distinct().toList()).param("ids", ids)
                .query(Long.class).list();
    }

    /** The messages whose Message-ID is {@code id} in any case, in the order they were stored. */
    private List<MessageDetail.MessageRef> inAnyCase(String id) {
        return jdbc.sql("SELECT id, message_id FROM message WHERE key_hash = :hash "
                        + "AND LOWER(message_id) = LOWER(:id) ORDER BY id")
                .param("hash", SearchKeys.idHash(id)).param("id", id)
                .query((rs, i) -> new MessageDetail.MessageRef(rs.getLong(1), rs.getString(2)))
                .list();
    }

    /**
     * Of the messages whose Message-ID is {@code id} in any case, the one a reference to {@code id} means: ids that
     * differ only in case are two messages to the MTA, and the one in the same case is meant; else the first stored.
     */
    private static MessageDetail.MessageRef meant(List<MessageDetail.MessageRef> inAnyCase, String id) {
        return inAnyCase.stream().filter(r -> r.messageId().equals(id)).findFirst()
                .orElse(inAnyCase.isEmpty() ? null : inAnyCase.get(0));
    }

    /** The notifications about message {@code id}: those whose original (in any case) {@link #meant} it. */
    private List<MessageDetail.Notification> notifications(long id, String messageId) {
        List<Map.Entry<String, MessageDetail.Notification>> named = jdbc.sql("SELECT id, message_id, first_seen, "
                        + "original_message_id, status FROM message WHERE original_hash = :hash "
                        + "AND LOWER(original_message_id) = LOWER(:messageId) ORDER BY first_seen, id")
                .param("hash", SearchKeys.idHash(messageId)).param("messageId", messageId)
                .query((rs, i) -> Map.entry(rs.getString(4), new MessageDetail.Notification(rs.getLong(1),
                        rs.getString(2), SqlTimes.get(rs, "first_seen"), rs.getString(5))))
                .list();
        List<MessageDetail.Notification> out = new ArrayList<>(named.size());
        List<MessageDetail.MessageRef> twins = null; // read only for an original named in another case
        for (Map.Entry<String, MessageDetail.Notification> n : named) {
            if (!n.getKey().equals(messageId)) {
                twins = twins == null ? inAnyCase(messageId) : twins;
                MessageDetail.MessageRef meant = meant(twins, n.getKey());
                if (meant == null || meant.id() != id) {
                    continue;
                }
            }
            out.add(n.getValue());
        }
        return out;
    }

    private record MessageRow(MessageSummary summary, boolean approximate, String originalMessageId,
                              String grouping) {
    }

    private record RecipientRow(long id, String recipient, String originalRecipient, String status, int attempts,
                                int deferrals, LocalDateTime finalTime, Long delaySeconds, LocalDateTime enqueued,
                                String sourceChannel, String destinationChannel, String queueFile, Long enqueueFile,
                                Long enqueueLine, Integer enqueueShift, String enqueueSource, Long lastFile,
                                AttemptRow last) {
    }

    private record AttemptRow(long recipientRef, LocalDateTime time, String code, String outcome, String channel,
                              String destination, String queueFile, Integer queueAttempts, String diagnostic,
                              String category, Boolean permanent, String remoteHost, String remoteIp,
                              Integer smtpCode, Long fileId, Long line, Integer shift, boolean handOff) {

        LocalDateTime orderTime() {
            return ordered(time, shift);
        }
    }

    /**
     * A logged time moved by its ordering shift (seconds; NULL for none): the second pass of the hour that repeats when
     * the MTA's clocks go back comes after the first (set when the file was read, see ingest.ClockSteps).
     */
    private static LocalDateTime ordered(LocalDateTime time, Integer shift) {
        return time == null || shift == null || shift == 0 ? time : time.plusSeconds(shift);
    }

    /** Something in log order: time, then file and line for entries logged in the same hundredth. */
    private record Timed<T>(LocalDateTime time, Long fileId, Long line, T value) {
        static final Comparator<Timed<?>> ORDER = Comparator.<Timed<?>, LocalDateTime>comparing(Timed::time)
                .thenComparing(Timed::fileId, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparing(Timed::line, Comparator.nullsFirst(Comparator.naturalOrder()));
    }

    private static RecipientRow recipientRow(ResultSet rs) throws SQLException {
        long id = rs.getLong("id");
        LocalDateTime lastTime = SqlTimes.get(rs, "last_time");
        AttemptRow last = null;
        if (lastTime != null) {
            String code = rs.getString("last_code");
            last = new AttemptRow(id, lastTime, code, outcome(code), rs.getString("last_channel"), null,
                    lastQueueFile(rs), rs.getObject("last_queue_attempts", Integer.class),
                    rs.getString("last_diagnostic"), rs.getString("last_category"),
                    rs.getObject("last_permanent", Boolean.class), rs.getString("last_remote_host"),
                    rs.getString("last_remote_ip"), rs.getObject("last_smtp_code", Integer.class),
                    rs.getObject("last_file", Long.class), rs.getObject("last_line", Long.class),
                    rs.getObject("last_shift", Integer.class), handOff(rs, "last_hand_off"));
        }
        return new RecipientRow(id, rs.getString("recipient"), rs.getString("original_recipient"),
                rs.getString("status"), rs.getInt("attempts"), rs.getInt("deferrals"), SqlTimes.get(rs, "final_time"),
                rs.getObject("delay_seconds", Long.class), SqlTimes.get(rs, "enqueued"), rs.getString("source_channel"),
                rs.getString("destination_channel"), rs.getString("queue_file"),
                rs.getObject("enqueue_file", Long.class), rs.getObject("enqueue_line", Long.class),
                rs.getObject("enqueue_shift", Integer.class), rs.getString("enqueue_source"),
                rs.getObject("last_file", Long.class), last);
    }

    /** The write path stores NULL when the last outcome's queue file is the enqueue's, and '' when it has none. */
    private static String lastQueueFile(ResultSet rs) throws SQLException {
        String last = rs.getString("last_queue_file");
        return last == null ? rs.getString("queue_file") : last.isEmpty() ? null : last;
    }

    private static AttemptRow attemptRow(ResultSet rs) throws SQLException {
        return new AttemptRow(rs.getLong("recipient_ref"), SqlTimes.get(rs, "time"), rs.getString("code"),
                rs.getString("outcome"), rs.getString("channel"), rs.getString("destination"),
                rs.getString("queue_file"), rs.getObject("queue_attempts", Integer.class), rs.getString("diagnostic"),
                rs.getString("category"), rs.getObject("permanent", Boolean.class), rs.getString("remote_host"),
                rs.getString("remote_ip"), rs.getObject("smtp_code", Integer.class), rs.getLong("file_id"),
                rs.getLong("line"), rs.getObject("order_shift", Integer.class), handOff(rs, "hand_off"));
    }

    /** The write path stores TRUE for a relay channel's hand-off and NULL for every other outcome (V15). */
    private static boolean handOff(ResultSet rs, String column) throws SQLException {
        return Boolean.TRUE.equals(rs.getObject(column, Boolean.class));
    }
}
