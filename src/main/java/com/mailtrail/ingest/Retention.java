package com.mailtrail.ingest;

import com.mailtrail.store.SqlTimes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.Duration;
import java.util.Optional;

/**
 * Keeps {@code mailtrail.retention.days} days of history: a server that follows a busy MTA's log for months would
 * otherwise grow without end. The days are counted in log time back from the newest message stored, not from the
 * clock, so that last year's log imported to look into it is not removed for being old (only what lies that many
 * days before the newest message is); the clock only keeps a message dated in the future from being the newest. Every {@code mailtrail.retention.interval} on its own thread; off by default.
 */
@Component
public class Retention implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    /**
     * One look at the data.
     *
     * @param at      when it ran
     * @param newest  the newest message's first line then, of those not dated after tomorrow (null: no message)
     * @param removed what was removed before the cutoff (null when there was no message)
     * @param error   why it failed, or null
     */
    public record Run(LocalDateTime at, LocalDateTime newest, Purge.Result removed, String error) {
    }

    private final IngestEngine engine;
    private final RetentionProperties properties;
    private final Runnable afterPurge;
    private volatile Run last;
    private final Periodic periodic = new Periodic("mailtrail-retention", this::runOnce);

    @Autowired
    Retention(IngestEngine engine, RetentionProperties properties, H2Compaction compaction) {
        this(engine, properties, compaction::afterPurge);
    }

    /** @param afterPurge run after a look that removed something (the H2 compaction check) */
    Retention(IngestEngine engine, RetentionProperties properties, Runnable afterPurge) {
        this.engine = engine;
        this.properties = properties;
        this.afterPurge = afterPurge;
    }

    public int days() {
        return properties.days();
    }

    /** The last look since the server started, or empty. */
    public Optional<Run> last() {
        return Optional.ofNullable(last);
    }

    /**
     * One look: removes what is older than the days kept; what the scheduler runs, and what a test calls. Null when
     * retention is off.
     */
    Run runOnce() {
        if (properties.days() == 0) {
            return null; // keeps everything: a cutoff of "0 days before the newest" would remove nearly all
        }
        LocalDateTime at = LocalDateTime.now();
        Run run;
        try {
            // Messages dated after tomorrow by this machine's clock do not count: one line from an MTA whose clock
            // was wrong, or garbled in a damaged gzip ("01-Jan-2099"), made everything else "older than the days
            // kept" and removed it all. Tomorrow, since the log's times carry no zone.
            LocalDateTime notAfter = LocalDateTime.now().plusDays(1);
            LocalDateTime newest = engine.onOwnConnection(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT MAX(first_seen) FROM message "
                        + "WHERE first_seen <= ?")) {
                    SqlTimes.set(ps, 1, notAfter);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? SqlTimes.get(rs, 1) : null;
                    }
                }
            });
            Purge.Result removed = newest == null ? null : engine.purge(newest.minusDays(properties.days()));
            run = new Run(at, newest, removed, null);
            if (removed != null && removed.messages() + removed.rawBlocks() + removed.connections() > 0) {
                afterPurge.run();
                log.info("retention (mailtrail.retention.days={}): removed {} messages, {} blocks of log text and {} connection entries "
                                + "from before {} in {} s", properties.days(), removed.messages(), removed.rawBlocks(),
                        removed.connections(), removed.keptFrom(), String.format("%.1f", removed.seconds()));
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("retention: {}", e.getMessage());
            run = new Run(at, null, null, e.getMessage());
        }
        last = run;
        return run;
    }

    @Override
    public void start() {
        if (properties.days() > 0) {
            // The first look within a minute of the start: the server comes up and the tailer catches up first.
            Duration pause = max(properties.interval(), Duration.ofSeconds(1));
            periodic.start(pause.compareTo(Duration.ofMinutes(1)) < 0 ? pause : Duration.ofMinutes(1), pause);
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) < 0 ? b : a;
    }

    @Override
    public void stop() {
        periodic.stop(); // a purge in progress ends its transaction; what it did not reach is removed next time
    }

    @Override
    public boolean isRunning() {
        return periodic.isRunning();
    }

    @Override
    public int getPhase() {
        return StopReads.AFTER;
    }
}
