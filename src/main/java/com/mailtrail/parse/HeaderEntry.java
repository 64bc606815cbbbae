package com.mailtrail.parse;

import java.time.LocalDateTime;

/** A header line logged by LOG_HEADER / logheader: {@code DATE TIME > Name: value}, or an XML {@code he} element. */
public record HeaderEntry(
        LocalDateTime time,
        long line,
        long offset,
        boolean truncated,
        String node,
        String processId,
        String name,
        String value) implements Entry {
}
