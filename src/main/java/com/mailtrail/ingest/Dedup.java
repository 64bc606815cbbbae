package com.mailtrail.ingest;

import com.mailtrail.parse.Entry;
import com.mailtrail.parse.LogReader;
import com.mailtrail.store.SqlTimes;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds lines that were imported before from another file: the same file uploaded again, a gzip of it, or mail.log
 * repeating yesterday's lines. Only entries whose time falls inside another file's time range are checked; for those,
 * the raw blocks of that range are read back and their line keys compared. So a new day's log costs nothing here.
 */
final class Dedup {

    private static final int BLOCK_CACHE = 512;

    private record Range(long fileId, LocalDateTime first, LocalDateTime last) {
    }

    /** A stored block of another file: its first line, its text's length, the times of its lines (null: none). */
    private record Block(long firstLine, int byteCount, LocalDateTime first, LocalDateTime last) {
    }

    private final long fileId;
    // Other files' lines as committed, of those not read to their end: no other file is read while this one is (the
    // engine reads one at a time).
    private final Map<Long, Long> committedLines = new HashMap<>();
    private final List<Range> others = new ArrayList<>();
    private final Map<Long, List<Block>> directories = new HashMap<>();
    private final Map<String, Set<Long>> blockKeys = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Set<Long>> eldest) {
            return size() > BLOCK_CACHE;
        }
    };

    Dedup(Connection c, long fileId) throws SQLException {
        this(c, fileId, false);
    }

    /**
     * @param rebuilding a rebuild reads the files again in the order they came, so the files to compare with are
     *                   those before this one: the later ones hold their text but nothing of it is stored yet
     */
    Dedup(Connection c, long fileId, boolean rebuilding) throws SQLException {
        this.fileId = fileId;
        String before = rebuilding ? "id < ?" : "id <> ?";
        try (PreparedStatement ps = c.prepareStatement("SELECT id, lines, state, first_time, last_time FROM log_file "
                + "WHERE " + before)) {
            ps.setLong(1, fileId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // A file read to its end ("done") stored its last batch without looking ahead: nothing of it
                    // lies beyond.
                    if (!"done".equals(rs.getString(3))) {
                        committedLines.put(rs.getLong(1), rs.getLong(2));
                    }
                    LocalDateTime first = SqlTimes.get(rs, 4);
                    if (first != null) {
                        others.add(new Range(rs.getLong(1), first, SqlTimes.get(rs, 5)));
                    }
                }
            }
        }
    }

    /**
     * Each other file's committed line count. A message may hold facts another file read beyond it, whose lines are
     * then not in that file's text (see MessageStore.storedAhead): they are found by what they say instead.
     */
    Map<Long, Long> committedLines() {
        return committedLines;
    }

    /** Whether any other file has lines (with times) to compare with; without one, nothing is a duplicate. */
    boolean hasOtherFiles() {
        return !others.isEmpty();
    }

    /** Line numbers among this batch's entries and rejections that another file already brought. */
    Set<Long> duplicates(Connection c, List<Entry> entries, List<LogReader.Rejection> rejections,
                         Map<Long, Long> lineKeys) throws SQLException {
        if (others.isEmpty() || (entries.isEmpty() && rejections.isEmpty())) {
            return Set.of();
        }
        LocalDateTime min = null;
        LocalDateTime max = null;
        for (Entry e : entries) {
            if (covered(e.time())) {
                min = min == null || e.time().isBefore(min) ? e.time() : min;
                max = max == null || e.time().isAfter(max) ? e.time() : max;
            }
        }
        if (min == null) {
            return Set.of(); // nothing of this batch lies in time another file covers
        }
        Set<Long> seen = new HashSet<>();
        for (Range r : others) {
            if (r.last.isBefore(min) || r.first.isAfter(max)) {
                continue;
            }
            seen.addAll(keys(c, r.fileId, min, max));
        }
        Set<Long> duplicates = new HashSet<>();
        for (Entry e : entries) {
            Long key = lineKeys.get(e.line());
            if (key != null && seen.contains(key)) {
                duplicates.add(e.line());
            }
        }
        for (LogReader.Rejection r : rejections) {
            Long key = lineKeys.get(r.line());
            if (key != null && seen.contains(key)) {
                duplicates.add(r.line());
            }
        }
        return duplicates;
    }

    private boolean covered(LocalDateTime t) {
        for (Range r : others) {
            if (!t.isBefore(r.first) && !t.isAfter(r.last)) {
                return true;
            }
        }
        return false;
    }

    /** Keys of the lines of another file's blocks that overlap [min, max]. */
    private Set<Long> keys(Connection c, long otherFile, LocalDateTime min, LocalDateTime max) throws SQLException {
        Set<Long> out = new HashSet<>();
        for (Block b : blocks(c, otherFile)) {
            if (b.last != null && (b.last.isBefore(min) || b.first.isAfter(max))) {
                continue; // a block without times (lines without a time stamp) is always compared
            }
            String id = otherFile + ":" + b.firstLine;
            Set<Long> keys = blockKeys.get(id);
            if (keys == null) {
                keys = lineKeys(c, otherFile, b);
                blockKeys.put(id, keys);
            }
            out.addAll(keys);
        }
        return out;
    }

    /**
     * Another file's blocks, without their text, in line order: read once, then only the blocks stored since (blocks
     * are only ever added). Asking the database for the blocks of a time range at every batch instead made it read
     * all of that file's block rows each time: importing a day's log beside another log of the same day took 6.9 s of
     * the correlating thread's CPU instead of 1.7 s (1M entries each).
     */
    private List<Block> blocks(Connection c, long otherFile) throws SQLException {
        List<Block> blocks = directories.computeIfAbsent(otherFile, f -> new ArrayList<>());
        long after = blocks.isEmpty() ? -1 : blocks.get(blocks.size() - 1).firstLine;
        try (PreparedStatement ps = c.prepareStatement("SELECT first_line, byte_count, first_time, last_time "
                + "FROM raw_block WHERE file_id = ? AND first_line > ? ORDER BY first_line")) {
            ps.setLong(1, otherFile);
            ps.setLong(2, after);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    blocks.add(new Block(rs.getLong(1), rs.getInt(2), SqlTimes.get(rs, 3), SqlTimes.get(rs, 4)));
                }
            }
        }
        return blocks;
    }

    private static Set<Long> lineKeys(Connection c, long otherFile, Block b) throws SQLException {
        byte[] data;
        try (PreparedStatement ps = c.prepareStatement("SELECT data FROM raw_block WHERE file_id = ? AND first_line = ?")) {
            ps.setLong(1, otherFile);
            ps.setLong(2, b.firstLine);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Set.of();
                }
                data = rs.getBytes(1);
            }
        }
        Set<Long> keys = new HashSet<>();
        Map<Long, Integer> occurrences = new HashMap<>();
        for (byte[] line : RawBlocks.lines(data, b.byteCount)) {
            if (LineKeys.blank(line, 0, line.length)) {
                continue;
            }
            long hash = LineKeys.hash(line, 0, line.length);
            int occurrence = occurrences.merge(hash, 1, Integer::sum) - 1;
            keys.add(LineKeys.withOccurrence(hash, occurrence));
        }
        return keys;
    }

    long fileId() {
        return fileId;
    }
}
