package com.mailtrail.message;

import java.time.LocalDateTime;
import java.util.List;

/**
 * What to search messages for; null means "any". Built from a {@link SearchForm}, which checks every value.
 *
 * @param messageIds the Message-ID as stored (with angle brackets) and, when given without them, as typed
 * @param from       first_seen at or after (inclusive)
 * @param to         first_seen before (exclusive)
 * @param status     a recipient status key: delivered, bounced, deferred, queued, rejected
 * @param channel    a channel any recipient passed through or was attempted on
 * @param category   a failure category key of any recipient or attempt
 * @param page       0-based
 * @param ascending  oldest first; the default is newest first
 * @param source     only messages with entries read from this log source (an upload, an import, a tailed directory)
 * @param attempts   a recipient delivered or bounced after this many outcomes (10: ten or more)
 * @param delay      a recipient delivered after [from, to) seconds
 */
public record MessageCriteria(List<String> messageIds, AddressMatch recipient, AddressMatch sender,
                              LocalDateTime from, LocalDateTime to, String status, String channel, String category,
                              int page, int size, boolean ascending, Long source,
                              Integer attempts, long[] delay) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;

    public MessageCriteria {
        messageIds = messageIds == null ? null : List.copyOf(messageIds);
    }

    /** Everything, newest first, the first page. */
    public static MessageCriteria all() {
        return new MessageCriteria(null, null, null, null, null, null, null, null, 0, DEFAULT_SIZE, false, null, null, null);
    }

    long offset() {
        return (long) page * size;
    }
}
