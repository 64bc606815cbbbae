package com.mailtrail.ingest;

import java.time.LocalDateTime;

/**
 * The message-level facts of one stored or incoming message. {@code key} groups entries into a message: the
 * Message-ID, or without one {@code ~~sender original day} (approximate; a database written before this release
 * also has {@code ~stem sender}, grouped by queue file).
 */
record MessageInfo(String key, String messageId, boolean approximate, String originalMessageId, String sender,
                   Long size, LocalDateTime firstSeen, LocalDateTime lastSeen) {

    /** Combines two views of the same message: earliest first sight, latest last sight, known values win. */
    MessageInfo merge(MessageInfo o) {
        return new MessageInfo(key, messageId != null ? messageId : o.messageId, approximate && o.approximate,
                originalMessageId != null ? originalMessageId : o.originalMessageId,
                sender.isEmpty() && o.sender != null ? o.sender : sender,
                size != null && (o.size == null || size >= o.size) ? size : o.size,
                firstSeen.isBefore(o.firstSeen) ? firstSeen : o.firstSeen,
                lastSeen.isAfter(o.lastSeen) ? lastSeen : o.lastSeen);
    }
}
