package com.mailtrail.ingest.tail;

import com.mailtrail.ingest.H2Compaction;
import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.IngestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.web.context.WebApplicationContext;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Removes a log source on request (a wrong upload, a directory no longer followed), on a thread of its own: the
 * engine rebuilds what the remaining files make, which takes about as long as loading them did. One removal at a
 * time; one that a stop interrupted is finished when the server is up again.
 */
@Service
public class SourceRemoval implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SourceRemoval.class);

    /** Why a source cannot be removed; {@code notFound} tells a missing source from a refusal. */
    public static final class Refused extends RuntimeException {
        private final boolean notFound;

        Refused(String message, boolean notFound) {
            super(message);
            this.notFound = notFound;
        }

        public boolean notFound() {
            return notFound;
        }
    }

    /**
     * The last removal since the server started, with how far the rebuild has come (from the database, so a rebuild
     * continued after a stop shows too).
     *
     * @param state       "waiting" (for the upload or tail round being read), "rebuilding", "done" or "failed"
     * @param filesToRead files the rebuild reads again
     * @param linesToRead their lines
     * @param linesRead   the lines read again so far
     * @param removedFiles   the files of the source removed, counted when it was asked for (null for a rebuild
     *                       continued after a stop: the source's rows went before it)
     * @param removedLines   their lines
     * @param removedEntries the entries stored from them
     */
    public record View(Long sourceId, String source, String state, LocalDateTime requested, LocalDateTime finished,
                       String error, long filesToRead, long linesToRead, long linesRead, Long removedFiles,
                       Long removedLines, Long removedEntries) {
    }

    private final IngestEngine engine;
    private final H2Compaction compaction;
    private final TailProperties tail;
    private final JdbcClient jdbc;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mailtrail-rebuild");
        t.setDaemon(true);
        return t;
    });
    private volatile Request last;

    /** What was asked and how it went; fields written by the worker, read by requests. */
    private static final class Request {
        final Long sourceId;
        final String source;
        final LocalDateTime requested = LocalDateTime.now();
        /** Files, lines and entries of the source: its rows go with it, and "done" should still say what went. */
        final long[] removed;
        volatile String state = "waiting";
        volatile LocalDateTime finished;
        volatile String error;

        Request(Long sourceId, String source, long[] removed) {
            this.sourceId = sourceId;
            this.source = source;
            this.removed = removed;
        }

        boolean underWay() {
            return state.equals("waiting") || state.equals("rebuilding");
        }
    }

    SourceRemoval(IngestEngine engine, H2Compaction compaction, TailProperties tail, DataSource dataSource) {
        this.engine = engine;
        this.compaction = compaction;
        this.tail = tail;
        this.jdbc = JdbcClient.create(dataSource);
    }

    /**
     * Starts removing a source.
     *
     * @throws Refused when there is no such source, or it cannot go now: a directory still followed, an upload still
     *                 being read, another removal under way
     */
    public synchronized View remove(long sourceId) {
        Optional<Map<String, Object>> row = jdbc.sql("SELECT kind, name, state FROM log_source WHERE id = ?")
                .param(sourceId).query().listOfRows().stream().findFirst();
        if (row.isEmpty()) {
            throw new Refused("there is no log source " + sourceId, true);
        }
        String kind = (String) row.get().get("kind");
        String name = (String) row.get().get("name");
        String state = (String) row.get().get("state");
        Request current = last;
        if (current != null && current.underWay()) {
            throw new Refused("another source is being removed (" + current.source + "); try again when it is done",
                    false);
        }
        if (kind.equals("tail") && followed().contains(name)) {
            throw new Refused(name + " is still followed (mailtrail.tail.paths): it would be read again from the "
                    + "start at the next round. Take it out of mailtrail.tail.paths, restart, then remove it", false);
        }
        if (!kind.equals("tail") && state.equals("running")) {
            throw new Refused(name + " is still being read; remove it when it is done", false);
        }
        // Counted now: an upload still read is refused above and a followed directory too, so its files are whole.
        long[] removed = jdbc.sql("SELECT COUNT(*), SUM(lines), SUM(entries) FROM log_file WHERE source_id = ?")
                .param(sourceId).query((rs, n) -> new long[]{rs.getLong(1), rs.getLong(2), rs.getLong(3)}).single();
        Request request = new Request(sourceId, kind + " " + name, removed);
        last = request;
        worker.execute(() -> run(request, () -> engine.removeSources(List.of(sourceId))));
        return view(request);
    }

    /** The last removal, if any since the server started (or a rebuild it continued). */
    public Optional<View> last() {
        Request r = last;
        return r == null ? Optional.empty() : Optional.of(view(r));
    }

    /**
     * A rebuild that a stop interrupted goes on as soon as the server is up, rather than at the next write. Not in
     * the command-line import, which finishes it before it reads (IngestEngine.ingest) and then ends.
     */
    @EventListener(ApplicationReadyEvent.class)
    public synchronized void continueInterrupted(ApplicationReadyEvent ready) {
        if (ready.getApplicationContext() instanceof WebApplicationContext && engine.rebuildPending()) {
            Request request = new Request(null, "(continued after a stop)", null);
            last = request;
            worker.execute(() -> run(request, engine::finishRebuild));
        }
    }

    /**
     * The removal waiting or under way, if any: the last one asked for, or a rebuild a stop interrupted that nothing
     * has continued yet.
     */
    Optional<View> active() {
        Request r = last;
        if (r != null && r.underWay()) {
            return Optional.of(view(r));
        }
        if (engine.rebuildPending()) {
            Request continued = new Request(null, "(continued after a stop)", null);
            continued.state = "rebuilding";
            return Optional.of(view(continued));
        }
        return Optional.empty();
    }

    /** The names of the directories followed now, as their sources are named. */
    public Set<String> followed() {
        Set<String> names = new HashSet<>();
        for (Path p : tail.paths()) {
            names.add(p.toAbsolutePath().normalize().toString());
        }
        return names;
    }

    private void run(Request request, Runnable removal) {
        request.state = "rebuilding";
        try {
            removal.run();
            request.state = "done";
            log.info("removed {}", request.source);
        } catch (IngestException.Stopped e) {
            request.error = e.getMessage();
            request.state = "failed";
            log.info("removing {}: {}", request.source, e.getMessage());
        } catch (RuntimeException e) {
            request.error = e.getMessage();
            request.state = "failed";
            log.warn("removing {} failed: {}", request.source, e.getMessage());
        } finally {
            request.finished = LocalDateTime.now();
        }
        try {
            compaction.afterPurge(); // rewriting every row makes an H2 file grow, as a purge does
        } catch (RuntimeException e) {
            log.warn("compaction after removing {} failed", request.source, e);
        }
    }

    private View view(Request r) {
        // The worker waits for the engine (an upload being read, a tail round) before the rebuild begins.
        String state = r.state.equals("rebuilding") && !engine.rebuildPending() ? "waiting" : r.state;
        long[] progress = jdbc.sql("SELECT COUNT(*), SUM(lines), SUM(replayed) FROM log_file "
                + "WHERE replayed IS NOT NULL").query((rs, n) -> new long[]{rs.getLong(1), rs.getLong(2),
                rs.getLong(3)}).single(); // SUM of no rows is NULL: getLong makes it 0
        return new View(r.sourceId, r.source, state, r.requested, r.finished, r.error, progress[0], progress[1],
                progress[2], r.removed == null ? null : r.removed[0], r.removed == null ? null : r.removed[1],
                r.removed == null ? null : r.removed[2]);
    }

    @Override
    public void destroy() throws InterruptedException {
        // Not interrupted: an interrupt in the middle of a write closes H2's file channel. A rebuild still running
        // when the database closes fails there, and goes on from its last batch at the next start.
        worker.shutdown();
        worker.awaitTermination(10, TimeUnit.SECONDS);
    }
}
