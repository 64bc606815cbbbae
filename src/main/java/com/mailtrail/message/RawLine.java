package com.mailtrail.message;

/** One line of a log file as it was read, and the file's name. */
public record RawLine(long file, String name, long line, String text) {
}
