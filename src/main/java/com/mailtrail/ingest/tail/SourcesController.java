package com.mailtrail.ingest.tail;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** All sources, not only tailed ones; it lives here because the tailer's lag is what it is mostly looked at for. */
@RestController
class SourcesController {

    private final Sources sources;

    SourcesController(Sources sources) {
        this.sources = sources;
    }

    @GetMapping("/api/sources")
    List<Sources.SourceView> sources() {
        return sources.all();
    }
}
