package com.mailtrail.ingest.tail;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * While a removal rebuilds the database, every page says so above its content: a search or a chart then shows a
 * database half built, and an administrator must not take a missing message for one that never came.
 */
@ControllerAdvice(annotations = Controller.class)
class RebuildNotice {

    // A provider: an advice is part of every web slice (a @WebMvcTest of one controller), which has no write path.
    private final ObjectProvider<SourceRemoval> removal;

    RebuildNotice(ObjectProvider<SourceRemoval> removal) {
        this.removal = removal;
    }

    /** The removal waiting or under way, or null: only fields in memory are read while there is none. */
    @ModelAttribute("rebuild")
    SourceRemoval.View rebuild() {
        SourceRemoval r = removal.getIfAvailable();
        return r == null ? null : r.active().orElse(null);
    }
}
