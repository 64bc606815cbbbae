package com.mailtrail.ingest;

import org.springframework.stereotype.Component;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;

/**
 * What the database is and how much disk it takes, for the Sources page and {@code GET /api/database}: the question
 * an administrator has after loading a large log, and what {@link H2Compaction} answers.
 */
@Component
public class DatabaseStatus {

    /**
     * @param kind           the database product (H2, PostgreSQL)
     * @param bytes          its size on disk: the H2 file, or PostgreSQL's {@code pg_database_size}; null when it has
     *                       none (an in-memory H2) or it cannot be read
     * @param compactAfter   for an H2 file, the entries after which it is compacted (0: never); null otherwise
     * @param lastCompaction the last compaction since the server started, or null
     * @param compactionFailure why the last compaction that was due did not happen, unless one succeeded since; or null
     * @param retentionDays  days of log time kept (0: everything; see Retention)
     * @param lastPurge      the last look for old data since the server started, or null
     * @param waitingForAnotherProcessSince on PostgreSQL, since when uploads and tail rounds wait for another process
     *                       (an import) to end its read; null when they do not
     */
    public record View(String kind, Long bytes, Long compactAfter, H2Compaction.Result lastCompaction,
                       H2Compaction.Failure compactionFailure, int retentionDays, Retention.Run lastPurge,
                       LocalDateTime waitingForAnotherProcessSince) {
    }

    private final DataSource dataSource;
    private final H2Compaction compaction;
    private final Retention retention;
    private final IngestEngine engine;

    DatabaseStatus(DataSource dataSource, H2Compaction compaction, Retention retention, IngestEngine engine) {
        this.engine = engine;
        this.dataSource = dataSource;
        this.compaction = compaction;
        this.retention = retention;
    }

    public View now() {
        try (Connection c = dataSource.getConnection()) {
            String kind = c.getMetaData().getDatabaseProductName();
            if (kind.equals("PostgreSQL")) {
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT pg_database_size(current_database())")) {
                    rs.next();
                    return new View(kind, rs.getLong(1), null, null, null, retention.days(),
                            retention.last().orElse(null), engine.waitingForAnotherProcess().orElse(null));
                }
            }
            Path file = H2Compaction.h2File(c.getMetaData().getURL());
            if (file == null) {
                return new View(kind, null, null, null, null, retention.days(), retention.last().orElse(null),
                        null);
            }
            return new View(kind, size(file), compaction.threshold(), compaction.last().orElse(null),
                    compaction.failure().orElse(null), retention.days(), retention.last().orElse(null), null);
        } catch (SQLException e) {
            throw IngestException.of("cannot read the database's size", e);
        }
    }

    private static Long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return null;
        }
    }
}
