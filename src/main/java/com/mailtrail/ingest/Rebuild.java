package com.mailtrail.ingest;

import com.mailtrail.parse.LogOptions;
import com.mailtrail.store.RawText;
import com.mailtrail.store.SqlTimes;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Takes log sources out of the database. Their lines may be parts of messages that other files share (a message
 * enqueued in one file and delivered in the next day's), and each message, recipient, rollup and hourly count is
 * made of lines from wherever they came; so everything made of lines is built again by reading the stored text of
 * the files that stay, in the order they came, through the import's own path. That is exact (the same result as
 * loading those files into an empty database) at the price of reading everything again: about the time the imports
 * took.
 *
 * <p>Safe to stop at any moment: the first transaction removes the sources and marks every other file as to be read
 * again ({@code log_file.replayed}); each batch read again commits that file's progress with its rows; whatever
 * continues a rebuild (the next write, or the next start) starts from there. Run by the engine as its one writer.
 */
final class Rebuild {

    /** Everything made of lines, and rebuilt from them. */
    static final List<String> DERIVED = List.of("attempt", "recipient", "message", "search_bucket", "remote_system",
            "client_system", "connection", "connection_hour", "rollup_hour", "rollup_recipient_hour", "rejected_line");

    private final IngestEngine engine;

    Rebuild(IngestEngine engine) {
        this.engine = engine;
    }

