package com.mailtrail.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;

/**
 * When the application stops (SIGTERM from the service manager, Ctrl-C, a container stopped), reads end at their next
 * batch before the database closes, instead of the database closing under a commit: an upload is then failed with
 * the line it stopped at, a followed file keeps its state and goes on at the next start, a rebuild goes on at the next
 * start. Stopped first, before what waits for a read to end ({@link #AFTER}).
 */
public final class StopReads implements SmartLifecycle {

    /** The phase of what waits for a read in progress (the tailer, retention): after the reads are told to end. */
    public static final int AFTER = SmartLifecycle.DEFAULT_PHASE - 1;
    // A read ends within a batch (milliseconds); a purge or a rebuild's batch within seconds.
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Logger log = LoggerFactory.getLogger(StopReads.class);

    private final IngestEngine engine;
    private volatile boolean running;

    StopReads(IngestEngine engine) {
        this.engine = engine;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        boolean ended;
        try {
            ended = engine.stop(WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ended = false;
        }
        if (!ended) {
            log.warn("stopping before the read in progress ended: the next start marks it as interrupted");
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
