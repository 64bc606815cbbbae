package com.mailtrail.ingest.upload;

import com.mailtrail.ingest.CountingInputStream;
import com.mailtrail.ingest.DecompressionLimit;
import com.mailtrail.ingest.H2Compaction;
import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.IngestException;
import com.mailtrail.ingest.IngestProperties;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogInput;
import com.mailtrail.parse.LogOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.multipart.MultipartFile;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Takes uploaded files in, checks them, parks them in the upload directory and reads them one job at a time on a
 * background thread. One worker is enough: the engine writes one file at a time anyway.
 */
@Service
class UploadService implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(UploadService.class);
    /** Finished jobs remembered for the status API. */
    static final int KEEP_FINISHED = 100;
    /** Jobs waiting or reading at once; each holds its files on disk until read. */
    static final int MAX_UNFINISHED = 20;
    private static final String JOB_DIR_PREFIX = "job-";
    private static final String NEXT_START = "not read yet: Mailtrail stopped before its turn; it is read when "
            + "Mailtrail starts again";

    private final IngestEngine engine;
    private final H2Compaction compaction;
    private final IngestProperties properties;
    private final UploadInspector inspector;
    private final UploadJobs jobs = new UploadJobs(KEEP_FINISHED);
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "mailtrail-upload");
        t.setDaemon(true);
        return t;
    });

    UploadService(IngestEngine engine, IngestProperties properties, H2Compaction compaction) {
        this.engine = engine;
        this.compaction = compaction;
        this.properties = properties;
        this.inspector = new UploadInspector(properties.maxRatio());
    }

    /** Checks and queues the files of one upload; throws {@link UploadProblem} for anything the user must fix. */
    UploadJob accept(List<MultipartFile> parts) {
        List<MultipartFile> files = parts.stream()
                .filter(p -> p.getSize() > 0 || !displayName(p).isEmpty()) // a form's empty file input sends neither
                .toList();
        if (files.isEmpty()) {
            throw new UploadProblem(HttpStatus.BAD_REQUEST, "no file in the upload: send one or more log files as "
                    + "multipart/form-data file parts");
        }
        if (jobs.unfinished() >= MAX_UNFINISHED) {
            throw new UploadProblem(HttpStatus.TOO_MANY_REQUESTS, MAX_UNFINISHED + " uploads are already waiting "
                    + "to be read; try again when some have finished");
        }
        String id = UUID.randomUUID().toString();
        Path dir = properties.uploadDir().toAbsolutePath().resolve(JOB_DIR_PREFIX + id);
        try {
            Files.createDirectories(dir);
            List<UploadFile> accepted = new ArrayList<>();
            List<String> empty = new ArrayList<>();
            // One budget for the request: it waits for the inflating that tells a cut-off gzip from a bomb.
            DecompressionLimit.Budget budget = new DecompressionLimit.Budget(DecompressionLimit.DECIDE_BUDGET);
            for (MultipartFile part : files) {
                String name = displayName(part);
                if (name.isEmpty()) {
                    name = part.getName();
                }
                // Our own file name: the user's may hold a path or characters the file system refuses.
                Path target = dir.resolve((accepted.size() + 1) + ".upload");
                part.transferTo(target.toFile()); // java.io.File: lets the container move its temporary file
                UploadInspector.Inspection inspection = inspector.inspect(target, name, budget);
                if (inspection.empty() != null) {
                    empty.add(inspection.empty());
                }
                long size = Files.size(target);
                accepted.add(new UploadFile(name, target, size, inspection.gzip(),
                        DecompressionLimit.limit(size, properties.maxRatio())));
            }
            // An empty file beside others (a mail.log_current just rotated, in a directory uploaded whole) is read as
            // import reads it: no entries. Only an upload with nothing at all to read is a mistake.
            if (empty.size() == accepted.size()) {
                throw new UploadProblem(HttpStatus.BAD_REQUEST, String.join(", ", empty)
                        + (empty.size() > 1 ? ": nothing to read" : ""));
            }
            UploadJob job = new UploadJob(id, dir, accepted);
            UploadManifest.write(job);
            jobs.add(job);
            worker.execute(() -> run(job));
            return job;
        } catch (IOException e) {
            deleteTree(dir);
            throw new UploadProblem(HttpStatus.INTERNAL_SERVER_ERROR, "cannot keep the uploaded files in "
                    + properties.uploadDir() + ": " + e.getMessage());
        } catch (RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    Optional<UploadJob> job(String id) {
        return jobs.get(id);
    }

    List<UploadJob> recent() {
        return jobs.recent();
    }

    /**
     * Reads a job's files in order. A file whose data is bad (a damaged gzip, a gzip bomb) fails alone: the files
     * after it are read, since correlation does not depend on the order files come in, and an admin who selected a
     * month of rotated logs should not have to upload all those after one damaged file again. Any other failure (the
     * database) stops the job. What was read stays stored. A stop of Mailtrail keeps the files not read to their end,
     * with the manifest, for the next start.
     */
    private void run(UploadJob job) {
        if (engine.stopping()) {
            job.finish(NEXT_START);
            log.info("upload {}: {}", job.id(), NEXT_START);
            UploadManifest.stoppedCleanly(job.dir());
            return;
        }
        boolean stopped = false;
        try {
            long source = engine.createSource("upload", job.sourceName());
            job.reading(source);
            String failure = null;
            boolean giveUp = false;
            for (UploadFile f : job.files()) {
                if (stopped) {
                    f.skipped(NEXT_START); // kept, as the file cut off is, for the next start
                    continue;
                }
                if (giveUp) {
                    f.skipped("not read: an earlier file of this upload failed");
                    delete(f.path());
                    continue;
                }
                String failed = null;
                try {
                    read(source, f);
                } catch (IngestException.Stopped e) {
                    stopped = true;
                    failed = f.name() + ": " + e.getMessage() + "; it is read again when Mailtrail starts";
                    log.info("upload {}: {}", job.id(), failed);
                } catch (IOException e) {
                    failed = explain(f, e); // this file's own data: the next files are read
                    log.warn("upload {}: {}", job.id(), failed);
                } catch (RuntimeException e) {
                    giveUp = true;
                    failed = explain(f, e);
                    log.warn("upload {}: {}", job.id(), failed);
                } catch (Error e) {
                    // Caught so that the job ends "failed" rather than "reading" for ever; once the read is
                    // abandoned its memory is free again.
                    giveUp = true;
                    failed = f.name() + ": " + IngestException.stopped(e);
                    log.error("upload {}: {}", job.id(), failed, e);
                }
                if (failed != null) {
                    f.failed(failed);
                    failure = failure == null ? failed : failure; // the job says the first
                }
                if (!stopped) {
                    delete(f.path());
                }
            }
            engine.finishSource(source, failure);
            job.finish(failure);
        } catch (IngestException.Stopped e) {
            stopped = true; // before its source was created
            job.finish(NEXT_START);
        } catch (RuntimeException e) {
            // The database refused even the source row: nothing was read.
            log.error("upload {} failed", job.id(), e);
            job.finish("cannot store the upload: " + LogInput.reason(e));
        } finally {
            if (stopped) {
                UploadManifest.stoppedCleanly(job.dir());
            } else {
                deleteTree(job.dir());
            }
            jobs.trim();
        }
        try {
            compaction.afterImport(); // a large upload leaves H2 at twice its size: see H2Compaction (not when stopping)
        } catch (RuntimeException e) {
            log.warn("compaction after upload {} failed", job.id(), e);
        }
    }

    private void read(long source, UploadFile f) throws IOException {
        Progress progress = f.start();
        // Counted below the decompression, so bytesRead compares with the size of what was uploaded.
        try (InputStream raw = new CountingInputStream(Files.newInputStream(f.path()), f::bytesRead)) {
            InputStream in = raw;
            if (f.gzip()) {
                // GZIPInputStream reads every member of a concatenated (multi-member) gzip file.
                in = DecompressionLimit.wrap(new GZIPInputStream(raw, 1 << 16), f.decompressedLimit(),
                        f.bytesTotal(), properties.maxRatio(), UploadInspector.RAISE);
            }
            f.done(engine.ingest(source, f.name(), in, LogOptions.auto(), progress));
        }
    }

    private static String explain(UploadFile f, Exception e) {
        if (f.gzip() && (e instanceof ZipException || e instanceof EOFException)) {
            return f.name() + ": the gzip data is corrupt or truncated (" + LogInput.reason(e) + "); what was read "
                    + "before the error stays stored";
        }
        return f.name() + ": " + LogInput.reason(e);
    }

    private static String displayName(MultipartFile part) {
        String name = part.getOriginalFilename();
        if (name == null) {
            return "";
        }
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')); // browsers on Windows may send a path
        name = name.substring(slash + 1).strip();
        // Shortened in the middle: the end (".log", ".gz", a date) tells files with a long common start apart.
        return name.length() > 255 ? name.substring(0, 126) + "…" + name.substring(name.length() - 128) : name;
    }

    /**
     * Uploads accepted and not read to their end when Mailtrail stopped (or crashed) are read now, under their own
     * ids, so that a page or script following one finds it again. A file whose read was cut off is read again whole:
     * the lines stored already are not added twice. Only in the server: an import run beside it leaves them alone.
     */
    @EventListener
    void readLeftovers(ApplicationReadyEvent ready) {
        if (!(ready.getApplicationContext() instanceof WebApplicationContext)) {
            return;
        }
        Path uploadDir = properties.uploadDir().toAbsolutePath();
        if (!Files.isDirectory(uploadDir)) {
            return;
        }
        List<UploadJob> left = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(uploadDir, JOB_DIR_PREFIX + "*")) {
            for (Path dir : dirs) {
                Optional<UploadJob> job = UploadManifest.read(
                        dir.getFileName().toString().substring(JOB_DIR_PREFIX.length()), dir);
                if (job.isEmpty()) {
                    log.info("removing {}: an upload a stop interrupted, that cannot be read again", dir);
                    deleteTree(dir);
                } else if (!UploadManifest.anotherStart(dir)) {
                    log.warn("removing {} ({}): its reading was cut off at {} starts in a row; load it again if it "
                            + "should be read", dir, job.get().sourceName(), UploadManifest.MAX_STARTS);
                    deleteTree(dir);
                } else {
                    left.add(job.get());
                }
            }
        } catch (IOException e) {
            log.warn("cannot look for interrupted uploads in {}: {}", uploadDir, e.getMessage());
        }
        // In the order they were accepted: a later upload may hold the same lines (the day's log again), which are
        // then its duplicates, as they would have been.
        left.sort(Comparator.comparing(UploadJob::created).thenComparing(UploadJob::id));
        for (UploadJob job : left) {
            log.info("upload {} ({}), accepted at {} and not read to its end before the stop: reading it now",
                    job.id(), job.sourceName(), job.created());
            jobs.add(job);
            worker.execute(() -> run(job));
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("cannot delete {}: {}", file, e.getMessage());
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(UploadService::delete);
        } catch (IOException | UncheckedIOException e) {
            log.warn("cannot delete {}: {}", dir, e.getMessage());
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        // Not interrupted: an interrupt in the middle of a write closes H2's file channel. The read in progress has
        // ended already (StopReads); waiting jobs end at once without reading.
        worker.shutdown();
        worker.awaitTermination(30, TimeUnit.SECONDS);
    }
}
