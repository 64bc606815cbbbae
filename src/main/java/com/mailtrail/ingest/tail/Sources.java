package com.mailtrail.ingest.tail;

import com.mailtrail.ingest.CutLines;
import com.mailtrail.store.SqlTimes;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every log source (uploads, imports, tailed directories) and its files as committed: the lasting record of what was
 * read, and for a tailed file how far behind the log it is.
 */
@Component
class Sources {

    record FileView(long id, String name, String state, long position, Long size, Long lag, long lines, long entries,
                    long rejected, long duplicates, LocalDateTime updated, String error, long cut,
                    List<Long> cutLines) {

        /** For the page: which raw lines shown are not whole, or null. */
        public String cutNote() {
            return cut == 0 ? null : cut + (cut == 1 ? " line" : " lines") + " longer than 64 KiB stored cut to that "
                    + "length: " + CutLines.describe(cut, cutLines);
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
        jdbc.sql("SELECT id, source_id, name, state, position, size, lines, entries, rejected, duplicates, updated, "
                + "error, cut, cut_lines FROM log_file ORDER BY id").query((rs, n) -> {
            long size = rs.getLong("size");
            Long sizeValue = rs.wasNull() ? null : size;
            long position = rs.getLong("position");
            FileView f = new FileView(rs.getLong("id"), rs.getString("name"), rs.getString("state"), position,
                    sizeValue, sizeValue == null ? null : Math.max(0, sizeValue - position), rs.getLong("lines"),
                    rs.getLong("entries"), rs.getLong("rejected"), rs.getLong("duplicates"),
                    SqlTimes.get(rs, "updated"), rs.getString("error"), rs.getLong("cut"),
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

}
