package com.mailtrail.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.context.WebApplicationContext;

import java.time.LocalDateTime;

/**
 * Uploads and imports that a crash or a kill cut short would say "reading" for ever (a stop ends them itself: see
 * {@link StopReads}): they are failed once Mailtrail is up, with
 * the line they were stored to. Only what no other process may still be reading, and only from before this start:
 * a server fails the uploads (the server that took an upload is the only one to read it); on H2, whose file one
 * process at a time may open, a server or an import fails the imports too (on PostgreSQL an import may be running
 * beside the server).
 */
@Component
class InterruptedReads {

    private static final Logger log = LoggerFactory.getLogger(InterruptedReads.class);

    private final IngestEngine engine;
    private final LocalDateTime started = LocalDateTime.now();

    InterruptedReads(IngestEngine engine) {
        this.engine = engine;
    }

    @EventListener(ApplicationReadyEvent.class)
    void failInterrupted(ApplicationReadyEvent ready) {
        int files = 0;
        if (ready.getApplicationContext() instanceof WebApplicationContext) {
            files += engine.failInterrupted("upload", started);
        }
        if (engine.onlyWriter()) {
            files += engine.failInterrupted("import", started);
        }
        if (files > 0) {
            log.warn("{} file(s) were being read when Mailtrail stopped: marked failed; load them again", files);
        }
    }
}
