package com.mailtrail.ingest;

import com.mailtrail.parse.Entry;
import com.mailtrail.parse.HeaderEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lines another file brought are found by their stored raw blocks, on H2 and PostgreSQL: only the blocks whose time
 * range meets the batch's, blocks without times always, and blocks the other file stores after the first look too
 * (a file being tailed while an overlapping one is imported).
 */
class DedupTest {

    /** The PostgreSQL databases' pools closed and the databases dropped, test by test. */
    @AfterEach
    void closePools() {
        TestDatabase.closePools();
    }

    private static final LocalDateTime T = LocalDateTime.of(2026, 3, 2, 10, 0);
    private static final long OTHER = 1001;
    private static final long THIS = 1002;

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void findsTheLinesOfOverlappingBlocksIncludingBlocksStoredAfterTheFirstLook(String kind) throws SQLException {
        DataSource ds = TestDatabase.pooled(kind);
        try (Connection c = ds.getConnection()) {
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO log_source (id, kind, name, state, created) "
                        + "VALUES (1000, 'test', 'test', 'done', CURRENT_TIMESTAMP)");
            }
            file(c, OTHER, T, T.plusHours(1));
            file(c, THIS, null, null);
            // the other file: lines 1-2 at 10:00:01-02, lines 3-4 at 10:30
            block(c, 1, List.of("alpha", "beta"), T.plusSeconds(1), T.plusSeconds(2));
            block(c, 3, List.of("gamma", "delta"), T.plusMinutes(30), T.plusMinutes(30));

            Dedup dedup = new Dedup(c, THIS);
            assertThat(dedup.hasOtherFiles()).isTrue();
            // this file's lines 7-9: alpha and gamma again, and one the other file does not have
            Batch first = new Batch().line(7, "alpha", T.plusSeconds(1)).line(8, "gamma", T.plusMinutes(30))
                    .line(9, "omega", T.plusMinutes(30));
            assertThat(dedup.duplicates(c, first.entries, List.of(), first.keys)).containsExactlyInAnyOrder(7L, 8L);

            // the same text outside every block's time range is not a duplicate
            Batch outside = new Batch().line(10, "beta", T.plusMinutes(10));
            assertThat(dedup.duplicates(c, outside.entries, List.of(), outside.keys)).isEmpty();

            // the other file goes on (it is being tailed): a block stored now is compared as well
            block(c, 5, List.of("epsilon"), T.plusMinutes(40), T.plusMinutes(40));
            Batch later = new Batch().line(11, "epsilon", T.plusMinutes(40)).line(12, "delta", T.plusMinutes(30));
            assertThat(dedup.duplicates(c, later.entries, List.of(), later.keys)).containsExactlyInAnyOrder(11L, 12L);

            // a block of lines without time stamps is compared whatever the batch's time
            block(c, 6, List.of("no time here"), null, null);
            Batch untimed = new Batch().line(13, "no time here", T.plusMinutes(50));
            assertThat(dedup.duplicates(c, untimed.entries, List.of(), untimed.keys)).containsExactly(13L);
        }
    }

    /** Entries of this file with the keys of their lines, as FileIngest makes them. */
    private static final class Batch {
        final List<Entry> entries = new ArrayList<>();
        final Map<Long, Long> keys = new HashMap<>();

        Batch line(long line, String text, LocalDateTime time) {
            entries.add(new HeaderEntry(time, line, line * 100, false, "node", "1", "Subject", text));
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            keys.put(line, LineKeys.withOccurrence(LineKeys.hash(b, 0, b.length), 0));
            return this;
        }
    }

    private static void file(Connection c, long id, LocalDateTime first, LocalDateTime last) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO log_file (id, source_id, name, head_length, "
                + "position, lines, entries, rejected, duplicates, first_time, last_time, state, updated) "
                + "VALUES (?, 1000, ?, 0, 0, 0, 0, 0, 0, ?, ?, 'done', CURRENT_TIMESTAMP)")) {
            ps.setLong(1, id);
            ps.setString(2, "file-" + id);
            ps.setTimestamp(3, first == null ? null : Timestamp.valueOf(first));
            ps.setTimestamp(4, last == null ? null : Timestamp.valueOf(last));
            ps.executeUpdate();
        }
    }

    /** A block of the other file, deflated by the writer's own code. */
    private static void block(Connection c, long firstLine, List<String> lines, LocalDateTime first,
                              LocalDateTime last) throws SQLException {
        RawBlocks raw = new RawBlocks();
        long line = firstLine;
        for (String text : lines) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            raw.add(b, 0, b.length, line++, 0);
        }
        RawBlocks.Block block = raw.drain(line - 1).get(0);
        raw.close();
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO raw_block (file_id, first_line, line_count, "
                + "first_offset, byte_count, first_time, last_time, data) VALUES (?, ?, ?, 0, ?, ?, ?, ?)")) {
            ps.setLong(1, OTHER);
            ps.setLong(2, firstLine);
            ps.setInt(3, block.lineCount);
            ps.setInt(4, block.byteCount);
            ps.setTimestamp(5, first == null ? null : Timestamp.valueOf(first));
            ps.setTimestamp(6, last == null ? null : Timestamp.valueOf(last));
            ps.setBytes(7, block.data);
            ps.executeUpdate();
        }
    }
}
