package com.mailtrail.message;

import com.mailtrail.store.RawText;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.nio.ByteBuffer;
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
     * Many lines at once, for a message page: each block is read and inflated once. Keys are "file:line"; lines
     * that are not stored are absent.
     */
    public java.util.Map<String, String> lines(java.util.Collection<long[]> fileAndLine) {
        java.util.Map<Long, java.util.TreeSet<Long>> byFile = new java.util.HashMap<>();
        for (long[] fl : fileAndLine) {
            byFile.computeIfAbsent(fl[0], f -> new java.util.TreeSet<>()).add(fl[1]);
        }
        java.util.Map<String, String> out = new java.util.HashMap<>();
        byFile.forEach((file, wanted) -> jdbc.sql("SELECT first_line, line_count, byte_count, data FROM raw_block "
                        + "WHERE file_id = :file AND first_line <= :last AND first_line + line_count > :first")
                .param("file", file).param("first", wanted.first()).param("last", wanted.last())
                .query((rs, i) -> new Block(rs.getLong(1), rs.getInt(2), rs.getInt(3), rs.getBytes(4))).list()
                .forEach(b -> {
                    for (Long line : wanted.subSet(b.firstLine(), b.firstLine() + b.lineCount())) {
                        out.put(file + ":" + line, b.line((int) (line - b.firstLine())));
                    }
                }));
        return out;
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
