package com.mailtrail.ingest.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What an accepted upload is, written beside its files ({@code job.properties}): a job that a stop or a crash cut off
 * before it was read, or while it was, is found again at the next start and read then. The user's file names are
 * kept here, since the files themselves have names of ours.
 */
final class UploadManifest {

    static final String NAME = "job.properties";
    private static final String STARTS = "starts";
    /** A job cut off this many times is not read again: its files may be what ends the process (a crash loop). */
    static final int MAX_STARTS = 3;

    private UploadManifest() {
    }

    /** Written whole or not at all: a half-written manifest would lose the job at the next start. */
    static void write(UploadJob job) throws IOException {
        Properties p = new Properties();
        p.setProperty("created", job.created().toString());
        p.setProperty("files", String.valueOf(job.files().size()));
        for (int i = 0; i < job.files().size(); i++) {
            UploadFile f = job.files().get(i);
            String key = "file." + i + ".";
            p.setProperty(key + "name", f.name());
            p.setProperty(key + "path", f.path().getFileName().toString());
            p.setProperty(key + "bytes", String.valueOf(f.bytesTotal()));
            p.setProperty(key + "gzip", String.valueOf(f.gzip()));
            p.setProperty(key + "limit", String.valueOf(f.decompressedLimit()));
        }
        Path tmp = job.dir().resolve(NAME + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            p.store(out, "an upload accepted by Mailtrail: read at the next start if it was not read to its end");
        }
        Files.move(tmp, job.dir().resolve(NAME), StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Counts one more start that reads the job in {@code dir} again; false once it has had {@link #MAX_STARTS} that
     * ended without a clean stop.
     */
    static boolean anotherStart(Path dir) {
        Path file = dir.resolve(STARTS);
        try {
            int starts = Files.exists(file) ? Integer.parseInt(Files.readString(file).strip()) : 0;
            if (starts >= MAX_STARTS) {
                return false;
            }
            Files.writeString(file, String.valueOf(starts + 1));
            return true;
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /** A clean stop cut the job off, not a crash: it does not count among the starts it was cut off in. */
    static void stoppedCleanly(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve(STARTS));
        } catch (IOException ignored) {
            // then it counts: at worst a job given up after three stops in a row
        }
    }

    /**
     * The job left in {@code dir} by an earlier run, with the files still there (a file read to its end is removed);
     * empty when there is no manifest, it cannot be read, or no file is left.
     */
    static Optional<UploadJob> read(String id, Path dir) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(NAME))) {
            p.load(in);
            List<UploadFile> files = new ArrayList<>();
            int count = Integer.parseInt(p.getProperty("files"));
            for (int i = 0; i < count; i++) {
                String key = "file." + i + ".";
                Path path = dir.resolve(Path.of(p.getProperty(key + "path")).getFileName());
                if (Files.isRegularFile(path)) {
                    files.add(new UploadFile(p.getProperty(key + "name"), path,
                            Long.parseLong(p.getProperty(key + "bytes")),
                            Boolean.parseBoolean(p.getProperty(key + "gzip")),
                            Long.parseLong(p.getProperty(key + "limit"))));
                }
            }
            if (files.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new UploadJob(id, dir, files, Instant.parse(p.getProperty("created"))));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // no manifest (an older run), or damaged: the job cannot be read again
        }
    }
}
