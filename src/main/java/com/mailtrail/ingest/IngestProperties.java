package com.mailtrail.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * {@code mailtrail.ingest.*}: how logs are read into the database.
 *
 * @param relayChannels channels that take a message and enqueue it again (a recipient's legs continue through them)
 * @param batchEntries  entries per transaction: small on H2, large on PostgreSQL (see application-postgres.properties)
 * @param uploadDir     where uploads wait while they are read
 * @param maxUpload     the largest upload accepted
 * @param maxRatio      the largest decompression ratio accepted for a gzip upload or import (a bomb guard)
 * @param compactAfter  entries stored since the last compaction after which an H2 file database is compacted at the
 *                      end of an upload or a tail round (0: never; see H2Compaction)
 * @param compactWait   how long a compaction waits for the connections in use to come back (requests wait as long)
 */
@ConfigurationProperties("mailtrail.ingest")
public record IngestProperties(
        @DefaultValue({"conversion", "reprocess", "process"}) Set<String> relayChannels,
        @DefaultValue("" + IngestEngine.H2_BATCH) int batchEntries,
        @DefaultValue("./data/uploads") Path uploadDir,
        @DefaultValue("2GB") DataSize maxUpload,
        @DefaultValue("200") int maxRatio,
        @DefaultValue("200000") long compactAfter,
        @DefaultValue("10s") Duration compactWait) {
}
