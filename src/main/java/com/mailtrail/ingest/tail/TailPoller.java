package com.mailtrail.ingest.tail;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.IngestException;
import com.mailtrail.ingest.StopReads;
import com.mailtrail.ingest.Periodic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Looks at the tailed directories every interval on its own thread, from the start of the application context to
 * its close. A round that fails is logged and the next one comes all the same.
 */
final class TailPoller implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(TailPoller.class);

    private final IngestEngine engine;
    private final JdbcClient jdbc;
    private final TailProperties properties;
    private final Runnable afterRound;
    private final List<DirectoryTail> directories = new ArrayList<>();
    private final Periodic periodic = new Periodic("mailtrail-tail", this::pollOnce);

    /** @param afterRound run after each round over the directories (the H2 compaction check) */
    TailPoller(IngestEngine engine, JdbcClient jdbc, TailProperties properties, Runnable afterRound) {
        this.engine = engine;
        this.afterRound = afterRound;
        this.jdbc = jdbc;
        this.properties = properties;
    }

    /** One round over every directory; the scheduled task, and what a test calls to go step by step. */
    synchronized void pollOnce() {
        if (directories.isEmpty() && !properties.paths().isEmpty()) {
            open();
        }
        for (DirectoryTail d : directories) {
            try {
                d.poll();
            } catch (IngestException.Stopped e) {
                log.info("tail {}: {}", d.dir(), e.getMessage());
                return; // the application stops: the other directories go on at the next start too
            } catch (Exception e) {
                log.warn("tail {}: {}", d.dir(), e.toString());
            }
        }
        afterRound.run();
    }

    /** Finds each directory's log_source again by its name (so positions survive a restart), or creates it. */
    private void open() {
        FileFinder finder = new FileFinder(properties.files());
        List<DirectoryTail> opened = new ArrayList<>(); // all or none: a failure is tried again next round
        for (Path p : properties.paths()) {
            String name = p.toAbsolutePath().normalize().toString();
            Long id = jdbc.sql("SELECT MIN(id) FROM log_source WHERE kind = 'tail' AND name = ?").param(name)
                    .query(Long.class).optional().orElse(null);
            if (id == null) {
                id = engine.createSource("tail", name);
                log.info("tailing {} (new source {})", name, id);
            } else {
                log.info("tailing {} (source {}, resuming from the committed positions)", name, id);
                if (!"running".equals(jdbc.sql("SELECT state FROM log_source WHERE id = ?").param(id)
                        .query(String.class).single())) {
                    engine.reopenSource(id); // followed again after a time out of mailtrail.tail.paths
                }
            }
            opened.add(new DirectoryTail(engine, Path.of(name), id, finder));
        }
        directories.addAll(opened);
    }

    /**
     * Directories taken out of mailtrail.tail.paths are no longer read: their sources end ("done", since this start)
     * instead of saying "running" for ever; they can then be removed.
     */
    void endUnfollowed() {
        Set<String> followed = new HashSet<>();
        for (Path p : properties.paths()) {
            followed.add(p.toAbsolutePath().normalize().toString());
        }
        record Tail(long id, String name) {
        }
        for (Tail t : jdbc.sql("SELECT id, name FROM log_source WHERE kind = 'tail' AND state = 'running'")
                .query((rs, n) -> new Tail(rs.getLong(1), rs.getString(2))).list()) {
            if (!followed.contains(t.name())) {
                log.info("{} is no longer in mailtrail.tail.paths: no longer followed", t.name());
                engine.finishSource(t.id(), null);
            }
        }
    }

    @Override
    public void start() {
        try {
            endUnfollowed();
        } catch (RuntimeException e) {
            log.warn("cannot look for directories no longer followed: {}", e.getMessage());
        }
        if (!properties.paths().isEmpty()) {
            periodic.start(Duration.ZERO, properties.interval());
        }
    }

    @Override
    public void stop() {
        periodic.stop(); // a round in progress commits batch by batch: waiting lets it end at a clean point
        closeFiles();
    }

    /** Closes the followed files held open between rounds; a round after this opens them again. */
    private synchronized void closeFiles() {
        for (DirectoryTail d : directories) {
            d.close();
        }
    }

    @Override
    public boolean isRunning() {
        return periodic.isRunning();
    }

    @Override
    public int getPhase() {
        return StopReads.AFTER; // so that the round it waits for ends at its next batch
    }
}
