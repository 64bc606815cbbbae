package com.mailtrail.message;

import com.mailtrail.parse.EntryLines;
import com.mailtrail.parse.LogOptions;
import com.mailtrail.store.RawText;
import com.mailtrail.store.SqlTimes;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.nio.ByteBuffer;
import java.time.LocalDateTime;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** The log text behind the entries: any line again from its compressed block, and the lines that were rejected. */
@Service
@Transactional(readOnly = true)
public class LogFileQueries {

    private final JdbcClient jdbc;

    public LogFileQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Line {@code line} of log file {@code fileId}, as read; 404 when the file or the line is not stored. */
    public RawLine line(long fileId, long line) {
        String name = fileName(fileId);
        // the block holding a line is the last one starting at or before it
        Block block = jdbc.sql("SELECT first_line, line_count, byte_count, data FROM raw_block "
                        + "WHERE file_id = :file AND first_line <= :line ORDER BY first_line DESC "
                        + "FETCH FIRST 1 ROWS ONLY")
                .param("file", fileId).param("line", line)
                .query((rs, i) -> new Block(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getBytes(4)))
                .optional()
                .filter(b -> line < b.firstLine() + b.lineCount())
                .orElseThrow(() -> new MessageNotFoundException("log file " + fileId + " has no stored line " + line));
        return new RawLine(fileId, name, line, block.line((int) (line - block.firstLine())));
    }

    /**
     * The text of many entries at once, for a message page: each block is read and inflated once. Keys are
     * "file:line" of an entry's first line; the value is the entry as logged, all its physical lines joined by '\n'
     * (several in the documentation's folded form, which QA saw cut to its first line). Lines that are not stored
     * are absent.
     */
    public java.util.Map<String, String> lines(java.util.Collection<long[]> fileAndLine) {
        java.util.Map<Long, java.util.TreeSet<Long>> byFile = new java.util.HashMap<>();
        for (long[] fl : fileAndLine) {
            byFile.computeIfAbsent(fl[0], f -> new java.util.TreeSet<>()).add(fl[1]);
        }
        java.util.Map<String, String> out = new java.util.HashMap<>();
        byFile.forEach((file, wanted) -> {
            // each line and the one after it: a time stamp there means the entry is its first line alone
            java.util.Map<Long, String> text = new java.util.HashMap<>();
            jdbc.sql("SELECT first_line, line_count, byte_count, data FROM raw_block "
                            + "WHERE file_id = :file AND first_line <= :last AND first_line + line_count > :first")
                    .param("file", file).param("first", wanted.first()).param("last", wanted.last() + 1)
                    .query((rs, i) -> new Block(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getBytes(4))).list()
                    .forEach(b -> {
                        java.util.List<String> lines = b.lines();
                        for (Long line : wanted) {
                            for (long l = line; l <= line + 1; l++) {
                                if (l >= b.firstLine() && l < b.firstLine() + lines.size()) {
                                    text.put(l, lines.get((int) (l - b.firstLine())));
                                }
                            }
                        }
                    });
            java.util.TreeSet<Long> folded = new java.util.TreeSet<>();
            for (Long line : wanted) {
                if (text.containsKey(line)) {
                    out.put(file + ":" + line, text.get(line));
                    if (EntryLines.mayContinue(text.get(line + 1)) && line <= MAX_FOLDED_LINE) {
                        folded.add(line);
                    }
                }
            }
            if (!folded.isEmpty()) {
                wholeEntries(file, folded).forEach((line, entry) -> out.put(file + ":" + line, entry));
            }
        });
        return out;
    }

    /**
     * Entries of the folded form are found by reading the file's stored text again from its start, as it was read
     * when loaded: only the documentation's examples are in that form, files of a few dozen lines. Past this line a
     * file is a real log, whose entries are one line each.
     */
    private static final long MAX_FOLDED_LINE = 20_000;
    /** Lines read past the last wanted one: a folded entry is a handful of lines. */
    private static final long FOLDED_LOOKAHEAD = 64;

