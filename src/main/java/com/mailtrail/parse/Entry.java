package com.mailtrail.parse;

import java.time.LocalDateTime;

/**
 * One entry of the MTA log: a message event, a connection event or a logged header line.
 * {@code line} is the 1-based line number of the entry's first physical line, {@code offset} the byte offset of
 * that line in its file, so that every stored event can point back at the raw text.
 */
public sealed interface Entry permits MessageEntry, ConnectionEntry, HeaderEntry {

    LocalDateTime time();

    long line();

    long offset();

    /** The line was longer than {@link LogReader#MAX_LINE} bytes and only its start was parsed. */
    boolean truncated();
}
