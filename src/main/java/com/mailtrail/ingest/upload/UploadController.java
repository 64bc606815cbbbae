package com.mailtrail.ingest.upload;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;
import org.springframework.web.util.WebUtils;

import java.net.URI;
import java.util.List;

@RestController
@RequestMapping("/api/uploads")
class UploadController {

    private final UploadService uploads;

    UploadController(UploadService uploads) {
        this.uploads = uploads;
    }

    /** Files under any part name: browsers, curl -F and scripts each name them differently. */
    @PostMapping
    ResponseEntity<UploadViews.Accepted> upload(HttpServletRequest request) {
        MultipartHttpServletRequest multipart = WebUtils.getNativeRequest(request, MultipartHttpServletRequest.class);
        if (multipart == null) {
            throw new UploadProblem(HttpStatus.BAD_REQUEST, "no file part: send the log files as multipart/form-data");
        }
        UploadJob job = uploads.accept(multipart.getMultiFileMap().values().stream().flatMap(List::stream).toList());
        URI location = ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}").buildAndExpand(job.id()).toUri();
        return ResponseEntity.accepted().location(location).body(UploadViews.Accepted.of(job));
    }

    @GetMapping("/{id}")
    UploadViews.Status status(@PathVariable String id) {
        return UploadViews.Status.of(uploads.job(id).orElseThrow(() -> new UploadNotFound(id)));
    }

    @GetMapping
    List<UploadViews.Status> recent() {
        return uploads.recent().stream().map(UploadViews.Status::of).toList();
    }
}
