package com.mailtrail.message;

/** A line of a log file that is not an entry, with why. */
public record RejectedLine(long line, String reason, String text) {
}
