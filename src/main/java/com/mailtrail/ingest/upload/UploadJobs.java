package com.mailtrail.ingest.upload;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The recent upload jobs, in memory. Bounded: beyond {@code keepFinished} finished jobs the oldest finished ones are
 * forgotten; jobs still waiting or reading are always kept (their number is limited when they are accepted).
 */
final class UploadJobs {

    private final int keepFinished;
    private final Map<String, UploadJob> jobs = new LinkedHashMap<>();

    UploadJobs(int keepFinished) {
        this.keepFinished = keepFinished;
    }

    synchronized void add(UploadJob job) {
        jobs.put(job.id(), job);
        trim();
    }

    synchronized Optional<UploadJob> get(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** Newest first. */
    synchronized List<UploadJob> recent() {
        List<UploadJob> out = new ArrayList<>(jobs.values());
        java.util.Collections.reverse(out);
        return out;
    }

    synchronized int unfinished() {
        return (int) jobs.values().stream().filter(j -> !j.finished()).count();
    }

    synchronized void trim() {
        long finished = jobs.values().stream().filter(UploadJob::finished).count();
        for (Iterator<UploadJob> it = jobs.values().iterator(); it.hasNext() && finished > keepFinished; ) {
            if (it.next().finished()) {
                it.remove();
                finished--;
            }
        }
    }
}
