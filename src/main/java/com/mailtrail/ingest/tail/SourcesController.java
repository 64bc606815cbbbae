package com.mailtrail.ingest.tail;

import com.mailtrail.ingest.DatabaseStatus;
import com.mailtrail.system.ApiError;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** All sources, not only tailed ones; it lives here because the tailer's lag is what it is mostly looked at for. */
@RestController
class SourcesController {

    private final Sources sources;
    private final DatabaseStatus database;
    private final SourceRemoval removal;

    SourcesController(Sources sources, DatabaseStatus database, SourceRemoval removal) {
        this.sources = sources;
        this.database = database;
        this.removal = removal;
    }

    @GetMapping("/api/sources")
    List<Sources.SourceView> sources() {
        return sources.all();
    }

    /** Removes a source: 202 at once, the rebuild that follows is seen at /api/sources/removal. */
    @DeleteMapping("/api/sources/{id}")
    ResponseEntity<SourceRemoval.View> remove(@PathVariable long id) {
        return ResponseEntity.accepted().location(URI.create("/api/sources/removal")).body(removal.remove(id));
    }

    @GetMapping("/api/sources/removal")
    ResponseEntity<?> removal() {
        return removal.last().<ResponseEntity<?>>map(ResponseEntity::ok).orElseGet(() -> ApiError.of(
                HttpStatus.NOT_FOUND, "no source was removed since the server started"));
    }

    /** The database the sources went into: its kind, size on disk and last compaction. */
    @GetMapping("/api/database")
    DatabaseStatus.View database() {
        return database.now();
    }

    @ExceptionHandler
    ResponseEntity<Map<String, String>> refused(SourceRemoval.Refused e) {
        return ApiError.of(e.notFound() ? HttpStatus.NOT_FOUND : HttpStatus.CONFLICT, e.getMessage());
    }
}
