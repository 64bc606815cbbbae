package com.mailtrail.ingest.upload;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * The upload page. The uploading itself is done by js/upload.js against /api/uploads; the server renders the form and
 * the uploads of this run, in the same shape as the status API, so that a reload does not lose sight of them.
 */
@Controller
class UploadPageController {

    private final UploadService uploads;

    UploadPageController(UploadService uploads) {
        this.uploads = uploads;
    }

    @GetMapping("/upload")
    String upload(Model model) {
        model.addAttribute("page", "upload");
        model.addAttribute("recent", uploads.recent().stream().map(UploadViews.Status::of).toList());
        return "upload";
    }
}
