package com.mailtrail.ingest;

import java.time.LocalDateTime;

/** A log_file row as the write path keeps it: what has been committed so far. */
final class LogFileRow {
    final long id;
    final long sourceId;
    final String name;
    long position;
    long lines;
    long entries;
    long rejected;
    long duplicates;
    /** Lines longer than the reader keeps, stored cut; and the first of their numbers ({@link CutLines}). */
    long cut;
    CutLines cutLines = CutLines.NONE;
    LocalDateTime firstTime;
    LocalDateTime lastTime;
    String options;
    String state = "reading";
    String fingerprint;
    int headLength;
    Long device;
    Long inode;
    Long size;
    String error;
    /** Lines read again by a rebuild so far (see Rebuild); null when the file is read as itself. */
    Long replayed;
    /** When the file was last read as itself: kept by a rebuild, which the Sources page's "last read" is not. */
    LocalDateTime updated;
    /** What reading it has seen of its clock, as of its committed lines (or those a rebuild read again). */
    ClockSteps.State clock = ClockSteps.State.NONE;

    LogFileRow(long id, long sourceId, String name) {
        this.id = id;
        this.sourceId = sourceId;
        this.name = name;
    }
}
