package com.mailtrail.ingest.tail;

import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.IngestException;
import com.mailtrail.ingest.LogFileCheck;
import com.mailtrail.ingest.IngestEngine.FileState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

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
    private final Opener opener;
    private final Path dir;
    private final long sourceId;
    private final FileFinder finder;
    private final FileReading reading;
    // Followed files kept open between rounds: one deleted or moved out of the directory is read to its end.
    private final OpenFiles open = new OpenFiles();
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
    // Whether that is the directory's own trouble (missing, not listable) rather than its files'.
    private boolean directoryTrouble;
    /**
     * Rounds a truncated file's copy is looked for again when none was there at the truncation (a minute at the
     * default interval): logrotate copies before it truncates, but another tool may make its copy a moment after.
     */
    static final int COPY_ROUNDS = 30;
    // Truncated files whose copy was not found yet, by log_file id: looked for at each round until found or given up.
    private final Map<Long, AwaitedCopy> awaitingCopy = new HashMap<>();

    /** What the truncation's notice said before its last sentence, and the rounds left to look for a copy. */
    private record AwaitedCopy(String noticeHead, String why, int roundsLeft) {
    }

    DirectoryTail(IngestEngine engine, Path dir, long sourceId, FileFinder finder) {
        this(engine, dir, sourceId, finder, path -> FileChannel.open(path, StandardOpenOption.READ));
    }

    /**
     * With how files are opened: the tests deny an opening as a permission would, which does not stop them when they
     * run as root.
     */
    DirectoryTail(IngestEngine engine, Path dir, long sourceId, FileFinder finder, Opener opener) {
        this.opener = opener;
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
            directoryTrouble = true;
            missedWithTheDirectory();
            return;
        } catch (IOException e) {
            problem(dir + ": cannot be listed: " + reason(e) + "; tried again every round");
            directoryTrouble = true;
            readHeldFiles();
            return;
        }
        if (directoryTrouble || UNKNOWN.equals(problem)) {
            // Listed: said at once, not after this round, whose first read of a directory just mounted may take
            // minutes. What its files' trouble is, if any, is known at its end.
            problem(null);
            directoryTrouble = false;
        }
        List<ObservedFile> fresh = new ArrayList<>();
        List<FileState> known = engine.files(sourceId).stream().filter(f -> !FINISHED.contains(f.state())).toList();
        open.keepOnly(known.stream().map(FileState::id).collect(Collectors.toSet()));
        Map<FileState, ObservedFile> continuing = new LinkedHashMap<>();
        for (ObservedFile o : found) {
            FileState k = match(known, o);
            if (k == null) {
                fresh.add(o);
            } else if (!continuing.containsKey(k)) {
                continuing.put(k, o); // a second name for the same inode (a hard link) is not read twice
            }
        }
        List<FileState> missing = known.stream().filter(k -> !continuing.containsKey(k)).toList();
        Map<FileState, ObservedFile> elsewhere = lookForByIdentity(missing);
        for (FileState k : missing) {
            if (!elsewhere.containsKey(k)) {
                missed(k);
            }
        }
        // Known files first, oldest first: the end of a rotated file is read before the new file is begun.
        for (FileState k : known) {
            ObservedFile o = continuing.containsKey(k) ? continuing.get(k) : elsewhere.get(k);
            if (o != null) {
                missedOnce.remove(k.id());
                guarded(k, o, () -> follow(k, o));
                seen.add(k.id());
            }
        }
        lookAgainForCopies();
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

    /**
     * The directory is gone while files in it are held open: it was removed or moved away with them, since a file
     * system cannot be unmounted while a file of it is open. Those files are missed as a file deleted alone is (read
     * to their end through the file held, let go at the second round), rather than held, deleted, until the
     * directory comes back. The others are only not looked at: the directory may not be mounted yet.
     */
    private void missedWithTheDirectory() {
        engine.files(sourceId).stream()
                .filter(k -> !FINISHED.contains(k.state()) && open.get(k.id()) != null)
                .forEach(this::missed);
    }

    /**
     * The directory cannot be listed (its permissions changed under a running Mailtrail) while files in it are held
     * open: the MTA goes on writing to them, and they are read through the files held, which need no permission on
     * the directory, so that their rows do not stand still with a lag that no longer moves. Nothing is let go: they
     * are still there, and a rename cannot be seen until the directory can be listed again, when they are found by
     * their identity as after any round.
     */
    private void readHeldFiles() {
        for (FileState k : engine.files(sourceId)) {
            FileChannel ch = FINISHED.contains(k.state()) ? null : open.get(k.id());
            if (ch != null) {
                ObservedFile where = new ObservedFile(dir.resolve(k.name()), k.name(), k.device(), k.inode(),
                        sizeOf(ch, k));
                guarded(k, where, () -> readToItsEnd(k, ch));
            }
        }
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

    /**
     * Followed files no longer under a name that mailtrail.tail.files matches, found again by device and inode under
     * any name in the directory (an admin's or logrotate's own rotation, mail.log.20261129): they are read to their
     * end there. Only the followed directory is searched, not its subdirectories or other directories. Whether a
     * file found is still the same one (not a new file given a freed inode number) is told by its fingerprint when
     * it is opened.
     */
    private Map<FileState, ObservedFile> lookForByIdentity(List<FileState> missing) {
        Map<FileState, ObservedFile> out = new HashMap<>();
        if (missing.stream().noneMatch(k -> k.inode() != null)) {
            return out;
        }
        List<ObservedFile> all;
        try {
            all = finder.all(dir);
        } catch (IOException e) {
            return out; // listed a moment ago: gone meanwhile, or a passing error; missed once more at worst
        }
        for (FileState k : missing) {
            for (ObservedFile o : all) {
                if (k.inode() != null && o.sameIdentity(k.device(), k.inode())) {
                    out.put(k, o);
                    break;
                }
            }
        }
        return out;
    }

    /**
     * A followed file found under no name in the directory. If it is held open it is read to its end through that
     * file, at each round that misses it (the MTA may still write to a file moved away until it reopens its log).
     * It is gone when two rounds in a row miss it: closed, with a note of what was not read, if anything.
     */
    private void missed(FileState k) {
        boolean first = missedOnce.add(k.id());
        FileChannel ch = open.get(k.id());
        String failure = null;
        if (ch != null) {
            // Where it was, and its size now: what a failure to store records.
            ObservedFile where = new ObservedFile(dir.resolve(k.name()), k.name(), k.device(), k.inode(),
                    sizeOf(ch, k));
            failure = guarded(k, where, () -> readToItsEnd(k, ch));
        }
        if (first) {
            return;
        }
        missedOnce.remove(k.id());
        if (ch != null) {
            open.release(k.id());
            if (failure == null) {
                engine.markFile(k.id(), GONE, readThroughOpenFile(now(k)));
                return;
            }
        }
        FileState last = ch != null ? now(k) : k; // with the size recorded by the failure
        String notRead = unreadSinceStop(last);
        if (notRead != null) {
            engine.markEnded(k.id(), GONE, null, "left the directory: " + notRead, true);
        } else {
            engine.markFile(k.id(), GONE, lost(last));
        }
    }

    private static long sizeOf(FileChannel ch, FileState k) {
        try {
            return ch.size();
        } catch (IOException e) {
            return k.size() == null ? 0 : k.size();
        }
    }

    /** The file's row as committed now, after a read in this round. */
    private FileState now(FileState k) {
        return engine.files(sourceId).stream().filter(f -> f.id() == k.id()).findFirst().orElse(k);
    }

    /**
     * What remains of a file gone from the directory, read through the file held open: complete lines only, as in
     * every round. Not if it is no longer the file that was read (cut, or written over from the start).
     */
    private void readToItsEnd(FileState k, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < k.position() || !sameStart(k, Fingerprint.head(ch))) {
            return; // changed after it left: what it holds now cannot be told apart from what was read
        }
        if (size > k.position() || !Objects.equals(k.size(), size) || FAILED.equals(k.state())) {
            reading.read(ch, k, k.name(), size, ROTATED.equals(k.state()) ? ROTATED : TAILING);
        }
    }

    /** Whether {@code head}, a file's first bytes, are those fingerprinted when {@code k} was read. */
    static boolean sameStart(FileState k, byte[] head) {
        return head.length >= k.headLength() && Fingerprint.of(head, k.headLength()).equals(k.fingerprint());
    }

    /**
     * The note on a file read to its end through the file held open after it left the directory: none, or the part
     * of a line without its line end. That part is not stored: nothing will complete it, and a line cut off in the
     * middle would be stored as a wrong entry or a rejected line (Filebeat and Fluent Bit drop it too). Its bytes stay
     * in the lag, and the note says how many.
     */
    private String readThroughOpenFile(FileState k) {
        long unread = unread(k);
        return unread == 0 ? null : "deleted, or moved out of " + dir + ": read to its end through the file Mailtrail "
                + "had open, but for the " + unread + " bytes after its last complete line (a line without its line "
                + "end), which were not read";
    }

    /** Closes the files held open: at shutdown. */
    void close() {
        open.releaseAll();
    }

    /**
     * What a file that cannot be found any more (deleted, or moved out of the directory) took with it: the bytes
     * past its read position at the last look, which were written and never read; null when there were none.
     */
    private String lost(FileState k) {
        long unread = unread(k);
        if (unread == 0) {
            return null;
        }
        return "not found in " + dir + (k.inode() == null ? " (removed, or renamed to a name not in "
                + "mailtrail.tail.files)" : " under any name (deleted, or moved to another directory)") + " with "
                + unread + " bytes past its read position at the last look: they were not read; upload or import the "
                + "file to add them (lines already stored are not stored twice)";
    }

    /**
     * The bytes past the read position at the file's last look: a line still being written then, or what a round
     * that failed (permission denied, the database) could not read.
     */
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
        String when = k.updated() == null ? "" : " (" + time(k.updated()) + ")";
        // A line being written at the stop (or not read by a round that failed) is in the cumulative log too: the
        // same hint holds for it.
        return (unread > 0 ? "the " + unread + " bytes past its read position at its last look" + when
                + " and the lines written to it after that" : "the lines written to it after its last look" + when)
                + " while Mailtrail was stopped were not read; the nightly rotation appends them to " + cumulative
                + ": upload or import that file to fill the gap (lines already stored are not stored twice)";
    }

    /**
     * What a truncation did, for a file read until then: when it was found, its size before and after, how much of it
     * had been read and is kept. What was written between the last look and the truncation cannot be told: Mailtrail
     * did not see it, and its size then is not known. The sentence on those lines is {@link #notRead} or
     * {@link #readFromCopy}.
     */
    private String truncated(FileState k, long sizeNow, String why) {
        long before = k.size() == null ? k.position() : Math.max(k.size(), k.position());
        String lastRead = k.updated() == null ? "" : " (last read " + time(k.updated()) + ")";
        return why + ": found at " + time(LocalDateTime.now()) + " with " + sizeNow + " bytes, where it had " + before
                + " at the look before" + lastRead + ", read up to byte " + k.position() + "; the " + k.lines()
                + (k.lines() == 1 ? " line" : " lines") + " read from it are kept, and it is read again from the start "
                + "as a new file. ";
    }

    /** No copy read: what was written after the last look is not read, and where it may be. */
    private static String notRead(String why, Copies.Copy compressed) {
        return "Lines written after that look and before it was " + (why.equals("truncated") ? "truncated"
                : "written over") + ", if any, were not read: after logrotate's copytruncate they end its copy (upload "
                + "or import it; lines already stored are not stored twice), but for those written between the copy "
                + "and the truncation, which logrotate loses" + (compressed == null ? "" : "; its copy here, "
                + compressed.name() + ", is compressed: upload or import it to add them (lines already stored are not "
                + "stored twice)");
    }

    /** The copy was read: from which byte to which, and what no copy can hold. */
    private static String readFromCopy(FileState before, FileState after, Copies.Copy copy) {
        long lines = after.lines() - before.lines();
        String end = after.position() == copy.size() ? "to its end, byte " + copy.size()
                : "to its last complete line, byte " + after.position();
        return (lines == 0 ? "Its copy " + copy.name() + " (the same first bytes) has no complete line past byte "
                + before.position() + ": none was written after that look"
                : "The " + lines + (lines == 1 ? " line" : " lines") + " written after that look " + (lines == 1
                ? "was" : "were") + " read from its copy " + copy.name() + " (the same first bytes), from byte "
                + before.position() + " " + end) + "; lines written between the copy and the truncation, if any, are "
                + "in neither file (logrotate's copytruncate loses them)";
    }

    /** A copy whose reading failed after some of its lines were stored: how far it got, and what was not read. */
    private static String partlyReadFromCopy(FileState before, FileState after, Copies.Copy copy, String why) {
        long lines = after.lines() - before.lines();
        return "Its copy " + copy.name() + " (the same first bytes) was read from byte " + before.position()
                + " to byte " + after.position() + ", and the " + lines + (lines == 1 ? " line" : " lines")
                + " written after that look up to there " + (lines == 1 ? "was" : "were") + " stored; reading it failed "
                + "there (" + why + "): the rest of it, from byte " + after.position() + " to its end, byte "
                + copy.size() + ", was not read; upload or import the copy to add it (lines already stored are not "
                + "stored twice). Lines written between the copy and the truncation, if any, are in neither file "
                + "(logrotate's copytruncate loses them)";
    }

    /** The read error itself, under what the engine wrapped it in (the line it broke off at, what was stored). */
    private static IOException rootCause(IOException e) {
        IOException root = e;
        while (root.getCause() instanceof IOException cause) {
            root = cause;
        }
        return root;
    }

    /**
     * Why the row names the copy from now on: the emptied file holds other lines at the numbers its entries cite
     * (the message page, the API's {@code file}).
     */
    private static String namedAfterCopy(FileState k, Copies.Copy copy) {
        return "Shown under its copy's name since, its lines being in " + copy.name() + " now: " + k.name()
                + ", emptied, holds other lines";
    }

    /** The bytes of a line without its line end at the copy's end, which nothing will complete; or null. */
    private static String copyLineNotRead(FileState after, Copies.Copy copy) {
        long unread = copy.size() - after.position();
        return unread <= 0 ? null : "the " + unread + " bytes after the last complete line of its copy " + copy.name()
                + " (a line without its line end) were not read";
    }

    private static String time(LocalDateTime t) {
        return t.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
    }

    /** The bytes it had not read at the last look (a line without its line end, or a round that failed), or null. */
    private static String notReadAtLastLook(FileState k) {
        long unread = unread(k);
        return unread > 0 ? "the " + unread + " bytes past its read position at the last look were not read" : null;
    }

    /** "; " and what may be missing (see unreadSinceStop), or the bytes it had not read at the last look, or nothing. */
    private String alsoUnread(FileState k) {
        String notRead = unreadAtEnd(k);
        return notRead == null ? "" : "; " + notRead;
    }

    /** What may be missing (see unreadSinceStop), or the bytes it had not read at the last look, or null. */
    private String unreadAtEnd(FileState k) {
        String notRead = unreadSinceStop(k);
        return notRead != null ? notRead : notReadAtLastLook(k);
    }

    /**
     * A known file seen again, perhaps under a new name: read what was added, or start over if it was cut. Under a
     * name mailtrail.tail.files does not match it is read while it grows, then let go.
     */
    private void follow(FileState k, ObservedFile o) throws IOException {
        // Held open since an earlier round: the same inode, which cannot be given to another file while it is held,
        // so the listing's device and inode tell that it is this file under whatever name.
        FileChannel held = o.hasIdentity() ? open.get(k.id()) : null;
        FileChannel ch = held != null ? held : opener.open(o.path());
        try {
            if (held == null && !stillTheSame(o)) {
                return; // replaced between the listing and the opening: the next round sorts it out
            }
            if (held == null && o.hasIdentity()) {
                open.hold(k.id(), ch);
            }
            followOpen(k, o, ch);
        } finally {
            if (!open.holds(ch)) {
                ch.close(); // let go, or not to be held (no inode)
            }
        }
    }

    private void followOpen(FileState k, ObservedFile o, FileChannel ch) throws IOException {
        boolean followedName = finder.matches(o.path().getFileName());
        long size = ch.size(); // now, not at the listing: a truncation since then shows
        byte[] head = Fingerprint.head(ch);
        String why = null;
        if (size < k.position()) {
            why = "truncated";
        } else if (head.length < k.headLength() || !Fingerprint.of(head, k.headLength()).equals(k.fingerprint())) {
            why = "written over from the start (its first bytes are not those read)";
        }
        if (why != null) {
            open.forget(k.id()); // what it holds now is begun as a new file below, or not followed at all
        }
        if (why != null && !followedName) {
            // Not the file that was followed (its inode number reused, or it was cut after the rename), and not
            // one to begin: the followed one is gone.
            engine.markFile(k.id(), GONE, lost(k));
            return;
        }
        if (why != null) {
            String stopped = unreadSinceStop(k);
            if (o.name().equals(k.name())) {
                // No fault in itself (a copy-and-truncate rotation makes one every night): a notice of what
                // happened; an error only for what is known to be missing. What was written after the last look
                // is read from the copy, if there is one.
                String notice = truncated(k, size, why);
                Copies.Copy copy = Copies.find(dir, k, opener);
                if (copy == null || copy.compressed() || !readCopy(k, copy, notice, k.state())) {
                    engine.markEnded(k.id(), TRUNCATED, notice + notRead(why, copy != null && copy.compressed()
                            ? copy : null), unreadAtEnd(k), true);
                    if (copy == null) {
                        awaitingCopy.put(k.id(), new AwaitedCopy(notice, why, COPY_ROUNDS));
                    }
                }
            } else {
                // Another name and other content: the old file was deleted and its inode number reused.
                engine.markEnded(k.id(), GONE, null, "deleted; its inode now belongs to " + o.name()
                        + alsoUnread(k), stopped != null);
            }
            startOpen(o, ch, size);
            return;
        }
        String notALog = k.position() < Fingerprint.HEAD ? notALog(head) : null;
        if (notALog != null) {
            open.forget(k.id()); // looked at again each round: nothing to read through it
        }
        if (notALog != null && !followedName) {
            // e.g. a gzip refused as mail.log_current, then given its .gz name: nothing to wait for
            engine.markFile(k.id(), GONE, o.path() + ": " + notALog + "; renamed to " + o.name() + ", which "
                    + "mailtrail.tail.files does not match: no longer followed", size);
            return;
        }
        if (notALog != null) {
            refuse(k, o, notALog, size);
            return;
        }
        boolean renamed = !o.name().equals(k.name());
        String linkName = k.linkName();
        if (renamed && linkName == null && Files.isSymbolicLink(dir.resolve(k.name()))) {
            // Its old name is a symbolic link now leading elsewhere (this file is found under another name): the link
            // was repointed at a new dated file, and this one, read through it, always had its own name.
            linkName = k.name();
            engine.markLinkRepointed(k.id(), linkName);
        }
        if (!followedName && !renamed && Objects.equals(k.size(), size) && !FAILED.equals(k.state())) {
            // Not grown since the last look: the MTA has reopened its log under the followed name.
            open.forget(k.id());
            // Never renamed (still "tailing", not "rotated"): the setting changed, not the file's name.
            String letGo = !ROTATED.equals(k.state()) ? "mailtrail.tail.files no longer matches " + o.name()
                    : linkName != null ? linkName + ", a symbolic link, now points to another file; this one is "
                    + o.name() + ", which mailtrail.tail.files does not match"
                    : "renamed to " + o.name() + ", which mailtrail.tail.files does not match";
            engine.markFile(k.id(), GONE, letGo + ": read to its end, then no longer followed" + (unread(k) > 0
                    ? "; the " + unread(k) + " bytes after its last complete line were not read (a line without its "
                    + "line end)" : ""));
            return;
        }
        String fingerprint = k.fingerprint();
        int headLength = k.headLength();
        if (head.length > headLength) { // still short when first seen: take in more of its start
            fingerprint = Fingerprint.of(head, head.length);
            headLength = head.length;
        }
        String state = renamed || ROTATED.equals(k.state()) ? ROTATED : TAILING;
        boolean changed = size > k.position() || renamed || headLength != k.headLength()
                || !state.equals(k.state()) || !Objects.equals(k.size(), size) || k.error() != null;
        if (changed) {
            FileState current = new FileState(k.id(), k.sourceId(), k.name(), fingerprint, headLength, k.device(),
                    k.inode(), k.position(), k.lines(), k.size(), k.state(), k.error(), k.updated(), linkName);
            reading.read(ch, current, o.name(), size, state);
        }
    }

    /**
     * Reads a truncated file's copy from the position read to its end (complete lines only) as the rest of that file,
     * under its row: its lines keep the numbers and offsets they have in the copy, and a later upload of the copy
     * adds nothing twice. The position is committed with the rows, so a crash in the middle goes on from there: the
     * row is still followed until the notice is written (found truncated again at the next start) or, for a copy
     * found after the truncation, stays truncated (looked for again). {@code readState}: the row's state during and
     * after the read, until the notice. False if the copy could not be read after all (gone meanwhile, its start
     * changed, a read error before any line of it was stored): the truncation is then told as without a copy. A read
     * error after some were: the notice says how far it got, the error what of the copy was not read.
     */
    private boolean readCopy(FileState k, Copies.Copy copy, String noticeHead, String readState) {
        try (FileChannel ch = opener.open(copy.path())) {
            long size = ch.size();
            if (size < k.position() || !sameStart(k, Fingerprint.head(ch))) {
                return false;
            }
            Copies.Copy read = new Copies.Copy(copy.path(), copy.name(), size, false);
            // Read under the followed name, as a rename is not: a crash in the middle must leave the row findable as
            // the file truncated, to read on from the copy at the next start. Named after the copy with the notice.
            try {
                reading.read(ch, k, k.name(), size, readState);
            } catch (IOException e) {
                FileState after = now(k);
                if (after.position() == k.position()) {
                    throw e; // nothing of it stored: told as without a copy
                }
                // The lines before the error are stored (committed with the position): said, and the rest as missing
                String why = reason(rootCause(e));
                engine.markEnded(k.id(), TRUNCATED, noticeHead + partlyReadFromCopy(k, after, read, why) + ". "
                        + namedAfterCopy(k, copy), "the " + (size - after.position()) + " bytes of its copy "
                        + copy.name() + " past byte " + after.position() + " were not read (" + why + ")", false,
                        copy.name());
                log.warn("tail {}: truncated; its copy {} could be read only up to byte {} ({} lines): {}",
                        dir.resolve(k.name()), copy.name(), after.position(), after.lines() - k.lines(), why);
                return true;
            }
            FileState after = now(k);
            engine.markEnded(k.id(), TRUNCATED, noticeHead + readFromCopy(k, after, read) + ". "
                    + namedAfterCopy(k, copy), copyLineNotRead(after, read), false, copy.name());
            log.info("tail {}: truncated; the {} lines written after the last look were read from its copy {}",
                    dir.resolve(k.name()), after.lines() - k.lines(), copy.name());
            return true;
        } catch (IOException e) {
            log.warn("tail {}: its copy {} cannot be read: {}", dir.resolve(k.name()), copy.name(), reason(e));
            return false;
        }
    }

    /**
     * Truncated files whose copy was not there at the truncation: looked for again each round, for
     * {@link #COPY_ROUNDS} rounds, in this run only. A compressed copy found meanwhile is named in the notice and
     * ends the wait (logrotate removes the plain copy once it has compressed it).
     */
    private void lookAgainForCopies() {
        if (awaitingCopy.isEmpty()) {
            return;
        }
        Map<Long, FileState> rows = engine.files(sourceId).stream().filter(f -> awaitingCopy.containsKey(f.id()))
                .collect(Collectors.toMap(FileState::id, f -> f));
        for (Long id : List.copyOf(awaitingCopy.keySet())) {
            AwaitedCopy awaited = awaitingCopy.remove(id);
            FileState k = rows.get(id);
            if (k == null || !TRUNCATED.equals(k.state())) {
                continue; // removed with its source meanwhile
            }
            Copies.Copy copy = Copies.find(dir, k, opener);
            try {
                if (copy != null && copy.compressed()) {
                    engine.markEnded(k.id(), TRUNCATED, awaited.noticeHead() + notRead(awaited.why(), copy),
                            k.error(), true);
                } else if ((copy == null || !readCopy(k, copy, awaited.noticeHead(), TRUNCATED))
                        && awaited.roundsLeft() > 1) {
                    awaitingCopy.put(id, new AwaitedCopy(awaited.noticeHead(), awaited.why(),
                            awaited.roundsLeft() - 1));
                }
            } catch (IngestException.Stopped e) {
                throw e;
            } catch (RuntimeException e) {
                // The database refused: what was committed of the copy stays, and the next round reads on from it.
                log.warn("tail {}: cannot store from its copy {}: {}", dir.resolve(k.name()), copy.name(),
                        e.getMessage());
                awaitingCopy.put(id, awaited);
            }
        }
    }

    private void start(ObservedFile o) throws IOException {
        FileChannel ch;
        try {
            ch = opener.open(o.path());
        } catch (java.nio.file.AccessDeniedException e) {
            // Its own row, failed, though its first bytes are not known yet (fingerprinted as an empty file is, and
            // taken in once it can be read): its size needs no read permission, so its lag says what waits, where
            // a line on the directory said only "permission denied". The usual case: the new file of a nightly
            // rotation, created by the MTA's user with a mode that leaves Mailtrail out.
            FileState s = engine.openFile(sourceId, o.name(), Fingerprint.of(new byte[0], 0), 0, o.device(),
                    o.inode());
            seen.add(s.id());
            guarded(s, o, () -> {
                throw e;
            });
            return;
        }
        try {
            if (stillTheSame(o)) {
                startOpen(o, ch, ch.size());
            }
        } finally {
            if (!open.holds(ch)) {
                ch.close();
            }
        }
    }

    private void startOpen(ObservedFile o, FileChannel ch, long size) throws IOException {
        byte[] head = Fingerprint.head(ch);
        FileState s = engine.openFile(sourceId, o.name(), Fingerprint.of(head, head.length), head.length,
                o.device(), o.inode());
        seen.add(s.id());
        String notALog = notALog(head);
        if (notALog != null) {
            refuse(s, o, notALog, size);
            return;
        }
        if (o.hasIdentity()) {
            open.hold(s.id(), ch); // from its first read on
        }
        try {
            reading.read(ch, s, o.name(), size, TAILING);
        } catch (IOException e) {
            open.release(s.id()); // the file's own trouble: opened again at the next round
            throw e;
        }
    }

    /**
     * Why a file's first bytes are not a log to follow, or null. The questions an upload asks (LogFileCheck): a gzip
     * is not read decompressed, since its compressed bytes cannot be followed by position as they are written (and
     * a finished one is better uploaded or imported, which read gzip); any other binary data is not read at all,
     * instead of being stored as rejected lines.
     */
    static String notALog(byte[] head) {
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return "gzip-compressed: not read (the tailer follows plain-text logs); upload or import it, which reads "
                    + "gzip";
        }
        String notText = LogFileCheck.notText(head);
        return notText == null ? null : "does not look like a text log (" + notText + "): not read";
    }

    /** Marks a file that is not a log as failed, with its size (all of it is not read); logged once. */
    private void refuse(FileState k, ObservedFile o, String why, long size) {
        String message = o.path() + ": " + why;
        if (!message.equals(k.error())) {
            log.warn("tail {}", message);
        }
        if (!message.equals(k.error()) || !FAILED.equals(k.state()) || !Objects.equals(k.size(), size)) {
            engine.markFile(k.id(), FAILED, message, size);
        }
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

    /**
     * The file's size now, which a stat tells without read permission: the lag of a file that cannot be read stays
     * true while it grows. The listing's size if the name no longer leads to the same file.
     */
    private static long sizeNow(ObservedFile o) {
        try {
            long size = Files.size(o.path());
            return stillTheSame(o) ? size : o.size();
        } catch (IOException e) {
            return o.size();
        }
    }

    interface Opener {
        FileChannel open(Path path) throws IOException;
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
            if (k != null && e instanceof IOException) {
                // The file's own trouble (a disk): opened again at the next round. A failure to store keeps it
                // held, so that it can still be read to its end if it leaves meanwhile.
                open.release(k.id());
            }
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
                    engine.markFile(k.id(), FAILED, message, sizeNow(o));
                } catch (RuntimeException again) {
                    log.warn("cannot record the failure on {}: {}", o.path(), again.getMessage());
                }
            }
            return message;
        }
    }
}