    /** The entries starting at {@code lines} of file {@code fileId} with all their physical lines, joined by '\n'. */
    private java.util.Map<Long, String> wholeEntries(long fileId, java.util.TreeSet<Long> lines) {
        long until = lines.last() + FOLDED_LOOKAHEAD;
        java.util.List<Block> blocks = jdbc.sql("SELECT first_line, line_count, byte_count, data FROM raw_block "
                        + "WHERE file_id = :file AND first_line <= :until ORDER BY first_line")
                .param("file", fileId).param("until", until)
                .query((rs, i) -> new Block(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getBytes(4))).list();
        // the run of consecutive blocks that holds the lines (retention may have removed blocks before it)
        java.util.List<String> text = new java.util.ArrayList<>();
        long first = -1;
        for (Block b : blocks) {
            if (first < 0 || b.firstLine() != first + text.size()) {
                if (b.firstLine() > lines.first()) {
                    break;
                }
                first = b.firstLine();
                text.clear();
            }
            text.addAll(b.lines());
        }
        java.util.Map<Long, String> out = new java.util.HashMap<>();
        if (first < 0) {
            return out;
        }
        int end = (int) Math.min(text.size(), until - first + 1);
        byte[] bytes = (String.join("\n", text.subList(0, end)) + "\n").getBytes(StandardCharsets.UTF_8);
        java.util.Map<Long, Long> last;
        try {
            last = EntryLines.lastLines(new java.io.ByteArrayInputStream(bytes), first - 1, options(fileId),
                    new java.util.HashSet<>(lines));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e); // a byte array does not fail
        }
        for (java.util.Map.Entry<Long, Long> e : last.entrySet()) {
            int from = (int) (e.getKey() - first);
            int to = (int) Math.min(e.getValue() - first + 1, end);
            out.put(e.getKey(), String.join("\n", text.subList(from, to)));
        }
        return out;
    }

    /**
     * The newest time in the loaded log files, which the Queue page and the message page age waiting recipients
     * against (one query for both, so that their ages agree): a log read later than it was written would otherwise
     * age them by the wall clock. Null when no file is loaded.
     */
    public LocalDateTime newestLogTime() {
        return newestLogTime(jdbc);
    }

    public static LocalDateTime newestLogTime(JdbcClient jdbc) {
        return jdbc.sql("SELECT MAX(last_time) FROM log_file").query((rs, i) -> SqlTimes.get(rs, 1))
                .optional().orElse(null);
    }

    /** The fields the file was read with, as found then; "auto" where they were not recorded. */
    private LogOptions options(long fileId) {
        String stored = jdbc.sql("SELECT options FROM log_file WHERE id = :id").param("id", fileId)
                .query(String.class).optional().orElse(null);
        try {
            return stored == null ? LogOptions.auto() : LogOptions.parse(stored);
        } catch (IllegalArgumentException e) {
            return LogOptions.auto();
        }
    }

    public PageResult<RejectedLine> rejected(long fileId, int page, int size) {
        fileName(fileId);
        long total = jdbc.sql("SELECT COUNT(*) FROM rejected_line WHERE file_id = :file").param("file", fileId)
                .query(Long.class).single();
        var items = jdbc.sql("SELECT line, reason, text FROM rejected_line WHERE file_id = :file ORDER BY line "
                        + "OFFSET :offset ROWS FETCH NEXT :limit ROWS ONLY")
                .param("file", fileId).param("offset", (long) page * size).param("limit", size)
                .query((rs, i) -> new RejectedLine(rs.getLong(1), rs.getString(2), rs.getString(3))).list();
        return new PageResult<>(total, page, size, items);
    }

    /** The name of a log file as it was read; 404 when there is no such file. */
    String fileName(long fileId) {
        return jdbc.sql("SELECT name FROM log_file WHERE id = :id").param("id", fileId).query(String.class)
                .optional().orElseThrow(() -> new MessageNotFoundException("no log file with id " + fileId));
    }

    /** A stored block: the deflated text of lines first_line.. joined by '\n', byte_count bytes uncompressed. */
    private record Block(long firstLine, int lineCount, int byteCount, byte[] data) {

        String line(int index) {
            byte[] text = inflate();
            int start = 0;
            for (int i = 0; i < index; i++) {
                while (start < text.length && text[start] != '\n') {
                    start++;
                }
                start++;
            }
            start = Math.min(start, text.length);
            int end = start;
            while (end < text.length && text[end] != '\n') {
                end++;
            }
            if (end > start && text[end - 1] == '\r') {
                end--;
            }
            return decode(text, start, end - start);
        }

        /** Every line of the block, decoded as {@link #line(int)} decodes one. */
        java.util.List<String> lines() {
            byte[] text = inflate();
            java.util.List<String> out = new java.util.ArrayList<>(lineCount);
            int start = 0;
            while (out.size() < lineCount) {
                int end = start;
                while (end < text.length && text[end] != '\n') {
                    end++;
                }
                int stop = end > start && text[end - 1] == '\r' ? end - 1 : end;
                out.add(decode(text, start, stop - start));
                start = Math.min(end + 1, text.length);
            }
            return out;
        }

        private byte[] inflate() {
            return RawText.inflate(data, byteCount);
        }

        /** UTF-8, or Latin-1 for a line that is not UTF-8 (as the reader does). */
        private static String decode(byte[] b, int off, int len) {
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(b, off, len)).toString();
            } catch (CharacterCodingException e) {
                return new String(b, off, len, StandardCharsets.ISO_8859_1);
            }
        }
    }
}
