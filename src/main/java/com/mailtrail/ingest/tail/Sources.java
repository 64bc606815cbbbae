package com.mailtrail.ingest.tail;

import com.mailtrail.ingest.CutLines;
import com.mailtrail.store.SqlTimes;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every log source (uploads, imports, tailed directories) and its files as committed: the lasting record of what was
 * read, and for a tailed file how far behind the log it is.
 */
@Component
class Sources {

    /** The states of a file still followed, whose size may have grown since it was recorded. */
    private static final Set<String> FOLLOWED = Set.of(DirectoryTail.TAILING, DirectoryTail.ROTATED, "reading",
            DirectoryTail.FAILED);

    /**
     * {@code lag} is null when it is not known: with {@code lagAtLeast} set, the file was written to after its last
     * look and not read (truncated, or gone while Mailtrail was stopped), so only the bytes past its read position
     * then are known to lag; with neither, its size was never seen. {@code notice}: what happened that is no fault
     * (a truncation), apart from {@code error}.
     */
    record FileView(long id, String name, String state, long position, Long size, Long lag, Long lagAtLeast,
                    long lines, long entries, long rejected, long duplicates, LocalDateTime updated, String notice,
                    String error, long cut, List<Long> cutLines) {

        /** For the page: which raw lines shown are not whole, or null. */
        public String cutNote() {
            return CutLines.note(cut, cutLines);
        }
    }

    record SourceView(long id, String kind, String name, String state, LocalDateTime created, LocalDateTime finished,
                      String error, List<FileView> files) {
    }

    private final JdbcClient jdbc;

    Sources(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** Newest source first; a source's files in the order they were found. */
    List<SourceView> all() {
        Map<Long, List<FileView>> files = new LinkedHashMap<>();
        jdbc.sql("SELECT f.id, f.source_id, f.name, f.state, f.position, f.size, f.lines, f.entries, f.rejected, "
                + "f.duplicates, f.updated, f.notice, f.error, f.size_at_least, "
                + "f.cut, f.cut_lines, f.device, f.inode, s.kind, s.name AS dir "
                + "FROM log_file f JOIN log_source s ON s.id = f.source_id ORDER BY f.id").query((rs, n) -> {
            long size = rs.getLong("size");
            Long sizeValue = rs.wasNull() ? null : size;
            long position = rs.getLong("position");
            long device = rs.getLong("device");
            long inode = rs.getLong("inode");
            if (sizeValue != null && !rs.wasNull() && "tail".equals(rs.getString("kind"))
                    && FOLLOWED.contains(rs.getString("state"))) {
                sizeValue = Math.max(sizeValue, sizeNow(Path.of(rs.getString("dir"), rs.getString("name")), device,
                        inode));
            }
            Long lag = sizeValue == null ? null : Math.max(0, sizeValue - position);
            boolean atLeast = rs.getBoolean("size_at_least");
            FileView f = new FileView(rs.getLong("id"), rs.getString("name"), rs.getString("state"), position,
                    sizeValue, atLeast ? null : lag, atLeast ? lag : null, rs.getLong("lines"),
                    rs.getLong("entries"), rs.getLong("rejected"), rs.getLong("duplicates"),
                    SqlTimes.get(rs, "updated"), rs.getString("notice"), rs.getString("error"), rs.getLong("cut"),
                    CutLines.of(rs.getString("cut_lines")).lines());
            files.computeIfAbsent(rs.getLong("source_id"), k -> new ArrayList<>()).add(f);
            return f;
        }).list();
        return jdbc.sql("SELECT id, kind, name, state, created, finished, error FROM log_source ORDER BY id DESC")
                .query((rs, n) -> new SourceView(rs.getLong("id"), rs.getString("kind"), rs.getString("name"),
                        rs.getString("state"), SqlTimes.get(rs, "created"), SqlTimes.get(rs, "finished"),
                        rs.getString("error"), files.getOrDefault(rs.getLong("id"), List.of())))
                .list();
    }

    /**
     * The size of a followed file now, if its name still leads to it (a rotation not looked at yet leads to another
     * file); else 0. A round reads up to the size it saw at its start, and the rows record that size: during a long
     * round (a burst of a fast writer) the lag would leave out all that was written since.
     */
    private static long sizeNow(Path path, long device, long inode) {
        try {
            Long[] id = FileFinder.identity(path);
            return Long.valueOf(device).equals(id[0]) && Long.valueOf(inode).equals(id[1]) ? Files.size(path) : 0;
        } catch (IOException | RuntimeException e) {
            return 0; // gone meanwhile, or not to be looked at: the size last seen stands
        }
    }
}
