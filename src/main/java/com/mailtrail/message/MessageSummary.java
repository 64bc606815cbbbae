package com.mailtrail.message;

import java.time.LocalDateTime;

/** A message as a search result lists it. {@code status} is the most alarming status of its recipients. */
public record MessageSummary(long id, String messageId, String sender, Long size, LocalDateTime firstSeen,
                             LocalDateTime lastSeen, String status, int recipients) {
}