    /** The sources' rows, files and text go, and every other file is marked to be read again: one transaction. */
    static void start(Connection c, Collection<Long> sources) throws SQLException {
        for (long source : sources) {
            for (String sql : List.of(
                    "DELETE FROM raw_block WHERE file_id IN (SELECT id FROM log_file WHERE source_id = ?)",
                    "DELETE FROM log_file WHERE source_id = ?",
                    "DELETE FROM log_source WHERE id = ?")) {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setLong(1, source);
                    ps.executeUpdate();
                }
            }
        }
        try (Statement st = c.createStatement()) {
            if (st.executeUpdate("UPDATE log_file SET replayed = 0") == 0) {
                // No file stays, so no mark would tell a stop that the rows made of lines are still to go: they go
                // here, with the sources, at once.
                for (String table : DERIVED) {
                    st.executeUpdate("DELETE FROM " + table);
                }
            }
        }
    }

    /** Whether a rebuild was started and has not finished (a stop may have interrupted it). */
    static boolean pending(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM log_file WHERE replayed IS NOT NULL")) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    /** A file to read again, as committed. */
    private record Pending(LogFileRow row, long replayed) {
    }

    /** A stored block of a file's text, without the text. */
    private record Block(long firstLine, int lineCount, int byteCount) {
    }

    /** Reads the stored text of every marked file again, from where the last run stopped. */
    void run() throws SQLException, IOException {
        List<Pending> files = engine.onOwnConnection(Rebuild::pendingFiles);
        if (files.stream().allMatch(f -> f.replayed() == 0)) {
            clear();
            files = engine.onOwnConnection(Rebuild::pendingFiles); // with their counts at zero
        }
        for (Pending f : files) {
            replay(f);
        }
        engine.inTransaction(c -> {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE log_file SET replayed = NULL");
            }
        });
    }

    /**
     * Empties what the files are read again into. Nothing of the rebuild is stored yet, so after a stop here this
     * runs again; TRUNCATE rather than DELETE: a database's worth of deleted rows would sit in H2's undo log.
     */
    private void clear() throws SQLException {
        engine.inTransaction(c -> {
            try (Statement st = c.createStatement()) {
                for (String table : DERIVED) {
                    st.executeUpdate("TRUNCATE TABLE " + table);
                }
            }
        });
        engine.inTransaction(c -> {
            try (Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE log_file SET entries = 0, rejected = 0, duplicates = 0");
            }
        });
    }

    private static List<Pending> pendingFiles(Connection c) throws SQLException {
        List<Pending> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, source_id, name, position, lines, entries, "
                + "rejected, duplicates, first_time, last_time, options, state, fingerprint, head_length, device, "
                + "inode, size, error, replayed, updated, cut, cut_lines, " + ClockSteps.State.COLUMNS + " FROM log_file "
                + "WHERE replayed IS NOT NULL ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                LogFileRow f = new LogFileRow(rs.getLong(1), rs.getLong(2), rs.getString(3));
                f.position = rs.getLong(4);
                f.lines = rs.getLong(5);
                f.entries = rs.getLong(6);
                f.rejected = rs.getLong(7);
                f.duplicates = rs.getLong(8);
                f.firstTime = SqlTimes.get(rs, 9);
                f.lastTime = SqlTimes.get(rs, 10);
                f.options = rs.getString(11);
                f.state = rs.getString(12);
                f.fingerprint = rs.getString(13);
                f.headLength = rs.getInt(14);
                f.device = (Long) rs.getObject(15, Long.class);
                f.inode = (Long) rs.getObject(16, Long.class);
                f.size = (Long) rs.getObject(17, Long.class);
                f.error = rs.getString(18);
                f.replayed = rs.getLong(19);
                f.updated = SqlTimes.get(rs, 20);
                f.cut = rs.getLong(21); // kept: the stored text read again is the cut text, see FileIngest
                f.cutLines = CutLines.of(rs.getString(22));
                f.clock = ClockSteps.State.read(rs, 23);
                out.add(new Pending(f, f.replayed));
            }
        }
        return out;
    }

    /**
     * Reads a file's stored text again from the line after {@code replayed}. Its blocks follow each other, unless
     * retention removed some: each run of blocks that do is read on its own, with its own line numbers.
     */
    private void replay(Pending f) throws SQLException, IOException {
        List<Block> blocks = engine.onOwnConnection(c -> blocks(c, f.row().id, f.replayed()));
        LogOptions options = options(f.row().options);
        int start = 0;
        while (start < blocks.size()) {
            int end = start + 1;
            while (end < blocks.size() && blocks.get(end).firstLine
                    == blocks.get(end - 1).firstLine + blocks.get(end - 1).lineCount) {
                end++;
            }
            List<Block> run = blocks.subList(start, end);
            long from = Math.max(f.replayed() + 1, run.get(0).firstLine);
            engine.replay(f.row(), new Text(f.row().id, run, from), options, from - 1);
            start = end;
        }
    }

    /** The fields the file was read with, as found then; "auto" again where they were not recorded. */
    private static LogOptions options(String stored) {
        try {
            return stored == null ? LogOptions.auto() : LogOptions.parse(stored);
        } catch (IllegalArgumentException e) {
            return LogOptions.auto();
        }
    }

    private static List<Block> blocks(Connection c, long file, long replayed) throws SQLException {
        List<Block> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT first_line, line_count, byte_count FROM raw_block "
                + "WHERE file_id = ? AND first_line + line_count > ? ORDER BY first_line")) {
            ps.setLong(1, file);
            ps.setLong(2, replayed + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Block(rs.getLong(1), rs.getInt(2), rs.getInt(3)));
                }
            }
        }
        return out;
    }

    /**
     * The text of a run of blocks from line {@code from} on, one line per '\n', as the file had it (without '\r'):
     * each block is fetched when reading reaches it, so a file of any size is never held in memory.
     */
    private final class Text extends InputStream {
        /**
         * Blocks fetched per query: one query per block made removing a source on PostgreSQL take twice as long as the
         * import (4,000 round trips per million lines); 64 blocks are about 1.5 MB deflated.
         */
        private static final int FETCH = 64;

        private final long file;
        private final List<Block> blocks;
        private final ArrayDeque<byte[]> fetched = new ArrayDeque<>();
        private long skipLines;
        private int next;
        private byte[] text = new byte[0];
        private int pos;

        Text(long file, List<Block> blocks, long from) {
            this.file = file;
            this.blocks = blocks;
            this.skipLines = from - blocks.get(0).firstLine;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (pos == text.length) {
                if (fetched.isEmpty() && next == blocks.size()) {
                    return -1;
                }
                if (fetched.isEmpty()) {
                    fetch();
                }
                text = fetched.poll();
                pos = 0;
                // A run read again after a stop starts inside its first block.
                for (; skipLines > 0 && pos < text.length; pos++) {
                    if (text[pos] == '\n') {
                        skipLines--;
                    }
                }
            }
            int n = Math.min(len, text.length - pos);
            System.arraycopy(text, pos, b, off, n);
            pos += n;
            return n;
        }

        /** The next blocks' text, each with the line end after its last line. */
        private void fetch() throws IOException {
            List<Block> chunk = blocks.subList(next, Math.min(blocks.size(), next + FETCH));
            next += chunk.size();
            try {
                List<byte[]> data = engine.onOwnConnection(c -> {
                    List<byte[]> out = new ArrayList<>();
                    try (PreparedStatement ps = c.prepareStatement("SELECT data FROM raw_block WHERE file_id = ? "
                            + "AND first_line >= ? AND first_line <= ? ORDER BY first_line")) {
                        ps.setLong(1, file);
                        ps.setLong(2, chunk.get(0).firstLine);
                        ps.setLong(3, chunk.get(chunk.size() - 1).firstLine);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.add(rs.getBytes(1));
                            }
                        }
                    }
                    return out;
                });
                if (data.size() != chunk.size()) {
                    throw new IOException("blocks of the stored text are gone (from line " + chunk.get(0).firstLine
                            + ")");
                }
                for (int i = 0; i < chunk.size(); i++) {
                    byte[] lines = RawText.inflate(data.get(i), chunk.get(i).byteCount);
                    byte[] withEnd = Arrays.copyOf(lines, lines.length + 1);
                    withEnd[lines.length] = '\n';
                    fetched.add(withEnd);
                }
            } catch (SQLException e) {
                throw new IOException("cannot read the stored text of log file " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
