package com.mailtrail.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A task run on a daemon thread of its own, again and again with a fixed pause between runs, for the life of the
 * application context (the tailer's rounds, retention's looks). A run that throws is logged and the next one comes
 * all the same; stopping lets a run in progress finish (each commits as it goes), for up to 30 s.
 */
public final class Periodic {

    private static final Logger log = LoggerFactory.getLogger(Periodic.class);

    private final String name;
    private final Runnable task;
    private ScheduledExecutorService scheduler;

    public Periodic(String name, Runnable task) {
        this.name = name;
        this.task = task;
    }

    public synchronized void start(Duration firstDelay, Duration pause) {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
        // scheduleWithFixedDelay drops the task for good if it throws: catch everything.
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (IngestException.Stopped stopping) {
                // Mailtrail is stopping (StopReads ended the reads): a round that begins then, as the tailer's first
                // one may when a stop came during the start, reads nothing, and that is no failure
                log.info("{}: {}", name, stopping.getMessage());
            } catch (Throwable t) {
                log.error("{} failed", name, t);
            }
        }, firstDelay.toMillis(), Math.max(10, pause.toMillis()), TimeUnit.MILLISECONDS);
    }

    public void stop() {
        ScheduledExecutorService s;
        synchronized (this) {
            s = scheduler;
            scheduler = null;
        }
        if (s == null) {
            return;
        }
        s.shutdown();
        try {
            if (!s.awaitTermination(30, TimeUnit.SECONDS)) {
                s.shutdownNow();
            }
        } catch (InterruptedException e) {
            s.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    public synchronized boolean isRunning() {
        return scheduler != null;
    }
}
