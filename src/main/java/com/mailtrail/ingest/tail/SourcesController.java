package com.mailtrail.ingest.tail;

import com.mailtrail.ingest.DatabaseStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** All sources, not only tailed ones; it lives here because the tailer's lag is what it is mostly looked at for. */
@RestController
class SourcesController {

    private final Sources sources;
    private final DatabaseStatus database;

    SourcesController(Sources sources, DatabaseStatus database) {
        this.sources = sources;
        this.database = database;
    }

    @GetMapping("/api/sources")
    List<Sources.SourceView> sources() {
        return sources.all();
    }

    /** The database the sources went into: its kind, size on disk and last compaction. */
    @GetMapping("/api/database")
    DatabaseStatus.View database() {
        return database.now();
    }
}
