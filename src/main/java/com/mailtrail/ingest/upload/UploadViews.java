package com.mailtrail.ingest.upload;

import com.mailtrail.ingest.CutLines;
import com.mailtrail.ingest.Progress;

import java.time.Instant;
import java.util.List;

/** The JSON bodies of the upload API. */
final class UploadViews {

    /** Rejected lines shown per file; the count goes on beyond it. */
    static final int SHOWN_REJECTIONS = 100;

    private UploadViews() {
    }

    /** The answer to a POST: the job to poll and what it holds. */
    record Accepted(String id, List<AcceptedFile> files) {
        static Accepted of(UploadJob job) {
            return new Accepted(job.id(), job.files().stream()
                    .map(f -> new AcceptedFile(f.name(), f.bytesTotal(), f.gzip())).toList());
        }
    }

    record AcceptedFile(String name, long bytes, boolean gzip) {
    }

    record Rejection(long line, String reason, String text) {
    }

    record FileStatus(String name, String state, long bytesRead, long bytesTotal, long entries, long messages,
                      long rejected, long duplicates, double entriesPerSecond, String error,
                      List<Rejection> rejections, long cut, List<Long> cutLines, String cutNote) {

        static FileStatus of(UploadFile f) {
            // The state first: once it says done, every rejection was added before it (a page that takes the first
            // "done" as the end would otherwise miss the rejected lines of the last batch).
            String state = f.state();
            Progress p = f.progress();
            List<Rejection> shown = p == null ? List.of() : p.rejections().stream().limit(SHOWN_REJECTIONS)
                    .map(r -> new Rejection(r.line(), r.reason(), r.text())).toList();
            return new FileStatus(f.name(), state, f.bytesRead(), f.bytesTotal(), f.entries(), f.messages(),
                    f.rejected(), f.duplicates(), f.entriesPerSecond(), f.error(), shown, f.cut(), f.cutLines(),
                    CutLines.note(f.cut(), f.cutLines()));
        }
    }

    /** A job and its files; the totals add up the files (bytes are the uploaded, possibly compressed, bytes). */
    record Status(String id, String state, Long sourceId, String error, Instant created, List<FileStatus> files,
                  long bytesRead, long bytesTotal, long entries, long messages, long rejected, long duplicates,
                  double entriesPerSecond, long cut) {

        static Status of(UploadJob job) {
            // The job's state first, then its files: a job that says done or failed shows its files' last state.
            String state = job.state();
            List<FileStatus> files = job.files().stream().map(FileStatus::of).toList();
            double seconds = 0;
            for (UploadFile f : job.files()) {
                seconds += f.seconds();
            }
            long entries = files.stream().mapToLong(FileStatus::entries).sum();
            return new Status(job.id(), state, job.sourceId(), job.error(), job.created(), files,
                    files.stream().mapToLong(FileStatus::bytesRead).sum(),
                    files.stream().mapToLong(FileStatus::bytesTotal).sum(), entries,
                    files.stream().mapToLong(FileStatus::messages).sum(),
                    files.stream().mapToLong(FileStatus::rejected).sum(),
                    files.stream().mapToLong(FileStatus::duplicates).sum(),
                    seconds <= 0 ? 0 : entries / seconds, files.stream().mapToLong(FileStatus::cut).sum());
        }
    }
}
