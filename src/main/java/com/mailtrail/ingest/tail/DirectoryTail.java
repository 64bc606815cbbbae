package com.mailtrail.ingest.tail;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.IngestException;
import com.mailtrail.ingest.IngestEngine.FileState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One tailed directory, one log_source row: matches the files found against the files known (committed in log_file)
 * and decides for each whether it continues, was renamed, was truncated, is new or is gone.
 */
final class DirectoryTail {

    static final String TAILING = "tailing";
    /** Read on under another name than it was found by: yesterday's log after the nightly rotation. */
    static final String ROTATED = "rotated";
    static final String TRUNCATED = "truncated";
    static final String GONE = "gone";
    static final String FAILED = "failed";
    /** The suffix of a log still being written (mail.log_current); without it, the cumulative log (mail.log). */
    private static final String CURRENT = "_current";
    private static final Set<String> FINISHED = Set.of(TRUNCATED, GONE);

    private static final Logger log = LoggerFactory.getLogger(DirectoryTail.class);

    private final IngestEngine engine;
    private final Path dir;
    private final long sourceId;
    private final FileFinder finder;
    private final FileReading reading;
    // Files missed by one look; gone only when the next one misses them too (a listing is not atomic with renames).
    private final Set<Long> missedOnce = new HashSet<>();
    // Files this tail has found in the directory, or begun, since it started: one that leaves unseen left while
    // Mailtrail was stopped. A file begun in this run is in it from its first read, so that its removal or
    // truncation at the next round is not blamed on a stop.
    private final Set<Long> seen = new HashSet<>();
    // What kept the last round from reading (the directory, or files it could not open), as recorded on the source
    // row; UNKNOWN until the first round, which records its own state over whatever an earlier run left there.
    private static final String UNKNOWN = "\0";
    private String problem = UNKNOWN;

    DirectoryTail(IngestEngine engine, Path dir, long sourceId, FileFinder finder) {
        this.engine = engine;
        this.dir = dir;
        this.sourceId = sourceId;
        this.finder = finder;
        this.reading = new FileReading(engine);
    }

    Path dir() {
        return dir;
    }

    long sourceId() {
        return sourceId;
    }

    /** One round: never throws for a single file's trouble, which is recorded on that file's row. */
    void poll() throws IOException {
        List<ObservedFile> found;
        try {
            found = finder.find(dir);
        } catch (NoSuchFileException e) {
            // Not there (yet, or unmounted for a moment): its files are not missed, just not looked at.
            problem(dir + ": no such directory (not created yet, or not mounted); looked for again every round");
            return;
        } catch (IOException e) {
            problem(dir + ": cannot be listed: " + reason(e) + "; tried again every round");
            return;
        }
        List<ObservedFile> fresh = new ArrayList<>();
        List<FileState> known = engine.files(sourceId).stream().filter(f -> !FINISHED.contains(f.state())).toList();
        Map<FileState, ObservedFile> continuing = new LinkedHashMap<>();
        for (ObservedFile o : found) {
            FileState k = match(known, o);
            if (k == null) {
                fresh.add(o);
            } else if (!continuing.containsKey(k)) {
                continuing.put(k, o); // a second name for the same inode (a hard link) is not read twice
            }
        }
        for (FileState k : known) {
            if (!continuing.containsKey(k)) {
                missed(k);
            }
        }
        // Known files first, oldest first: the end of a rotated file is read before the new file is begun.
        continuing.forEach((k, o) -> {
            missedOnce.remove(k.id());
            guarded(k, o, () -> follow(k, o));
        });
        continuing.keySet().forEach(k -> seen.add(k.id()));
        // A file that cannot even be begun has no row of its own yet: its trouble goes on the source's.
        List<String> unreadable = new ArrayList<>();
        for (ObservedFile o : fresh) {
            String failure = guarded(null, o, () -> start(o));
            if (failure != null) {
                unreadable.add(failure);
            }
        }
        problem(unreadable.isEmpty() ? null : String.join("; ", unreadable) + "; tried again every round");
    }

    /** Records a change of what keeps this directory from being read, and logs it once. */
    private void problem(String now) {
        if (Objects.equals(now, problem)) {
            return;
        }
        if (now != null) {
            log.warn("tail {}", now);
        } else if (!UNKNOWN.equals(problem)) {
            log.info("tail {}: read again", dir);
        }
        engine.sourceProblem(sourceId, now);
        problem = now;
    }

