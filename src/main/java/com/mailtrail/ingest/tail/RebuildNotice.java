package com.mailtrail.ingest.tail;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * While a removal rebuilds the database, every page says so above its content: a search or a chart then shows a
 * database half built, and an administrator must not take a missing message for one that never came.
 */
@ControllerAdvice(annotations = Controller.class)
class RebuildNotice {

    private final SourceRemoval removal;

    RebuildNotice(SourceRemoval removal) {
        this.removal = removal;
    }

    /** The removal waiting or under way, or null: only fields in memory are read while there is none. */
    @ModelAttribute("rebuild")
    SourceRemoval.View rebuild() {
        return removal.active().orElse(null);
    }
}
