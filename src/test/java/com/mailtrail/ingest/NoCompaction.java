package com.mailtrail.ingest;

import org.springframework.util.unit.DataSize;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** The compaction the server's services take, for a database that needs none (in memory, or PostgreSQL). */
public final class NoCompaction {

    private NoCompaction() {
    }

    public static H2Compaction of(DataSource ds, IngestEngine engine) {
        return new H2Compaction(ds, engine, new IngestProperties(Set.of("conversion"), IngestEngine.H2_BATCH,
                Path.of("target/test-uploads/no-compaction"), DataSize.ofMegabytes(1), 200, 200_000,
                Duration.ofSeconds(1)), Optional.empty());
    }
}
