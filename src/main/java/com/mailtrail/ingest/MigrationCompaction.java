package com.mailtrail.ingest;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Optional;

/**
 * Runs Flyway's migrations at the server's start, then compacts the H2 file when they grew it by half. A migration that
 * rewrites every row of a table (V22 sets each recipient's client address) leaves H2's file several times its live
 * size: the 1M-entry database went from 155 MB to 1.5 GB. {@link H2Compaction} measures growth from the size the server
 * started with, so it would have waited for the file to grow by half again. Done here, before the server reads or
 * serves anything, nothing waits for it but the start (4.5 s for that file). Not for a new database (there was no file
 * to grow), PostgreSQL or an in-memory H2, nor with {@code mailtrail.ingest.compact-after=0}, which means never.
 */
class MigrationCompaction implements FlywayMigrationStrategy {

    private static final Logger log = LoggerFactory.getLogger(MigrationCompaction.class);

    private final boolean enabled;
    private final long waitMillis;
    /** The H2 file's size before this start's migrations ran, when it existed and they ran; else 0. */
    private volatile long sizeBefore;
    private volatile H2Compaction.Result result;
    private volatile H2Compaction.Failure failure;

    MigrationCompaction(boolean enabled, Duration wait) {
        this.enabled = enabled;
        this.waitMillis = wait.toMillis();
    }

    @Override
    public void migrate(Flyway flyway) {
        DataSource ds = flyway.getConfiguration().getDataSource();
        HikariDataSource hikari = enabled && ds instanceof HikariDataSource h ? h : null;
        Path file = hikari == null ? null : H2Compaction.h2File(hikari.getJdbcUrl());
        long before = file != null && Files.exists(file) ? H2Compaction.size(file) : 0;
        MigrateResult migrated = flyway.migrate();
        if (before <= 0 || migrated.migrationsExecuted == 0) {
            return;
        }
        sizeBefore = before;
        long grown = checkpointedSize(hikari, file);
        if (grown < H2Compaction.GROWTH * before) {
            return;
        }
        log.info("the migrations grew the H2 file from {} MB to {} MB: compacting it", before / 1_000_000,
                grown / 1_000_000);
        H2Compaction.Attempt attempt = H2Compaction.compact(hikari, file, waitMillis);
        if (attempt == null) {
            return; // a pool that cannot be suspended: the server's compaction cannot run either
        }
        if (attempt.failure() != null) {
            log.warn("H2 not compacted after the migrations: {}", attempt.failure());
            failure = new H2Compaction.Failure(LocalDateTime.now(), "after the migrations: " + attempt.failure());
        } else {
            result = attempt.result().afterTheMigrations();
        }
    }

    /** The size once H2 wrote what the migrations committed (it leaves that to its background writer). */
    private static long checkpointedSize(DataSource ds, Path file) {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("CHECKPOINT");
        } catch (SQLException e) {
            log.warn("H2 CHECKPOINT failed: {}", e.getMessage());
        }
        return H2Compaction.size(file);
    }

    /** The file's size before this start's migrations, when they ran on an existing H2 file. */
    Optional<Long> sizeBefore() {
        return sizeBefore > 0 ? Optional.of(sizeBefore) : Optional.empty();
    }

    /** The compaction after this start's migrations, if they grew the file enough to call for one. */
    Optional<H2Compaction.Result> result() {
        return Optional.ofNullable(result);
    }

    /** Why the compaction after the migrations did not happen, if it was due and did not. */
    Optional<H2Compaction.Failure> failure() {
        return Optional.ofNullable(failure);
    }
}
