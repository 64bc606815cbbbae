package com.mailtrail.message;

import java.time.LocalDateTime;
import java.util.List;

/**
 * What to search messages for; null means "any". Built from a {@link SearchForm}, which checks every value.
 *
 * @param messageIds the Message-ID with angle brackets and, when given without them, as typed; matched in any case
 * @param from       first_seen at or after (inclusive)
 * @param to         first_seen before (exclusive)
 * @param status     a recipient status key: delivered, bounced, deferred, queued, rejected; or waiting (deferred or
 *                   queued), see {@link #statuses()}
 * @param channel    a channel a recipient passed through or was attempted on; with an outcome or category, the
 *                   channel of that outcome. In lower case, matched against the channels as logged in any case
 * @param category   the failure category of an outcome of a recipient
 * @param page       0-based
 * @param ascending  oldest first; the default is newest first
 * @param source     only messages with entries read from this log source (an upload, an import, a tailed directory)
 * @param attempts   a recipient delivered or bounced after this many outcomes (10: ten or more)
 * @param delay      a recipient delivered after [from, to) seconds
 * @param outcome    an outcome of a recipient: delivered (not a relay channel's hand-off, see RelayHops), deferred,
 *                   bounced, rejected, handoff (a relay channel's D that handed it on: stored as such on its row)
 * @param eventFrom  the matching outcome (or, without outcome and category, the recipient's final outcome, or its
 *                   enqueue while it has none) at or after (inclusive)
 * @param eventTo    ... before (exclusive)
 * @param deliveredTo the domain a recipient was delivered to: its active address's where that is a mail domain, else
 *                   its original address's (recipient.active_domain, else recipient.domain), as the Queue page and
 *                   the failing destinations count; a list member elsewhere is not delivered to the list's domain.
 *                   {@link #NO_DOMAIN} for a recipient without either (the Queue page's "(no domain)" row)
 * @param enqueuedFrom a recipient enqueued at or after (its first enqueue, or the message's first line when the log
 *                   does not show it): the time the Queue page ages a waiting recipient from
 * @param enqueuedTo ... before (exclusive)
 * @param remote     the remote system an outcome of a recipient was with (the server it was delivered to, deferred
 *                   or refused by): its host name or IP address, the last outcome's or an earlier one's
 * @param client     the remote system a recipient's enqueue came from (the SMTP client that handed it in), as its
 *                   E line's connection information names it (recipient.enqueue_source)
 *
 * <p>Every condition on recipients (recipient, deliveredTo, status, channel, category, attempts, delay, outcome, the
 * event range, the enqueue range, remote and client) must hold for one and the same recipient, and outcome, category,
 * remote and the event range for one outcome of it:
 * what the dashboard's bars and the Queue page's cells count.
 */
public record MessageCriteria(List<String> messageIds, AddressMatch recipient, AddressMatch sender,
                              LocalDateTime from, LocalDateTime to, String status, String channel, String category,
                              int page, int size, boolean ascending, Long source,
                              Integer attempts, long[] delay, String outcome, LocalDateTime eventFrom,
                              LocalDateTime eventTo, String deliveredTo, LocalDateTime enqueuedFrom,
                              LocalDateTime enqueuedTo, RemoteMatch remote, RemoteMatch client) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;
    /**
     * The deliveredTo of a recipient whose addresses have no domain (postmaster, or nothing after the @): no domain
     * is empty, and a domain as stored never is (MessageStore.domain).
     */
    public static final String NO_DOMAIN = "";

    public MessageCriteria {
        messageIds = messageIds == null ? null : List.copyOf(messageIds);
    }

    /** A search by neither remote nor client system, as the searches written before those existed build it. */
    public MessageCriteria(List<String> messageIds, AddressMatch recipient, AddressMatch sender,
                           LocalDateTime from, LocalDateTime to, String status, String channel, String category,
                           int page, int size, boolean ascending, Long source,
                           Integer attempts, long[] delay, String outcome, LocalDateTime eventFrom,
                           LocalDateTime eventTo, String deliveredTo, LocalDateTime enqueuedFrom,
                           LocalDateTime enqueuedTo) {
        this(messageIds, recipient, sender, from, to, status, channel, category, page, size, ascending, source,
                attempts, delay, outcome, eventFrom, eventTo, deliveredTo, enqueuedFrom, enqueuedTo, null, null);
    }

    /** Everything, newest first, the first page. */
    public static MessageCriteria all() {
        return new MessageCriteria(null, null, null, null, null, null, null, null, 0, DEFAULT_SIZE, false, null, null,
                null, null, null, null, null, null, null);
    }

    /** The same search, another page. */
    MessageCriteria page(int page, int size) {
        return new MessageCriteria(messageIds, recipient, sender, from, to, status, channel, category, page, size,
                ascending, source, attempts, delay, outcome, eventFrom, eventTo, deliveredTo,
                enqueuedFrom, enqueuedTo, remote, client);
    }

    /** The recipient statuses the status stands for: itself, or for waiting deferred and queued; null when not given. */
    List<String> statuses() {
        if (status == null) {
            return null;
        }
        return status.equals(SearchForm.WAITING) ? List.of("deferred", "queued") : List.of(status);
    }

    long offset() {
        return (long) page * size;
    }
}