    /** What went wrong, in words: the JDK's file exceptions carry only the path as their message. */
    static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied (Mailtrail runs as " + System.getProperty("user.name") + ")";
        }
        if (e instanceof java.nio.file.NotDirectoryException) {
            return "not a directory (mailtrail.tail.paths names directories)";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private FileState match(List<FileState> known, ObservedFile o) {
        for (FileState k : known) {
            if (o.hasIdentity() ? o.sameIdentity(k.device(), k.inode()) : k.inode() == null && k.name().equals(o.name())) {
                return k;
            }
        }
        return null;
    }

    private void missed(FileState k) {
        if (missedOnce.add(k.id())) {
            return;
        }
        missedOnce.remove(k.id());
        long unread = unread(k);
        String notRead = unreadSinceStop(k);
        engine.markFile(k.id(), GONE, notRead != null ? "left the directory: " + notRead
                : unread > 0 ? "removed, or renamed to a name not in mailtrail.tail.files, with " + unread
                + " bytes not read" : null);
    }

    /** The bytes after the last complete line at the file's last read: a line still being written then. */
    private static long unread(FileState k) {
        return k.size() == null ? 0 : Math.max(0, k.size() - k.position());
    }

    /**
     * What may be missing from a file that was still being written at its last read (a {@code _current} log) and is
     * found gone or replaced at the first look after a start: its size then is all that was known, so the lines
     * written after it are not counted as unread, yet they were never read. The nightly job appends them to the
     * cumulative log ({@code mail.log}), which can be loaded; lines already stored are recognised and not stored
     * twice. Null when nothing can be missing: a file this tail has watched (or begun) was read up to its last
     * change.
     */
    private String unreadSinceStop(FileState k) {
        if (seen.contains(k.id()) || !k.name().endsWith(CURRENT)) {
            return null;
        }
        String cumulative = k.name().substring(0, k.name().length() - CURRENT.length());
        long unread = unread(k);
        // A line being written at the stop is in the cumulative log too, completed: the same hint holds for it.
        return (unread > 0 ? "the " + unread + " bytes after its last complete line and the " : "")
                + "lines written to it after its last read"
                + (k.updated() == null ? "" : " (" + k.updated().withNano(0).toString().replace('T', ' ') + ")")
                + " while Mailtrail was stopped were not read; the nightly rotation appends them to " + cumulative
                + ": upload or import that file to fill the gap (lines already stored are not stored twice)";
    }

    /** "; " and what may be missing (see unreadSinceStop), or nothing. */
    private String alsoUnreadSinceStop(FileState k) {
        String notRead = unreadSinceStop(k);
        return notRead == null ? "" : "; " + notRead;
    }

    /** A known file seen again, perhaps under a new name: read what was added, or start over if it was cut. */
    private void follow(FileState k, ObservedFile o) throws IOException {
        try (FileChannel ch = FileChannel.open(o.path(), StandardOpenOption.READ)) {
            if (!stillTheSame(o)) {
                return; // replaced between the listing and the opening: the next round sorts it out
            }
            long size = ch.size(); // now, not at the listing: a truncation since then shows
            byte[] head = Fingerprint.head(ch);
            String why = null;
            if (size < k.position()) {
                why = "it shrank from " + k.position() + " to " + size + " bytes";
            } else if (head.length < k.headLength() || !Fingerprint.of(head, k.headLength()).equals(k.fingerprint())) {
                why = "its first bytes changed";
            }
            if (why != null) {
                if (o.name().equals(k.name())) {
                    engine.markFile(k.id(), TRUNCATED, why + ": read again from the start as a new file"
                            + alsoUnreadSinceStop(k));
                } else {
                    // Another name and other content: the old file was deleted and its inode number reused.
                    engine.markFile(k.id(), GONE, "deleted; its inode now belongs to " + o.name()
                            + alsoUnreadSinceStop(k));
                }
                startOpen(o, ch, size);
                return;
            }
            String fingerprint = k.fingerprint();
            int headLength = k.headLength();
            if (head.length > headLength) { // still short when first seen: take in more of its start
                fingerprint = Fingerprint.of(head, head.length);
                headLength = head.length;
            }
            boolean renamed = !o.name().equals(k.name());
            String state = renamed || ROTATED.equals(k.state()) ? ROTATED : TAILING;
            boolean changed = size > k.position() || renamed || headLength != k.headLength()
                    || !state.equals(k.state()) || !Objects.equals(k.size(), size) || k.error() != null;
            if (changed) {
                FileState current = new FileState(k.id(), k.sourceId(), k.name(), fingerprint, headLength, k.device(),
                        k.inode(), k.position(), k.lines(), k.size(), k.state(), k.error(), k.updated());
                reading.read(ch, current, o.name(), size, state);
            }
        }
    }

    private void start(ObservedFile o) throws IOException {
        try (FileChannel ch = FileChannel.open(o.path(), StandardOpenOption.READ)) {
            if (stillTheSame(o)) {
                startOpen(o, ch, ch.size());
            }
        }
    }

    private void startOpen(ObservedFile o, FileChannel ch, long size) throws IOException {
        byte[] head = Fingerprint.head(ch);
        FileState s = engine.openFile(sourceId, o.name(), Fingerprint.of(head, head.length), head.length,
                o.device(), o.inode());
        seen.add(s.id());
        reading.read(ch, s, o.name(), size, TAILING);
    }

    /**
     * The channel was opened by name after the listing; if the name now leads to another inode (a rotation in
     * between), what was opened may not be the file that was looked at.
     */
    private static boolean stillTheSame(ObservedFile o) throws IOException {
        if (!o.hasIdentity()) {
            return true;
        }
        Long[] now = FileFinder.identity(o.path());
        return o.sameIdentity(now[0], now[1]);
    }

    interface FileWork {
        void run() throws IOException;
    }

    /**
     * Whatever goes wrong with one file is put on its row (if it has one yet) and logged once; the other files go on.
     * Returns what went wrong, or null.
     */
    String guarded(FileState k, ObservedFile o, FileWork work) {
        try {
            work.run();
            return null;
        } catch (NoSuchFileException e) {
            // renamed or removed since the listing; the next round finds it where it went
            return null;
        } catch (IngestException.Stopped e) {
            throw e; // not the file's failure: it goes on from its committed position at the next start
        } catch (IOException | RuntimeException e) {
            String message = o.path() + ": " + (e instanceof IOException io ? reason(io) : e.getMessage());
            if (k != null && !message.equals(k.error())) {
                if (e instanceof IOException) {
                    log.warn("tail {}", message); // the file's trouble (permissions, a disk): its stack says nothing
                } else {
                    log.warn("tail {}", message, e);
                }
            }
            if (k != null) {
                try {
                    engine.markFile(k.id(), FAILED, message);
                } catch (RuntimeException again) {
                    log.warn("cannot record the failure on {}: {}", o.path(), again.getMessage());
                }
            }
            return message;
        }
    }
}
