package com.mailtrail.ingest.tail;

import com.mailtrail.ingest.CrashingDataSource;
import com.mailtrail.ingest.IngestEngine;
import com.mailtrail.ingest.Progress;
import com.mailtrail.parse.LogOptions;
import com.mailtrail.parse.LogReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tailer on real files, a real database and the real engine, one round at a time: on H2 and on PostgreSQL
 * (TailerOnH2Test, TailerOnPostgresTest).
 */
abstract class TailerTest {

    /** h2 or postgres. */
    abstract String database();

    private static final List<String> FILES = List.of("mail.log_current", "connection.log_current",
            "mail.log_yesterday", "connection.log_yesterday");

    @TempDir
    Path dir;

    private final TailDatabase db = new TailDatabase(database());

    private TailPoller poller(IngestEngine engine) {
        return poller(engine, db.dataSource);
    }

    TailPoller poller(IngestEngine engine, DataSource dataSource) {
        TailPoller poller = new TailPoller(engine, JdbcClient.create(dataSource),
                new TailProperties(List.of(dir), FILES, Duration.ofSeconds(2)), () -> { });
        pollers.add(poller);
        return poller;
    }

    private final List<TailPoller> pollers = new java.util.ArrayList<>();

    /** As at a shutdown: the files the tailers hold open are closed. */
    @org.junit.jupiter.api.AfterEach
    void stopPollers() {
        pollers.forEach(TailPoller::stop);
        com.mailtrail.ingest.TestDatabase.closePools();
    }

    /**
     * The nightly job over a directory rotated once already: yesterday's log is appended to mail.log, then the
     * current one becomes yesterday's.
     */
    private void nightlyJobOverAnEarlierRotation() throws IOException {
        append("mail.log", Files.readAllBytes(dir.resolve("mail.log_yesterday")));
        Files.move(dir.resolve("mail.log_current"), dir.resolve("mail.log_yesterday"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    void append(String name, byte[] bytes) throws IOException {
        Files.write(dir.resolve(name), bytes, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void rotationReadsEveryLineExactlyOnce() throws IOException {
        LogText text = LogText.generate(300, 11);
        List<byte[]> p = text.pieces(5);
        TailPoller tailer = poller(db.engine());

        append("mail.log_current", p.get(0));
        tailer.pollOnce();
        // Written just before the rotation and not yet read: must be read under the new name.
        append("mail.log_current", p.get(1));
        Files.move(dir.resolve("mail.log_current"), dir.resolve("mail.log_yesterday"));
        append("mail.log_yesterday", p.get(2)); // the MTA still had the old file open
        append("mail.log_current", p.get(3));
        tailer.pollOnce();
        append("mail.log_current", p.get(4));
        tailer.pollOnce();

        assertReadExactlyOnce(text.bytes());
        List<Map<String, Object>> files = db.rows("SELECT name, state, position, size FROM log_file "
                + "ORDER BY id");
        assertThat(files).extracting(f -> f.get("NAME")).containsExactly("mail.log_yesterday", "mail.log_current");
        assertThat(files).extracting(f -> f.get("STATE")).containsExactly("rotated", "tailing");
        assertThat(files.get(0).get("POSITION"))
                .isEqualTo((long) (p.get(0).length + p.get(1).length + p.get(2).length));
        assertThat(files.get(1).get("POSITION")).isEqualTo((long) (p.get(3).length + p.get(4).length));
    }

    @Test
    void aSecondRotationFinishesTheOldYesterdayAndLetsItGo() throws IOException {
        LogText text = LogText.generate(200, 12);
        List<byte[]> p = text.pieces(3);
        TailPoller tailer = poller(db.engine());
        append("mail.log_current", p.get(0));
        tailer.pollOnce();
        Files.move(dir.resolve("mail.log_current"), dir.resolve("mail.log_yesterday"));
        append("mail.log_current", p.get(1));
        tailer.pollOnce();
        // The next night: yesterday is replaced by today's file.
        Files.move(dir.resolve("mail.log_current"), dir.resolve("mail.log_yesterday"),
                StandardCopyOption.REPLACE_EXISTING);
        append("mail.log_current", p.get(2));
        tailer.pollOnce();
        tailer.pollOnce(); // a file is gone only when two rounds in a row miss it

        assertReadExactlyOnce(text.bytes());
        assertThat(db.jdbc.queryForList("SELECT state FROM log_file ORDER BY id", String.class))
                .containsExactly("gone", "rotated", "tailing");
        // Read to its end while it was watched: nothing is missing (whether or not a newer file took its inode number).
        assertThat(db.jdbc.queryForList("SELECT COALESCE(error, '') FROM log_file ORDER BY id", String.class).get(0))
                .doesNotContain("not read");
    }

    /**
     * An admin's (or logrotate's) own rotation to a name mailtrail.tail.files does not match, right after lines were
     * appended: the file is found again by its identity under the new name, read to its end, followed while it still
     * grows (the MTA keeps it open until it reopens its log), and let go with a note once it stops growing.
     */
    @Test
    void aFileRenamedToANameNotFollowedIsReadToItsEndThenLetGo() throws IOException {
        LogText text = LogText.generate(300, 13);
        List<byte[]> p = text.pieces(4);
        TailPoller tailer = poller(db.engine());
        append("mail.log_current", p.get(0));
        tailer.pollOnce();
        append("mail.log_current", p.get(1));
        Files.move(dir.resolve("mail.log_current"), dir.resolve("mail.log.20261129"));
        tailer.pollOnce();
        append("mail.log.20261129", p.get(2)); // the MTA still had the old file open
        tailer.pollOnce();
        tailer.pollOnce(); // it stopped growing: let go
        append("mail.log_current", p.get(3));
        tailer.pollOnce();

        assertReadExactlyOnce(text.bytes());
        assertThat(db.rows("SELECT name, state, error FROM log_file ORDER BY id")).satisfiesExactly(
                renamed -> {
                    assertThat(renamed.get("name")).isEqualTo("mail.log.20261129");
                    assertThat(renamed.get("state")).isEqualTo("gone");
                    assertThat(renamed.get("error")).isEqualTo("renamed to mail.log.20261129, which "
                            + "mailtrail.tail.files does not match: read to its end, then no longer followed");
                },
                current -> assertThat(current.get("state")).isEqualTo("tailing"));
        assertThat(db.count("SELECT SUM(size - position) FROM log_file")).isZero();
    }

    /**
     * Some sites rotate by pointing mail.log_current, a symbolic link, at a new dated file. The link removed and made
     * again ({@code rm; ln -s}) gets the freed inode number back on ext4: when the link's own inode was the file's
     * identity, the old file held open went on being read under it and the new file was never read.
     */
    @Test
    void aLinkRepointedToANewFileIsFollowedThereAndTheOldFileReadToItsEndUnderItsOwnName() throws IOException {
        LogText text = LogText.generate(300, 61);
        List<byte[]> p = text.pieces(4);
        TailPoller tailer = poller(db.engine());
        append("mail.log.20261129", p.get(0));
        Files.createSymbolicLink(dir.resolve("mail.log_current"), Path.of("mail.log.20261129"));
        tailer.pollOnce();
        append("mail.log.20261129", p.get(1));
        append("mail.log.20261130", p.get(2));
        Files.delete(dir.resolve("mail.log_current"));
        Files.createSymbolicLink(dir.resolve("mail.log_current"), Path.of("mail.log.20261130"));
        tailer.pollOnce();
        append("mail.log.20261130", p.get(3));
        tailer.pollOnce();
        tailer.pollOnce();

        assertReadExactlyOnce(text.bytes());
        assertThat(db.rows("SELECT name, state, error FROM log_file ORDER BY id")).satisfiesExactly(
                old -> {
                    assertThat(old.get("name")).isEqualTo("mail.log.20261129");
                    assertThat(old.get("state")).isEqualTo("gone");
                    // A link repointed, not a file renamed: the dated file always had its name (it said "renamed to")
                    assertThat(old.get("error")).isEqualTo(REPOINTED);
                },
                current -> {
                    assertThat(current.get("name")).isEqualTo("mail.log_current");
                    assertThat(current.get("state")).isEqualTo("tailing");
                });
    }

    /** Stopped over a repointing of the link: the old file is still in the directory, and read on from its position. */
    @Test
    void aLinkRepointedWhileStoppedFinishesTheOldFileFromItsPosition() throws IOException {
        LogText text = LogText.generate(300, 62);
        List<byte[]> p = text.pieces(3);
        append("mail.log.20261129", p.get(0));
        Files.createSymbolicLink(dir.resolve("mail.log_current"), Path.of("mail.log.20261129"));
        poller(db.engine()).pollOnce();
        pollers.forEach(TailPoller::stop);
        append("mail.log.20261129", p.get(1));
        append("mail.log.20261130", p.get(2));
        Files.delete(dir.resolve("mail.log_current"));
        Files.createSymbolicLink(dir.resolve("mail.log_current"), Path.of("mail.log.20261130"));
        TailPoller restarted = poller(db.engine());
        restarted.pollOnce();
        restarted.pollOnce(); // the old file stopped growing: let go

        assertReadExactlyOnce(text.bytes());
        assertThat(db.jdbc.queryForList("SELECT name FROM log_file ORDER BY id", String.class))
                .containsExactly("mail.log.20261129", "mail.log_current");
        assertThat(db.jdbc.queryForObject("SELECT error FROM log_file WHERE name = 'mail.log.20261129'", String.class))
                .isEqualTo(REPOINTED);
    }

    /** What the row of the file a repointed link led to says once it is let go. */
    private static final String REPOINTED = "mail.log_current, a symbolic link, now points to another file; this one "
            + "is mail.log.20261129, which mailtrail.tail.files does not match: read to its end, then no longer "
            + "followed";

    /**
     * mailtrail.tail.files changed over a restart so that it no longer names a followed file: the file is read to its
     * end and let go, and its row says why. It said "renamed to connection.log_current", a name the file always had.
     */
    @Test
    void aFileTheChangedSettingNoLongerMatchesIsLetGoSayingSo() throws IOException {
        LogText text = LogText.generate(200, 16);
        List<byte[]> p = text.pieces(2);
        append("connection.log_current", p.get(0));
        poller(db.engine()).pollOnce();
        append("connection.log_current", p.get(1));
        TailPoller restarted = new TailPoller(db.engine(), JdbcClient.create(db.dataSource),
                new TailProperties(List.of(dir), List.of("mail.log_current"), Duration.ofSeconds(2)), () -> { });
        pollers.add(restarted);
        restarted.pollOnce();
        restarted.pollOnce(); // it stopped growing: let go

        assertReadExactlyOnce(text.bytes());
        assertThat(db.rows("SELECT name, state, error FROM log_file ORDER BY id")).singleElement().satisfies(f -> {
            assertThat(f.get("name")).isEqualTo("connection.log_current");
            assertThat(f.get("state")).isEqualTo("gone");
            assertThat(f.get("error")).isEqualTo("mailtrail.tail.files no longer matches connection.log_current: "
                    + "read to its end, then no longer followed");
        });
    }

    @Test
    void aRenameToANameNotFollowedWhileStoppedIsReadFromItsPosition() throws IOException {
        LogText text = LogText.generate(200, 14);
        List<byte[]> p = text.pieces(3);
        append("mail.log_current", p.get(0));
        poller(db.engine()).pollOnce();
        append("mail.log_current", p.get(1));
        Files.move(dir.resolve("mail.log_current"), dir.resolve("mail.log.1"));
        append("mail.log_current", p.get(2));
        TailPoller restarted = poller(db.engine());
        restarted.pollOnce();

        assertReadExactlyOnce(text.bytes());
        assertThat(db.jdbc.queryForList("SELECT name FROM log_file ORDER BY id", String.class))
                .containsExactly("mail.log.1", "mail.log_current");
    }

    /**
     * Moved out of the followed directory (an archive subdirectory) after a round that could not read it: only the
     * followed directory is searched, so the file is gone, and its row says how many bytes it had past the read
     * position at the last look; the lag says the same.
     */
    @Test
    void aFileMovedAwayWithBytesNotReadSaysHowManyAndLagsByThem() throws IOException {
        LogText text = LogText.generate(200, 15);
        List<byte[]> p = text.pieces(2);
        TailPoller tailer = poller(db.engine());
        append("mail.log_current", p.get(0));
        tailer.pollOnce();
        append("mail.log_current", p.get(1));
        db.jdbc.execute("ALTER TABLE raw_block RENAME TO raw_block_away"); // these rounds cannot store what they read
        tailer.pollOnce();
        Files.createDirectories(dir.resolve("archive"));
        Files.move(dir.resolve("mail.log_current"), dir.resolve("archive/mail.log_current"));
        tailer.pollOnce(); // the file still open is read to its end: storing fails again
        tailer.pollOnce(); // a file is gone only when two rounds in a row miss it
        db.jdbc.execute("ALTER TABLE raw_block_away RENAME TO raw_block");
        tailer.pollOnce(); // let go: not read again

        assertThat(db.rows("SELECT state, error FROM log_file")).singleElement().satisfies(row -> {
            assertThat(row.get("state")).isEqualTo("gone");
            assertThat(row.get("error")).isEqualTo("not found in " + dir + " under any name (deleted, or moved to "
                    + "another directory) with " + p.get(1).length + " bytes past its read position at the last "
                    + "look: they were not read; upload or import the file to add them (lines already stored are "
                    + "not stored twice)");
        });
        assertThat(new Sources(db.dataSource).all().get(0).files()).singleElement()
                .satisfies(f -> assertThat(f.lag()).isEqualTo(p.get(1).length));
    }

    /**
     * Lines appended, then the file deleted before the next round: the file Mailtrail still has open is read to its
     * end, so nothing is lost, and it is let go without a note.
     */
    @Test
    void linesAppendedThenTheFileDeletedBeforeTheNextRoundAreStored() throws IOException {
        LogText text = LogText.generate(200, 81);
        List<byte[]> p = text.pieces(2);
        TailPoller tailer = poller(db.engine());
        append("mail.log_current", p.get(0));
        tailer.pollOnce();
        append("mail.log_current", p.get(1));
        Files.delete(dir.resolve("mail.log_current"));
        tailer.pollOnce();
        tailer.pollOnce(); // a file is gone only when two rounds in a row miss it

        assertReadExactlyOnce(text.bytes());
        assertThat(db.rows("SELECT state, error, position, size FROM log_file")).singleElement().satisfies(row -> {
            assertThat(row.get("state")).isEqualTo("gone");
            assertThat(row.get("error")).isNull();
            assertThat(row.get("position")).isEqualTo((long) text.bytes().length);
            assertThat(row.get("size")).isEqualTo((long) text.bytes().length);
        });
    }

    /**
     * Lines appended, then the file moved to another directory (not searched) before the next round; the MTA, which
     * still has it open, writes more to it before it reopens its log: all of it is read through the open file.
     */
    @Test
    void linesAppendedThenTheFileMovedToAnotherDirectoryAreStored() throws IOException {
        LogText text = LogText.generate(300, 82);
        List<byte[]> p = text.pieces(3);
        TailPoller tailer = poller(db.engine());
        append("mail.log_current", p.get(0));
        tailer.pollOnce();
        append("mail.log_current", p.get(1));
        Path archive = Files.createDirectories(dir.resolve("archive"));
        Files.move(dir.resolve("mail.log_current"), archive.resolve("mail.log_current"));
        tailer.pollOnce();
        Files.write(archive.resolve("mail.log_current"), p.get(2), StandardOpenOption.APPEND);
        tailer.pollOnce(); // a file is gone only when two rounds in a row miss it
        tailer.pollOnce(); // let go: not read again

        assertReadExactlyOnce(text.bytes());
        assertThat(db.rows("SELECT state, error FROM log_file")).singleElement().satisfies(row -> {
            assertThat(row.get("state")).isEqualTo("gone");
            assertThat(row.get("error")).isNull();
        });
    }

    /**
     * A file deleted while its last line was being written: the complete lines are read through the open file; the
     * part of a line without its line end is not stored (it may be a line cut off, and nothing completes it any
     * more), and the row says how many bytes it had.
     */
    @Test
    void aFileDeletedInTheMiddleOfALineStoresTheCompleteLinesAndSaysWhatWasLeft() throws IOException {
        LogText text = LogText.generate(300, 83);
        List<byte[]> p = text.pieces(3);
        TailPoller tailer = poller(db.engine());
        append("mail.log_current", p.get(0));
        tailer.pollOnce();
        append("mail.log_current", p.get(1));
        append("mail.log_current", Arrays.copyOfRange(p.get(2), 0, 25));
        Files.delete(dir.resolve("mail.log_current"));
        tailer.pollOnce();
        tailer.pollOnce(); // a file is gone only when two rounds in a row miss it

        byte[] complete = Arrays.copyOfRange(text.bytes(), 0, p.get(0).length + p.get(1).length);
        assertThat(db.count("SELECT SUM(lines) FROM log_file")).isEqualTo(LogText.read(complete).lines());
        assertThat(db.count("SELECT SUM(entries) FROM log_file")).isEqualTo(LogText.read(complete).entries());
        assertThat(db.rows("SELECT state, error FROM log_file")).singleElement().satisfies(row -> {
            assertThat(row.get("state")).isEqualTo("gone");
            assertThat(row.get("error")).isEqualTo("deleted, or moved out of " + dir + ": read to its end through "
                    + "the file Mailtrail had open, but for the 25 bytes after its last complete line (a line "
                    + "without its line end), which were not read");
        });
        assertThat(new Sources(db.dataSource).all().get(0).files()).singleElement()
                .satisfies(f -> assertThat(f.lag()).isEqualTo(25));
    }

    /**
     * A restart between the round that could not store the new lines and the file's removal: nothing was open to
     * read it through, so its row says what was not read, as it always did.
     */
    @Test
    void aFileRemovedOverARestartStillSaysWhatWasNotRead() throws IOException {
        List<byte[]> p = LogText.generate(200, 84).pieces(2);
        TailPoller tailer = poller(db.engine());
        append("mail.log_current", p.get(0));
        tailer.pollOnce();
        append("mail.log_current", p.get(1));
        db.jdbc.execute("ALTER TABLE raw_block RENAME TO raw_block_away");
        tailer.pollOnce();
        db.jdbc.execute("ALTER TABLE raw_block_away RENAME TO raw_block");
        tailer.stop();
        Files.delete(dir.resolve("mail.log_current"));
        TailPoller restarted = poller(db.engine());
        restarted.pollOnce();
        restarted.pollOnce(); // a file is gone only when two rounds in a row miss it

        assertThat(db.count("SELECT SUM(lines) FROM log_file")).isEqualTo(LogText.read(p.get(0)).lines());
        assertThat(db.rows("SELECT state, error FROM log_file")).singleElement().satisfies(row -> {
            assertThat(row.get("state")).isEqualTo("gone");
            assertThat((String) row.get("error")).startsWith("left the directory: the " + p.get(1).length
                    + " bytes past its read position at its last look (").contains("were not read");
        });
        assertThat(new Sources(db.dataSource).all().get(0).files()).singleElement().satisfies(f -> {
            assertThat(f.lag()).isNull();
            assertThat(f.lagAtLeast()).isEqualTo(p.get(1).length);
        });
    }

    /**
     * One open file per followed file, held between rounds (so a file deleted or moved away can still be read to
     * its end); closed when the file is let go or truncated, and all of them when the tailer stops. Linux: the
     * descriptors are counted in /proc/self/fd.
     */
    @Test
    void openFilesAreOnePerFollowedFileAndClosedWhenLetGoAndOnStop() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")));
        List<byte[]> p = LogText.generate(200, 85).pieces(4);
        TailPoller tailer = poller(db.engine());
        append("mail.log_current", p.get(0));
        append("connection.log_current", p.get(1));
        tailer.pollOnce();
        tailer.pollOnce();
        assertThat(openIn(dir)).isEqualTo(2);

        Files.write(dir.resolve("connection.log_current"), p.get(2)); // truncated in place: a new row, the same file
        tailer.pollOnce();
        assertThat(openIn(dir)).isEqualTo(2);

        Files.delete(dir.resolve("mail.log_current"));
        tailer.pollOnce();
        tailer.pollOnce();
        assertThat(db.jdbc.queryForList("SELECT state FROM log_file WHERE name = 'mail.log_current'", String.class))
                .containsExactly("gone");
        assertThat(openIn(dir)).isEqualTo(1);

        tailer.stop();
        assertThat(openIn(dir)).isZero();
    }

    /**
     * The followed directory removed with its file (rm -r, found by QA): the lines written just before are read
     * through the file held open, and it is closed at the second round that misses it, as a file deleted alone is.
     * It was held open, deleted, for as long as the directory stayed away, those lines not read and its row still
     * "tailing".
     */
    @Test
    void aFollowedDirectoryRemovedWithItsFileIsReadToItsEndAndTheFileClosed() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")));
        Path logs = Files.createDirectories(dir.resolve("logs"));
        TailPoller tailer = new TailPoller(db.engine(), JdbcClient.create(db.dataSource),
                new TailProperties(List.of(logs), FILES, Duration.ofSeconds(2)), () -> { });
        pollers.add(tailer);
        LogText text = LogText.generate(200, 87);
        List<byte[]> p = text.pieces(2);
        Files.write(logs.resolve("mail.log_current"), p.get(0));
        tailer.pollOnce();
        Files.write(logs.resolve("mail.log_current"), p.get(1), StandardOpenOption.APPEND);
        Files.delete(logs.resolve("mail.log_current"));
        Files.delete(logs);
        tailer.pollOnce();
        tailer.pollOnce(); // a file is gone only when two rounds in a row miss it

        assertReadExactlyOnce(text.bytes());
        assertThat(db.rows("SELECT state, error FROM log_file")).singleElement().satisfies(row -> {
            assertThat(row.get("state")).isEqualTo("gone");
            assertThat(row.get("error")).isNull();
        });
        assertThat(openIn(logs)).isZero();
        assertThat(sourceError()).isEqualTo(logs + ": no such directory (not created yet, or not mounted); looked "
                + "for again every round");
    }

    /** A followed file that fails to be read (a disk's error) is closed, and opened again at the next round. */
    @Test
    void aFileThatFailsToBeReadIsClosedAndOpenedAgainAtTheNextRound() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")));
        List<byte[]> p = LogText.generate(100, 86).pieces(2);
        append("mail.log_current", p.get(0));
        IngestEngine engine = db.engine();
        long source = engine.createSource("tail", dir.toString());
        DirectoryTail tail = new DirectoryTail(engine, dir, source, new FileFinder(FILES));
        try {
            tail.poll();
            assertThat(openIn(dir)).isEqualTo(1);
            IngestEngine.FileState k = engine.files(source).get(0);
            Path path = dir.resolve("mail.log_current");
            tail.guarded(k, new ObservedFile(path, k.name(), k.device(), k.inode(), p.get(0).length), () -> {
                throw new IOException("Input/output error");
            });
            assertThat(openIn(dir)).isZero();

            append("mail.log_current", p.get(1));
            tail.poll();
            assertThat(openIn(dir)).isEqualTo(1);
            assertThat(db.count("SELECT position FROM log_file")).isEqualTo(p.get(0).length + p.get(1).length);
        } finally {
            tail.close();
        }
    }

    /** Descriptors of this JVM open on files of {@code d} (deleted ones included). */
    private static long openIn(Path d) throws IOException {
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().startsWith(d + java.io.File.separator);
                } catch (IOException | UnsupportedOperationException e) {
                    return false; // closed since the listing
                }
            }).count();
        }
    }

    /** A round that fails records the size it saw, so the lag is true while the file grows. */
    @Test
    void aFileThatFailsKeepsItsSizeCurrentSoTheLagIsTrue() throws IOException {
        List<byte[]> p = LogText.generate(200, 16).pieces(3);
        TailPoller tailer = poller(db.engine());
        append("mail.log_current", p.get(0));
        tailer.pollOnce();
        db.jdbc.execute("ALTER TABLE raw_block RENAME TO raw_block_away");
        append("mail.log_current", p.get(1));
        tailer.pollOnce();
        append("mail.log_current", p.get(2));
        tailer.pollOnce();

        assertThat(db.rows("SELECT state, position, size FROM log_file")).singleElement().satisfies(row -> {
            assertThat(row.get("state")).isEqualTo("failed");
            assertThat(row.get("position")).isEqualTo((long) p.get(0).length);
            assertThat(row.get("size")).isEqualTo(Files.size(dir.resolve("mail.log_current")));
        });
        assertThat(new Sources(db.dataSource).all().get(0).files()).singleElement()
                .satisfies(f -> assertThat(f.lag()).isEqualTo(p.get(1).length + p.get(2).length));
    }

    /**
     * A fast writer: the lag is what the file holds past the read position now, not at the start of the round, which
     * over a burst of 200,000 lines lasted a minute and showed a lag shrinking to 0 while the file had doubled.
     */
    @Test
    void theLagCountsWhatWasWrittenSinceTheLastLook() throws IOException {
        List<byte[]> p = LogText.generate(200, 19).pieces(2);
        append("mail.log_current", p.get(0));
        poller(db.engine()).pollOnce();
        append("mail.log_current", p.get(1));

        assertThat(new Sources(db.dataSource).all().get(0).files()).singleElement().satisfies(f -> {
            assertThat(f.lag()).isEqualTo(p.get(1).length);
            assertThat(f.size()).isEqualTo(Files.size(dir.resolve("mail.log_current")));
        });
        // Another file under the name now (a rotation not looked at yet): the size stays the one last seen.
        Files.move(dir.resolve("mail.log_current"), dir.resolve("mail.log_yesterday"));
        append("mail.log_current", p.get(0));
        append("mail.log_current", p.get(0));
        assertThat(new Sources(db.dataSource).all().get(0).files()).singleElement()
                .satisfies(f -> assertThat(f.lag()).isZero());
    }

    @Test
    void aGzipOrOtherBinaryFileUnderAFollowedNameIsRefusedWithAnErrorOnTheFile() throws IOException {
        byte[] log = LogText.generate(100, 17).bytes();
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(log);
        }
        Files.write(dir.resolve("mail.log_current"), gz.toByteArray());
        byte[] binary = new byte[5000];
        new java.util.Random(18).nextBytes(binary);
        Files.write(dir.resolve("connection.log_current"), binary);
        TailPoller tailer = poller(db.engine());
        tailer.pollOnce();
        tailer.pollOnce();

        assertThat(db.rows("SELECT name, state, error, position, size, lines FROM log_file ORDER BY name"))
                .satisfiesExactly(connection -> {
                    assertThat(connection.get("state")).isEqualTo("failed");
                    assertThat(connection.get("error")).isEqualTo(dir.resolve("connection.log_current")
                            + ": does not look like a text log (it contains NUL bytes: binary data, or text in "
                            + "UTF-16): not read");
                    assertThat(connection.get("lines")).isEqualTo(0L);
                    assertThat(connection.get("size")).isEqualTo(5000L);
                }, mail -> {
                    assertThat(mail.get("state")).isEqualTo("failed");
                    assertThat(mail.get("error")).isEqualTo(dir.resolve("mail.log_current") + ": gzip-compressed: "
                            + "not read (the tailer follows plain-text logs); upload or import it, which reads gzip");
                    assertThat(mail.get("lines")).isEqualTo(0L);
                    assertThat(mail.get("size")).isEqualTo((long) gz.size());
                });
        assertThat(db.count("SELECT COUNT(*) FROM rejected_line")).isZero();
        assertThat(db.count("SELECT COUNT(*) FROM raw_block")).isZero();

        // Given the name it should have had: no longer followed (nor looked for under it every round).
        Files.move(dir.resolve("mail.log_current"), dir.resolve("mail.log_current.gz"));
        tailer.pollOnce();
        assertThat(db.rows("SELECT state, error FROM log_file WHERE name = 'mail.log_current'")).singleElement()
                .satisfies(row -> {
                    assertThat(row.get("state")).isEqualTo("gone");
                    assertThat((String) row.get("error")).startsWith(dir.resolve("mail.log_current.gz")
                            + ": gzip-compressed: not read").endsWith("; renamed to mail.log_current.gz, which "
                            + "mailtrail.tail.files does not match: no longer followed");
                });

        // The real log under the name: read as usual.
        Files.write(dir.resolve("mail.log_current"), log);
        tailer.pollOnce();
        assertThat(db.count("SELECT SUM(entries) FROM log_file")).isEqualTo(LogText.read(log).entries());
        assertThat(db.count("SELECT SUM(rejected) FROM log_file")).isZero();
    }

    @Test
    void truncatedFileIsReadAgainAsANewFile() throws IOException {
        byte[] first = LogText.generate(100, 21).bytes();
        byte[] shorter = LogText.generate(30, 22).bytes();
        byte[] longer = LogText.generate(150, 23).bytes();
        TailPoller tailer = poller(db.engine());
        Path current = dir.resolve("mail.log_current");

        Files.write(current, first);
        tailer.pollOnce();
        Files.write(current, shorter); // truncated in place: same inode, smaller than the position read
        tailer.pollOnce();
        Files.write(current, longer); // again, but now longer than before: only the first bytes tell
        tailer.pollOnce();

        assertThat(db.jdbc.queryForList("SELECT state FROM log_file ORDER BY id", String.class))
                .containsExactly("truncated", "truncated", "tailing");
        assertThat(db.jdbc.queryForList("SELECT notice FROM log_file ORDER BY id", String.class).subList(0, 2))
                .satisfiesExactly(n -> assertThat(n).startsWith("truncated: found at "),
                        n -> assertThat(n).startsWith("written over from the start (its first bytes are not those "
                                + "read): found at "))
                .allSatisfy(n -> assertThat(n).contains("read again from the start as a new file"));
        assertThat(db.jdbc.queryForList("SELECT error FROM log_file ORDER BY id", String.class)).containsOnlyNulls();
        long expected = 0;
        for (byte[] t : List.of(first, shorter, longer)) {
            expected += LogText.read(t).entries();
        }
        assertThat(db.count("SELECT SUM(entries) FROM log_file")).isEqualTo(expected);
        assertThat(db.count("SELECT SUM(duplicates) FROM log_file")).isZero();
        assertThat(db.count("SELECT position FROM log_file WHERE state = 'tailing'")).isEqualTo(longer.length);
    }

    /**
     * logrotate's copytruncate with its copy put in another directory (olddir): the file is emptied in place, and the
     * MTA writes on. No fault: the row of what was read says what happened as a notice, with no error, and its lag is
     * not known (what was written between the last look and the copy was not seen); the new content is read as a new
     * file. As before copies were looked for: none is in the followed directory.
     */
    @Test
    void aTruncationWithNoCopyInTheDirectoryIsANoticeSayingWhatHappenedNotAnError(@TempDir Path olddir)
            throws IOException {
        LogText text = LogText.generate(100, 24);
        byte[] after = LogText.generate(30, 25).bytes();
        TailPoller tailer = poller(db.engine());
        Path current = dir.resolve("mail.log_current");
        append("mail.log_current", text.bytes());
        tailer.pollOnce();
        copyTruncate(olddir.resolve("mail.log_current.1"));
        append("mail.log_current", after);
        tailer.pollOnce();

        List<Sources.FileView> files = new Sources(db.dataSource).all().get(0).files();
        assertThat(files).extracting(Sources.FileView::state).containsExactly("truncated", "tailing");
        Sources.FileView cut = files.get(0);
        assertThat(cut.error()).isNull();
        assertThat(cut.notice()).matches("truncated: found at " + TIME + " with " + after.length + " bytes, where it "
                        + "had " + text.bytes().length + " at the look before \\(last read " + TIME + "\\), read up to "
                        + "byte " + text.bytes().length + "; the " + text.lines() + " lines read from it are kept, and it "
                        + "is read again from the start as a new file\\. .*")
                .endsWith("Lines written after that look and before it was truncated, if any, were not read: after "
                        + "logrotate's copytruncate they end its copy (upload or import it; lines already stored are "
                        + "not stored twice), but for those written between the copy and the truncation, which "
                        + "logrotate loses");
        assertThat(cut.lag()).isNull();
        assertThat(cut.lagAtLeast()).isZero();
        Sources.FileView now = files.get(1);
        assertThat(now.notice()).isNull();
        assertThat(now.error()).isNull();
        assertThat(now.lag()).isZero();
        assertThat(now.lagAtLeast()).isNull();
        assertThat(db.count("SELECT SUM(entries) FROM log_file"))
                .isEqualTo(LogText.read(text.bytes()).entries() + LogText.read(after).entries());
    }

    /** The last sentence of the notice of a file whose copy was read, which the row is named after since. */
    private static String copyNamed(String copy) {
        return "Shown under its copy's name since, its lines being in " + copy + " now: mail.log_current, emptied, "
                + "holds other lines";
    }

    private static final String TIME = "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d";

    /** What logrotate's copytruncate does to mail.log_current: copied to {@code copy}, then emptied in place. */
    private void copyTruncate(Path copy) throws IOException {
        Path current = dir.resolve("mail.log_current");
        Files.copy(current, copy);
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(current, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
    }

    /**
     * logrotate's copytruncate, with lines written after Mailtrail's last look: they are only in the copy, whose name
     * mailtrail.tail.files does not match. The copy (the same first bytes, at least as long as what was read) is read
     * from the stored position to its end as the rest of the file read until then, then the emptied file from its
     * start: every line is stored once, the lag is known again, and an upload of the copy afterwards adds nothing.
     */
    @Test
    void aCopyTruncateRotationReadsTheLinesWrittenSinceTheLastLookFromTheCopy() throws IOException {
        LogText text = LogText.generate(300, 81);
        List<byte[]> p = text.pieces(3);
        byte[] read = p.get(0);
        byte[] copied = LogText.concat(p.get(0), p.get(1));
        TailPoller tailer = poller(db.engine());
        append("mail.log_current", read);
        tailer.pollOnce();
        append("mail.log_current", p.get(1)); // written after the last look
        copyTruncate(dir.resolve("mail.log_current.1"));
        append("mail.log_current", p.get(2));
        tailer.pollOnce();

        assertReadExactlyOnce(text.bytes());
        List<Sources.FileView> files = new Sources(db.dataSource).all().get(0).files();
        assertThat(files).extracting(Sources.FileView::state).containsExactly("truncated", "tailing");
        Sources.FileView cut = files.get(0);
        // Its lines are in the copy now, not in the emptied mail.log_current: the row, and every line it cites, names
        // the copy
        assertThat(cut.name()).isEqualTo("mail.log_current.1");
        assertThat(db.jdbc.queryForList("SELECT DISTINCT f.name FROM recipient r JOIN log_file f "
                + "ON f.id = r.enqueue_file WHERE f.id = " + cut.id(), String.class)).containsExactly("mail.log_current.1");
        assertThat(cut.error()).isNull();
        long linesAfter = LogText.read(copied).lines() - LogText.read(read).lines();
        assertThat(cut.notice()).matches("truncated: found at " + TIME + " with " + p.get(2).length + " bytes, where "
                + "it had " + read.length + " at the look before \\(last read " + TIME + "\\), read up to byte "
                + read.length + "; the " + LogText.read(read).lines() + " lines read from it are kept, and it is read "
                + "again from the start as a new file\\. .*").endsWith(". The " + linesAfter + " lines written after "
                + "that look were read from its copy mail.log_current.1 (the same first bytes), from byte "
                + read.length + " to its end, byte " + copied.length + "; lines written between the copy and the "
                + "truncation, if any, are in neither file (logrotate's copytruncate loses them). "
                + copyNamed("mail.log_current.1"));
        assertThat(cut.position()).isEqualTo(copied.length);
        assertThat(cut.lines()).isEqualTo(LogText.read(copied).lines());
        assertThat(cut.lag()).isZero();
        assertThat(cut.lagAtLeast()).isNull();

        // The copy uploaded afterwards, as the notice used to ask: every line of it is stored already
        IngestEngine engine = db.engine();
        engine.ingest(engine.createSource("upload", "mail.log_current.1"), "mail.log_current.1",
                new ByteArrayInputStream(Files.readAllBytes(dir.resolve("mail.log_current.1"))), LogOptions.auto(),
                new Progress());
        LogReader.Summary truth = LogText.read(text.bytes());
        LogReader.Summary copy = LogText.read(copied);
        assertThat(db.count("SELECT SUM(entries) FROM log_file")).isEqualTo(truth.entries());
        assertThat(db.count("SELECT SUM(duplicates) FROM log_file")).isEqualTo(copy.entries() + copy.rejected());
        assertSameRowsAsOneGo(text.bytes());
    }

    /**
     * A crash (or kill) while the copy is read: the position is committed with the rows, so the next start finds the
     * file still truncated, the copy still there, and reads on from where the crash left it.
     */
    @Test
    void aCrashWhileTheCopyIsReadLosesAndDoublesNothing() throws IOException {
        LogText text = LogText.generate(400, 82);
        List<byte[]> p = text.pieces(10);
        append("mail.log_current", p.get(0));
        poller(db.engine()).pollOnce();
        for (byte[] piece : p.subList(1, 9)) {
            append("mail.log_current", piece);
        }
        copyTruncate(dir.resolve("mail.log_current-20261130"));
        append("mail.log_current", p.get(9));
        IngestEngine crashing = new IngestEngine(CrashingDataSource.failingBatch(db.dataSource, 3),
                Set.of("conversion", "reprocess", "process"), 100);
        poller(crashing).pollOnce();
        long position = db.count("SELECT position FROM log_file WHERE id = (SELECT MIN(id) FROM log_file)");
        assertThat(position).isGreaterThan(p.get(0).length)
                .isLessThan(text.bytes().length - p.get(9).length);
        // Still under the followed name, by which the next start finds it truncated again and reads on from its copy
        assertThat(db.jdbc.queryForObject("SELECT name FROM log_file WHERE id = (SELECT MIN(id) FROM log_file)",
                String.class)).isEqualTo("mail.log_current");

        poller(db.engine()).pollOnce(); // restarted
        assertReadExactlyOnce(text.bytes());
        Sources.FileView cut = new Sources(db.dataSource).all().get(0).files().get(0);
        assertThat(cut.state()).isEqualTo("truncated");
        assertThat(cut.notice()).contains("were read from its copy mail.log_current-20261130");
        assertThat(cut.name()).isEqualTo("mail.log_current-20261130");
        assertThat(cut.error()).isNull();
        assertThat(cut.lag()).isZero();
    }

    /**
     * The next copy-and-truncate rotation (logrotate's rotate 2): the copy mail.log_current.1 is renamed to .2 and a
     * new copy made as .1. The older row, no longer followed, keeps the name it was given (its lines are in .2 now):
     * both rows name mail.log_current.1, as the README says. Every line is still stored once.
     */
    @Test
    void theNextRotationOfTheCopyLeavesTheOlderRowUnderTheNameItWasGiven() throws IOException {
        LogText text = LogText.generate(300, 89);
        List<byte[]> p = text.pieces(4);
        TailPoller tailer = poller(db.engine());
        append("mail.log_current", p.get(0));
        tailer.pollOnce();
        append("mail.log_current", p.get(1));
        copyTruncate(dir.resolve("mail.log_current.1"));
        append("mail.log_current", p.get(2));
        tailer.pollOnce();
        Files.move(dir.resolve("mail.log_current.1"), dir.resolve("mail.log_current.2"));
        append("mail.log_current", p.get(3));
        copyTruncate(dir.resolve("mail.log_current.1"));
        tailer.pollOnce();

        assertReadExactlyOnce(text.bytes());
        List<Map<String, Object>> rows = db.rows("SELECT name, state FROM log_file ORDER BY id");
        assertThat(rows).extracting(r -> r.get("name")).containsExactly("mail.log_current.1", "mail.log_current.1",
                "mail.log_current");
        assertThat(rows).extracting(r -> r.get("state")).containsExactly("truncated", "truncated", "tailing");
    }

    /**
     * A read error in the middle of the copy (a bad block, an NFS mount gone): the lines before it are stored, once,
     * and the notice says how far the copy was read; what was not read of it is an error, counted by the lag. Until
     * now the notice said the lines written after the last look were not read, though part of them were stored.
     */
    @Test
    void aCopyReadThatFailsPartWaySaysHowFarItGotAndWhatWasNotRead() throws IOException {
        LogText text = LogText.generate(1500, 87);
        List<byte[]> p = text.pieces(3);
        byte[] read = p.get(0);
        byte[] copied = LogText.concat(p.get(0), p.get(1));
        // Past the lines a first read learns from: the copy is then read from the position on only
        assertThat(LogText.read(read).lines()).isGreaterThanOrEqualTo(LogReader.LEARN_LINES);
        IngestEngine engine = db.engine();
        long source = engine.createSource("tail", dir.toString());
        Path copy = dir.resolve("mail.log_current.1");
        long failAt = read.length + p.get(1).length / 2;
        DirectoryTail tail = new DirectoryTail(engine, dir, source, new FileFinder(FILES), path -> {
            java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(path, StandardOpenOption.READ);
            return path.equals(copy) ? new FailingChannel(ch, failAt) : ch;
        });
        try {
            append("mail.log_current", read);
            tail.poll();
            append("mail.log_current", p.get(1)); // written after the last look
            copyTruncate(copy);
            append("mail.log_current", p.get(2));
            tail.poll();
        } finally {
            tail.close();
        }

        Sources.FileView cut = new Sources(db.dataSource).all().get(0).files().get(0);
        long stored = lineEndBefore(copied, failAt);
        assertThat(stored).isGreaterThan(read.length);
        byte[] storedBytes = Arrays.copyOfRange(copied, 0, (int) stored);
        long linesFromCopy = LogText.read(storedBytes).lines() - LogText.read(read).lines();
        assertThat(cut.state()).isEqualTo("truncated");
        assertThat(cut.position()).isEqualTo(stored);
        assertThat(cut.name()).isEqualTo("mail.log_current.1");
        assertThat(cut.notice()).doesNotContain("were not read: after logrotate")
                .endsWith(". Its copy mail.log_current.1 (the same first bytes) was read from byte " + read.length
                        + " to byte " + stored + ", and the " + linesFromCopy + " lines written after that look up to "
                        + "there were stored; reading it failed there (Input/output error): the rest of it, from byte "
                        + stored + " to its end, byte " + copied.length + ", was not read; upload or import the copy "
                        + "to add it (lines already stored are not stored twice). Lines written between the copy and "
                        + "the truncation, if any, are in neither file (logrotate's copytruncate loses them). "
                        + copyNamed("mail.log_current.1"));
        assertThat(cut.error()).isEqualTo("the " + (copied.length - stored) + " bytes of its copy mail.log_current.1 "
                + "past byte " + stored + " were not read (Input/output error)");
        assertThat(cut.lag()).isEqualTo(copied.length - stored);
        assertThat(cut.lagAtLeast()).isNull();
        // Nothing doubled: what was stored is the copy up to there, and the emptied file's new lines
        assertThat(db.count("SELECT SUM(entries) FROM log_file"))
                .isEqualTo(LogText.read(storedBytes).entries() + LogText.read(p.get(2)).entries());
        assertThat(db.count("SELECT SUM(duplicates) FROM log_file")).isZero();

        // The copy uploaded afterwards, as the notice asks: it adds the rest, and only the rest
        engine.ingest(engine.createSource("upload", "mail.log_current.1"), "mail.log_current.1",
                new ByteArrayInputStream(copied), LogOptions.auto(), new Progress());
        assertThat(db.count("SELECT SUM(entries) FROM log_file")).isEqualTo(LogText.read(text.bytes()).entries());
        assertSameRowsAsOneGo(text.bytes());
    }

    /** Where the last complete line before {@code at} ends. */
    private static long lineEndBefore(byte[] bytes, long at) {
        for (int i = (int) at - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i + 1;
            }
        }
        return 0;
    }

    /** A file whose bytes from {@code failAt} on cannot be read, as on a bad block of a disk. */
    private static final class FailingChannel extends java.nio.channels.FileChannel {
        private final java.nio.channels.FileChannel ch;
        private final long failAt;

        FailingChannel(java.nio.channels.FileChannel ch, long failAt) {
            this.ch = ch;
            this.failAt = failAt;
        }

        @Override
        public int read(java.nio.ByteBuffer dst, long position) throws IOException {
            if (position >= failAt) {
                throw new IOException("Input/output error");
            }
            java.nio.ByteBuffer upTo = dst.slice();
            upTo.limit((int) Math.min(upTo.limit(), failAt - position));
            int n = ch.read(upTo, position);
            if (n > 0) {
                dst.position(dst.position() + n);
            }
            return n;
        }

        @Override
        public int read(java.nio.ByteBuffer dst) {
            throw new UnsupportedOperationException("read by position");
        }

        @Override
        public long read(java.nio.ByteBuffer[] dsts, int offset, int length) {
            throw new UnsupportedOperationException("read by position");
        }

        @Override
        public int write(java.nio.ByteBuffer src) {
            throw new java.nio.channels.NonWritableChannelException();
        }

        @Override
        public long write(java.nio.ByteBuffer[] srcs, int offset, int length) {
            throw new java.nio.channels.NonWritableChannelException();
        }

        @Override
        public int write(java.nio.ByteBuffer src, long position) {
            throw new java.nio.channels.NonWritableChannelException();
        }

        @Override
        public long position() throws IOException {
            return ch.position();
        }

        @Override
        public java.nio.channels.FileChannel position(long newPosition) throws IOException {
            ch.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return ch.size();
        }

        @Override
        public java.nio.channels.FileChannel truncate(long size) {
            throw new java.nio.channels.NonWritableChannelException();
        }

        @Override
        public void force(boolean metaData) {
        }

        @Override
        public long transferTo(long position, long count, java.nio.channels.WritableByteChannel target) {
            throw new UnsupportedOperationException("read by position");
        }

        @Override
        public long transferFrom(java.nio.channels.ReadableByteChannel src, long position, long count) {
            throw new java.nio.channels.NonWritableChannelException();
        }

        @Override
        public java.nio.MappedByteBuffer map(MapMode mode, long position, long size) {
            throw new UnsupportedOperationException("read by position");
        }

        @Override
        public java.nio.channels.FileLock lock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.nio.channels.FileLock tryLock(long position, long size, boolean shared) {
            throw new UnsupportedOperationException();
        }

        @Override
        protected void implCloseChannel() throws IOException {
            ch.close();
        }
    }

    /** A copy that shows up a round after the truncation was seen is still read, and the notice then says so. */
    @Test
    void aCopyMadeJustAfterTheTruncationWasSeenIsReadAtTheNextRound() throws IOException {
        LogText text = LogText.generate(300, 83);
        List<byte[]> p = text.pieces(3);
        TailPoller tailer = poller(db.engine());
        append("mail.log_current", p.get(0));
        tailer.pollOnce();
        append("mail.log_current", p.get(1));
        byte[] copied = Files.readAllBytes(dir.resolve("mail.log_current"));
        Files.write(dir.resolve("mail.log_current"), p.get(2)); // emptied and written to before the copy is there
        tailer.pollOnce();
        assertThat(new Sources(db.dataSource).all().get(0).files().get(0).lagAtLeast()).isZero();

        Files.write(dir.resolve("mail.log_current.1"), copied);
        tailer.pollOnce();
        assertReadExactlyOnce(text.bytes());
        Sources.FileView cut = new Sources(db.dataSource).all().get(0).files().get(0);
        assertThat(cut.state()).isEqualTo("truncated");
        assertThat(cut.notice()).contains(" lines written after that look were read from its copy mail.log_current.1")
                .endsWith(copyNamed("mail.log_current.1"));
        assertThat(cut.name()).isEqualTo("mail.log_current.1");
        assertThat(cut.lag()).isZero();
    }

    /** The copy is looked for a bounded number of rounds after the truncation, not for ever. */
    @Test
    void aCopyIsNoLongerLookedForAfterABoundedNumberOfRounds() throws IOException {
        List<byte[]> p = LogText.generate(200, 86).pieces(3);
        TailPoller tailer = poller(db.engine());
        append("mail.log_current", p.get(0));
        tailer.pollOnce();
        append("mail.log_current", p.get(1));
        byte[] copied = Files.readAllBytes(dir.resolve("mail.log_current"));
        Files.write(dir.resolve("mail.log_current"), p.get(2));
        for (int round = 0; round <= DirectoryTail.COPY_ROUNDS; round++) {
            tailer.pollOnce();
        }
        String notice = db.jdbc.queryForObject("SELECT notice FROM log_file WHERE id = (SELECT MIN(id) FROM log_file)",
                String.class);

        Files.write(dir.resolve("mail.log_current.1"), copied);
        tailer.pollOnce();
        assertThat(db.jdbc.queryForObject("SELECT notice FROM log_file WHERE id = (SELECT MIN(id) FROM log_file)",
                String.class)).isEqualTo(notice).contains("were not read");
        assertThat(db.count("SELECT position FROM log_file WHERE id = (SELECT MIN(id) FROM log_file)"))
                .isEqualTo(p.get(0).length);
    }

    /**
     * Not taken as the copy: a compressed one (named in the notice, for an upload), a symbolic link (logrotate makes
     * none; it may lead out of the directory), a hard link to the followed file (emptied with it).
     */
    @Test
    void aCompressedCopyIsNamedForAnUploadAndLinksAreNotTakenForTheCopy(@TempDir Path elsewhere)
            throws IOException {
        LogText text = LogText.generate(200, 84);
        List<byte[]> p = text.pieces(3);
        TailPoller tailer = poller(db.engine());
        Path current = dir.resolve("mail.log_current");
        append("mail.log_current", p.get(0));
        tailer.pollOnce();
        append("mail.log_current", p.get(1));
        Files.createLink(dir.resolve("mail.log_current.hard"), current);
        Files.copy(current, elsewhere.resolve("copy"));
        Files.createSymbolicLink(dir.resolve("mail.log_current.link"), elsewhere.resolve("copy"));
        try (var gz = new java.util.zip.GZIPOutputStream(Files.newOutputStream(dir.resolve("mail.log_current.1.gz")))) {
            gz.write(Files.readAllBytes(current));
        }
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(current, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        append("mail.log_current", p.get(2));
        tailer.pollOnce();

        Sources.FileView cut = new Sources(db.dataSource).all().get(0).files().get(0);
        assertThat(cut.state()).isEqualTo("truncated");
        assertThat(cut.position()).isEqualTo(p.get(0).length);
        assertThat(cut.notice()).endsWith("; its copy here, mail.log_current.1.gz, is compressed: upload or import "
                + "it to add them (lines already stored are not stored twice)");
        assertThat(cut.name()).isEqualTo("mail.log_current"); // not read from the gzip: named as it was read
        assertThat(cut.lag()).isNull();
        assertThat(cut.error()).isNull();
        assertThat(db.count("SELECT SUM(entries) FROM log_file"))
                .isEqualTo(LogText.read(p.get(0)).entries() + LogText.read(p.get(2)).entries());
    }

    /**
     * The copy under a name that is followed too (mail.log_yesterday): in the round that finds the truncation it is
     * read as the rest of the truncated file, then begun as a file of its own, whose lines are all stored already.
     * And at the next rotation, with a round between the copy and the truncation, the copy (followed by then) is
     * still the truncated file's copy. Every line is stored once, whichever row brings it.
     */
    @Test
    void aCopyUnderAFollowedNameStoresEachLineOnce() throws IOException {
        LogText text = LogText.generate(400, 85);
        List<byte[]> p = text.pieces(5);
        TailPoller tailer = poller(db.engine());
        append("mail.log_current", p.get(0));
        tailer.pollOnce();
        append("mail.log_current", p.get(1));
        copyTruncate(dir.resolve("mail.log_yesterday"));
        append("mail.log_current", p.get(2));
        tailer.pollOnce();
        List<Map<String, Object>> rows = db.rows("SELECT name, state, notice, entries, duplicates FROM log_file "
                + "ORDER BY id");
        assertThat(rows).extracting(r -> r.get("name")).containsExactly("mail.log_yesterday", "mail.log_current",
                "mail.log_yesterday");
        assertThat((String) rows.get(0).get("notice")).contains(" lines written after that look were read from its "
                + "copy mail.log_yesterday");
        assertThat(rows.get(2).get("entries")).isEqualTo(0L);

        append("mail.log_current", p.get(3));
        Files.delete(dir.resolve("mail.log_yesterday"));
        Files.copy(dir.resolve("mail.log_current"), dir.resolve("mail.log_yesterday"));
        tailer.pollOnce(); // the copy is there, the file not emptied yet
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(dir.resolve("mail.log_current"),
                StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        append("mail.log_current", p.get(4));
        tailer.pollOnce();

        LogReader.Summary truth = LogText.read(text.bytes());
        assertThat(db.count("SELECT SUM(entries) FROM log_file")).isEqualTo(truth.entries());
        assertThat(db.count("SELECT SUM(rejected) FROM log_file")).isEqualTo(truth.rejected());
        assertSameRowsAsOneGo(text.bytes());
        Sources.FileView cut = new Sources(db.dataSource).all().get(0).files().get(1);
        assertThat(cut.state()).isEqualTo("truncated");
        assertThat(cut.notice())
                .contains("Its copy mail.log_yesterday (the same first bytes) has no complete line past byte");
        assertThat(cut.lag()).isZero();
    }

    /** A line without its line end when the file was truncated: those bytes were not read, which is an error. */
    @Test
    void aTruncationLosingALineNotCompleteSaysItsBytesAsAnError() throws IOException {
        LogText text = LogText.generate(100, 26);
        List<byte[]> p = text.pieces(2);
        TailPoller tailer = poller(db.engine());
        append("mail.log_current", p.get(0));
        append("mail.log_current", Arrays.copyOfRange(p.get(1), 0, 25));
        tailer.pollOnce();
        Files.write(dir.resolve("mail.log_current"), LogText.generate(10, 27).bytes());
        tailer.pollOnce();

        Sources.FileView cut = new Sources(db.dataSource).all().get(0).files().get(0);
        assertThat(cut.state()).isEqualTo("truncated");
        assertThat(cut.notice()).startsWith("truncated: found at ").contains(", where it had "
                + (p.get(0).length + 25) + " at the look before");
        assertThat(cut.error()).isEqualTo("the 25 bytes past its read position at the last look were not read");
        assertThat(cut.lag()).isNull();
        assertThat(cut.lagAtLeast()).isEqualTo(25);
    }

    @Test
    void partialLastLineWaitsUntilItIsComplete() throws IOException {
        LogText text = LogText.generate(100, 31);
        byte[] all = text.bytes();
        int cut = text.pieces(2).get(0).length + 40; // 40 bytes into a line
        TailPoller tailer = poller(db.engine());

        append("mail.log_current", Arrays.copyOfRange(all, 0, cut));
        tailer.pollOnce();
        Map<String, Object> row = db.jdbc.queryForMap("SELECT position, size, lines FROM log_file");
        assertThat(row.get("POSITION")).isEqualTo((long) cut - 40);
        assertThat(row.get("SIZE")).isEqualTo((long) cut);
        assertThat(db.count("SELECT SUM(entries) FROM log_file"))
                .isEqualTo(LogText.read(Arrays.copyOfRange(all, 0, cut - 40)).entries());

        append("mail.log_current", Arrays.copyOfRange(all, cut, all.length));
        tailer.pollOnce();
        assertReadExactlyOnce(all);
    }

    @Test
    void restartResumesFromTheCommittedPositions() throws IOException {
        LogText text = LogText.generate(300, 41);
        byte[] all = text.bytes();
        List<byte[]> p = text.pieces(4);
        append("mail.log_current", p.get(0));
        append("mail.log_current", Arrays.copyOfRange(p.get(1), 0, 25)); // a line being written at the stop
        poller(db.engine()).pollOnce();

        // A new engine and tailer, as after a restart, find the source again by its directory.
        append("mail.log_current", Arrays.copyOfRange(p.get(1), 25, p.get(1).length));
        append("mail.log_current", p.get(2));
        TailPoller restarted = poller(db.engine());
        restarted.pollOnce();
        Files.move(dir.resolve("mail.log_current"), dir.resolve("mail.log_yesterday"));
        append("mail.log_current", p.get(3));
        poller(db.engine()).pollOnce();

        assertReadExactlyOnce(all);
        assertThat(db.count("SELECT COUNT(*) FROM log_source WHERE kind = 'tail'")).isEqualTo(1);
        assertThat(db.count("SELECT COUNT(*) FROM log_file")).isEqualTo(2);
    }

    /**
     * Reads the first piece into mail.log_current; then, as if Mailtrail were stopped, the MTA writes the second and
     * the nightly rotation renames the file to mail.log_yesterday and starts a new one with the third.
     */
    private void readThenStopOverARotation(List<byte[]> p) throws IOException {
        append("mail.log_current", p.get(0));
        poller(db.engine()).pollOnce();
        append("mail.log_current", p.get(1));
        Files.move(dir.resolve("mail.log_current"), dir.resolve("mail.log_yesterday"));
        append("mail.log_current", p.get(2));
    }

    @Test
    void aRotationWhileStoppedFinishesTheRenamedFileFromItsPosition() throws IOException {
        LogText text = LogText.generate(300, 43);
        byte[] all = text.bytes();
        readThenStopOverARotation(text.pieces(3));
        poller(db.engine()).pollOnce();

        assertReadExactlyOnce(all);
        assertThat(db.count("SELECT COUNT(*) FROM log_file")).isEqualTo(2);
        assertThat(db.count("SELECT SUM(duplicates) FROM log_file")).isZero();
    }

    @Test
    void linesMissedOverTwoRotationsComeBackWithMailLogAndNothingTwice() throws IOException {
        LogText text = LogText.generate(300, 47);
        byte[] all = text.bytes();
        List<byte[]> p = text.pieces(4);
        readThenStopOverARotation(p);
        // Still stopped at the next rotation: the job appends yesterday's log to mail.log, then renames the current
        // one. The file read in part is gone from the directory; its unread lines are at the end of mail.log.
        nightlyJobOverAnEarlierRotation();
        append("mail.log_current", p.get(3));
        TailPoller restarted = poller(db.engine());
        restarted.pollOnce();
        restarted.pollOnce(); // a file is gone only when two rounds in a row miss it
        IngestEngine engine = db.engine();
        engine.ingest(engine.createSource("upload", "mail.log"), "mail.log",
                new ByteArrayInputStream(Files.readAllBytes(dir.resolve("mail.log"))), LogOptions.auto(),
                new Progress());

        LogReader.Summary truth = LogText.read(all);
        LogReader.Summary first = LogText.read(p.get(0));
        assertThat(db.count("SELECT SUM(entries) FROM log_file")).isEqualTo(truth.entries());
        assertThat(db.count("SELECT SUM(rejected) FROM log_file")).isEqualTo(truth.rejected());
        assertThat(db.count("SELECT SUM(duplicates) FROM log_file"))
                .isEqualTo(first.entries() + first.rejected());
        assertSameRowsAsOneGo(all);
        // The file read in part (gone, or its inode number taken by a newer file) says what may be missing and
        // where to find it.
        assertThat(db.jdbc.queryForList("SELECT error FROM log_file ORDER BY id", String.class).get(0))
                .contains("the lines written to it after its last look (")
                .contains("while Mailtrail was stopped were not read; the nightly rotation appends them to mail.log: "
                        + "upload or import that file");
        // Read to its end at the stop, but written to after it: its lag is not known, where it said 0
        Sources.FileView lost = new Sources(db.dataSource).all().stream().filter(s -> s.kind().equals("tail"))
                .findFirst().orElseThrow().files().get(0);
        assertThat(lost.lag()).isNull();
        assertThat(lost.lagAtLeast()).isZero();
    }

    /**
     * A site logging optional fields (sensitivity, priority, queue time...), followed a few lines a round: each line
     * is parsed as an import of the whole file parses it, not by what the few lines of its round show.
     */
    @Test
    void aFewLinesARoundAreParsedAsTheImportOfTheWholeFile() throws IOException {
        LogText text = LogText.generate(60, 3, "filename,message_id,username,sensitivity,priority,queue_time");
        byte[] all = text.bytes();
        TailPoller tailer = poller(db.engine());
        int start = 0;
        for (int round = 0; start < all.length; round++) {
            int end = start;
            for (int n = 0; n < 1 + round % 4 && end < all.length; n++) { // 1 to 4 lines
                while (all[end++] != '\n') {
                }
            }
            append("mail.log_current", Arrays.copyOfRange(all, start, end));
            tailer.pollOnce();
            start = end;
        }

        assertThat(db.count("SELECT SUM(lines) FROM log_file")).isEqualTo(text.lines());
        TailDatabase reference = new TailDatabase(database());
        IngestEngine engine = reference.engine();
        engine.ingest(engine.createSource("import", "reference"), "all", new ByteArrayInputStream(all),
                LogOptions.auto(), new Progress());
        String attempts = "SELECT line, code, recipient, diagnostic, smtp_code, remote_host, category FROM attempt "
                + "ORDER BY line, recipient";
        assertThat(db.rows(attempts)).isNotEmpty().isEqualTo(reference.rows(attempts));
        String options = "SELECT options FROM log_file";
        assertThat(db.rows(options)).isEqualTo(reference.rows(options));
    }

    @Test
    void aFileBegunAndRemovedWhileRunningIsNotSaidToHaveMissedLinesWhileStopped() throws IOException {
        TailPoller tailer = poller(db.engine());
        tailer.pollOnce(); // started on an empty directory
        append("mail.log_current", LogText.generate(30, 61).bytes());
        tailer.pollOnce();
        Files.delete(dir.resolve("mail.log_current"));
        tailer.pollOnce();
        tailer.pollOnce(); // a file is gone only when two rounds in a row miss it

        assertThat(db.rows("SELECT state, error FROM log_file")).singleElement().satisfies(row -> {
            assertThat(row.get("state")).isEqualTo("gone");
            assertThat(row.get("error")).isNull(); // read to its end while watched: nothing is missing
        });
    }

    @Test
    void aCopyRotationRightAfterTheFirstReadIsNotBlamedOnAStop() throws IOException {
        List<byte[]> p = LogText.generate(100, 62).pieces(2);
        TailPoller tailer = poller(db.engine());
        append("mail.log_current", p.get(0));
        tailer.pollOnce();
        // copytruncate-style: the content goes to yesterday's file, the current one starts over in place
        Files.copy(dir.resolve("mail.log_current"), dir.resolve("mail.log_yesterday"));
        Files.write(dir.resolve("mail.log_current"), p.get(1));
        tailer.pollOnce();

        Map<String, Object> row = db.rows("SELECT notice, error FROM log_file ORDER BY id").get(0);
        assertThat((String) row.get("notice")).contains("read again from the start").doesNotContain("stopped");
        assertThat(row.get("error")).isNull();
        // The copy has a followed name: read as a new file, its lines stored already counted as duplicates
        LogReader.Summary copied = LogText.read(p.get(0));
        assertThat(db.count("SELECT SUM(duplicates) FROM log_file")).isEqualTo(copied.entries() + copied.rejected());
    }

    @Test
    void aLinePendingAtAStopOverTwoRotationsStillPointsToMailLog() throws IOException {
        LogText text = LogText.generate(300, 48);
        List<byte[]> p = text.pieces(4);
        append("mail.log_current", p.get(0));
        append("mail.log_current", Arrays.copyOfRange(p.get(1), 0, 25)); // a line being written at the stop
        poller(db.engine()).pollOnce();
        append("mail.log_current", Arrays.copyOfRange(p.get(1), 25, p.get(1).length));
        Files.move(dir.resolve("mail.log_current"), dir.resolve("mail.log_yesterday"));
        append("mail.log_current", p.get(2));
        nightlyJobOverAnEarlierRotation();
        append("mail.log_current", p.get(3));
        TailPoller restarted = poller(db.engine());
        restarted.pollOnce();
        restarted.pollOnce(); // a file is gone only when two rounds in a row miss it

        assertThat(db.jdbc.queryForList("SELECT error FROM log_file ORDER BY id", String.class).get(0))
                .contains("the 25 bytes past its read position at its last look (")
                .contains(") and the lines written to it after that while Mailtrail was stopped were not read; the "
                        + "nightly rotation appends them to mail.log: upload or import that file");
        Sources.FileView lost = new Sources(db.dataSource).all().get(0).files().get(0);
        assertThat(lost.lag()).isNull();
        assertThat(lost.lagAtLeast()).isEqualTo(25);
    }

    @Test
    void aFollowedFileThatCannotBeReadIsLoggedInOneLine() throws IOException {
        append("mail.log_current", LogText.generate(20, 63).bytes());
        poller(db.engine()).pollOnce();
        IngestEngine engine = db.engine();
        IngestEngine.FileState k = engine.files(db.count("SELECT id FROM log_source")).get(0);
        Path path = dir.resolve("mail.log_current");
        DirectoryTail tail = new DirectoryTail(engine, dir, k.sourceId(), new FileFinder(FILES));
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(DirectoryTail.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logged =
                new ch.qos.logback.core.read.ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        // An import run earlier in this JVM leaves logback set to errors only (ImportCommand's default)
        ch.qos.logback.classic.Level level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.INFO);
        try {
            // (chmod 600 by another user; the tests may run as root, whom no permission stops)
            tail.guarded(k, new ObservedFile(path, "mail.log_current", k.device(), k.inode(), 0), () -> {
                throw new java.nio.file.AccessDeniedException(path.toString());
            });
        } finally {
            logger.detachAppender(logged);
            logger.setLevel(level);
        }
        // Only this directory's lines: a server of another test class may still be polling its own in this JVM.
        assertThat(logged.list).filteredOn(e -> e.getFormattedMessage().contains(dir + java.io.File.separator)
                || e.getFormattedMessage().contains(dir + ":")).singleElement().satisfies(e -> {
                    assertThat(e.getFormattedMessage()).isEqualTo("tail " + path + ": permission denied (Mailtrail "
                            + "runs as " + System.getProperty("user.name") + ")");
                    assertThat(e.getThrowableProxy()).isNull();
                });
        assertThat(db.count("SELECT COUNT(*) FROM log_file WHERE state = 'failed'")).isEqualTo(1);
    }

    /**
     * Permission denied (chmod 600 by another user; the tests may run as root, whom no permission stops): the size
     * is still known, and recorded, so the lag says how much is not read rather than 0.
     */
    @Test
    void aFileThatCannotBeReadStillHasItsSizeRecorded() throws IOException {
        List<byte[]> p = LogText.generate(100, 64).pieces(2);
        append("mail.log_current", p.get(0));
        poller(db.engine()).pollOnce();
        append("mail.log_current", p.get(1)); // written by the MTA after the permission changed
        IngestEngine engine = db.engine();
        IngestEngine.FileState k = engine.files(db.count("SELECT id FROM log_source")).get(0);
        Path path = dir.resolve("mail.log_current");
        DirectoryTail tail = new DirectoryTail(engine, dir, k.sourceId(), new FileFinder(FILES));
        tail.guarded(k, new ObservedFile(path, "mail.log_current", k.device(), k.inode(), p.get(0).length), () -> {
            throw new java.nio.file.AccessDeniedException(path.toString());
        });

        assertThat(new Sources(db.dataSource).all().get(0).files()).singleElement().satisfies(f -> {
            assertThat(f.state()).isEqualTo("failed");
            assertThat(f.size()).isEqualTo(Files.size(path));
            assertThat(f.lag()).isEqualTo(p.get(1).length);
        });
    }

    /**
     * The new mail.log_current of a nightly rotation that Mailtrail may not read (created by the MTA's user with
     * mode 600, where the old one had been opened up by hand): found with the packaged jar run as another user, the
     * file had no row, only "permission denied" on the directory, so nothing said how much was waiting. It gets its
     * row, failed, with its size and a lag that grows with it, and is read from its start once it can be. Denied
     * here by the opening itself, as the tests may run as root, whom no permission stops.
     */
    @Test
    void aNewFileThatCannotBeOpenedHasItsOwnFailedRowWhoseLagGrowsUntilItIsRead() throws IOException {
        List<byte[]> p = LogText.generate(200, 65).pieces(4);
        IngestEngine engine = db.engine();
        long source = engine.createSource("tail", dir.toString());
        Path current = dir.resolve("mail.log_current");
        boolean[] denied = {false};
        DirectoryTail tail = new DirectoryTail(engine, dir, source, new FileFinder(FILES), path -> {
            if (denied[0] && path.equals(current)) {
                throw new java.nio.file.AccessDeniedException(path.toString());
            }
            return java.nio.channels.FileChannel.open(path, StandardOpenOption.READ);
        });
        try {
            append("mail.log_current", p.get(0));
            tail.poll();
            Files.move(current, dir.resolve("mail.log_yesterday"));
            append("mail.log_current", p.get(1));
            denied[0] = true;
            tail.poll();

            assertThat(sourceError()).isNull();
            assertThat(new Sources(db.dataSource).all().get(0).files()).hasSize(2)
                    .filteredOn(f -> f.name().equals("mail.log_current")).singleElement().satisfies(f -> {
                        assertThat(f.state()).isEqualTo("failed");
                        assertThat(f.error()).isEqualTo(current + ": permission denied (Mailtrail runs as "
                                + System.getProperty("user.name") + ")");
                        assertThat(f.position()).isZero();
                        assertThat(f.lag()).isEqualTo(p.get(1).length);
                    });
            append("mail.log_current", p.get(2));
            tail.poll();
            assertThat(new Sources(db.dataSource).all().get(0).files())
                    .filteredOn(f -> f.name().equals("mail.log_current")).singleElement()
                    .satisfies(f -> assertThat(f.lag()).isEqualTo(p.get(1).length + p.get(2).length));

            denied[0] = false;
            append("mail.log_current", p.get(3));
            tail.poll();
        } finally {
            tail.close();
        }
        assertThat(db.rows("SELECT name, state FROM log_file ORDER BY id")).extracting(r -> r.get("name") + " "
                + r.get("state")).containsExactly("mail.log_yesterday rotated", "mail.log_current tailing");
        assertReadExactlyOnce(LogText.concat(p.toArray(byte[][]::new)));
    }

    /**
     * The log directory made unlistable under a running Mailtrail (a chmod 700 of the MTA's user, an upgrade
     * resetting its mode): found with the packaged jar, the files it held open stood still, "tailing" with the lag
     * they had, while the MTA went on writing to them. They are read through the files held, as for a directory
     * removed, and kept, since they are still there; the directory's trouble is said beside it. Denied here by the
     * listing itself, as the tests may run as root, whom no permission stops.
     */
    @Test
    void filesHeldOpenAreStillReadWhileTheDirectoryCannotBeListed() throws IOException {
        List<byte[]> p = LogText.generate(200, 66).pieces(3);
        IngestEngine engine = db.engine();
        long source = engine.createSource("tail", dir.toString());
        boolean[] denied = {false};
        FileFinder finder = new FileFinder(FILES) {
            @Override
            List<ObservedFile> find(Path directory) throws IOException {
                if (denied[0]) {
                    throw new java.nio.file.AccessDeniedException(directory.toString());
                }
                return super.find(directory);
            }
        };
        DirectoryTail tail = new DirectoryTail(engine, dir, source, finder);
        try {
            append("mail.log_current", p.get(0));
            tail.poll();
            denied[0] = true;
            append("mail.log_current", p.get(1));
            tail.poll();

            assertThat(sourceError()).isEqualTo(dir + ": cannot be listed: permission denied (Mailtrail runs as "
                    + System.getProperty("user.name") + "); tried again every round");
            assertThat(new Sources(db.dataSource).all().get(0).files()).singleElement().satisfies(f -> {
                assertThat(f.state()).isEqualTo("tailing");
                assertThat(f.position()).isEqualTo(p.get(0).length + p.get(1).length);
                assertThat(f.lag()).isZero();
            });

            denied[0] = false;
            append("mail.log_current", p.get(2));
            tail.poll();
            assertThat(sourceError()).isNull();
        } finally {
            tail.close();
        }
        assertReadExactlyOnce(LogText.concat(p.toArray(byte[][]::new)));
    }

    @Test
    void storageFailureIsRecordedOnTheFileAndTheNextRoundCatchesUp() throws IOException {
        LogText text = LogText.generate(100, 71);
        List<byte[]> p = text.pieces(2);
        TailPoller tailer = poller(db.engine());
        append("mail.log_current", p.get(0));
        tailer.pollOnce();

        append("mail.log_current", p.get(1));
        db.jdbc.execute("ALTER TABLE raw_block RENAME TO raw_block_away"); // the database refuses the next batch
        tailer.pollOnce();
        assertThat(db.jdbc.queryForMap("SELECT state, error FROM log_file")).satisfies(row -> {
            assertThat(row.get("STATE")).isEqualTo("failed");
            assertThat((String) row.get("ERROR")).contains("mail.log_current");
        });

        db.jdbc.execute("ALTER TABLE raw_block_away RENAME TO raw_block");
        tailer.pollOnce();
        assertThat(db.jdbc.queryForMap("SELECT state, error FROM log_file")).satisfies(row -> {
            assertThat(row.get("STATE")).isEqualTo("tailing");
            assertThat(row.get("ERROR")).isNull();
        });
        assertReadExactlyOnce(text.bytes());
    }

    @Test
    void aCrashAfterABatchTookAlongFactsOfTheNextLosesAndDoublesNothing() throws IOException {
        LogText text = LogText.generate(300, 31);
        append("mail.log_current", text.bytes());
        // Small batches, and the third fails at its commit: the first two are committed, each with the facts its
        // messages have in the batch after it (stored ahead of the committed read position).
        IngestEngine crashing = new IngestEngine(CrashingDataSource.failingBatch(db.dataSource, 3),
                Set.of("conversion", "reprocess", "process"), 100);
        poller(crashing).pollOnce();
        assertThat(db.count("SELECT COUNT(*) FROM message")).isPositive();
        assertThat(db.count("SELECT position FROM log_file")).isLessThan(text.bytes().length);

        poller(db.engine()).pollOnce(); // restarted: reads again from the committed position
        assertReadExactlyOnce(text.bytes());
    }

    @Test
    void aStopEndsTheRoundAtABatchAndTheFileGoesOnFromThereAtTheNextStart() throws IOException {
        LogText text = LogText.generate(300, 33);
        append("mail.log_current", text.bytes());
        // The application stops while the second batch commits: the round ends at its next batch, the file keeps
        // its state (it is not failed: nothing went wrong with it) and its committed position.
        IngestEngine[] stopping = new IngestEngine[1];
        stopping[0] = new IngestEngine(CrashingDataSource.atBatch(db.dataSource, 2, () -> stopping[0].stopReads()),
                Set.of("conversion", "reprocess", "process"), 100);
        TailPoller tailer = poller(stopping[0]);
        tailer.pollOnce();
        assertThat(db.rows("SELECT state, error FROM log_file")).singleElement().satisfies(row -> {
            assertThat(row.get("state")).isEqualTo("tailing");
            assertThat(row.get("error")).isNull();
        });
        long position = db.count("SELECT position FROM log_file");
        assertThat(position).isPositive().isLessThan(text.bytes().length);
        tailer.pollOnce(); // a round that comes after reads nothing
        assertThat(db.count("SELECT position FROM log_file")).isEqualTo(position);

        poller(db.engine()).pollOnce(); // the next start
        assertReadExactlyOnce(text.bytes());
    }

    @Test
    void aDirectoryTakenOutOfTheTailPathsEndsAndOneFollowedAgainRunsAgain() throws IOException {
        append("mail.log_current", LogText.generate(20, 41).bytes());
        poller(db.engine()).pollOnce();
        long followed = db.count("SELECT id FROM log_source WHERE kind = 'tail'");
        long old = db.engine().createSource("tail", "/opt/old-mta/log"); // followed once, no longer configured

        TailPoller restarted = poller(db.engine());
        restarted.endUnfollowed();
        assertThat(db.count("SELECT COUNT(*) FROM log_source WHERE id = " + followed + " AND state = 'running'"))
                .isEqualTo(1);
        assertThat(db.count("SELECT COUNT(*) FROM log_source WHERE id = " + old + " AND state = 'done' "
                + "AND finished IS NOT NULL")).isEqualTo(1);

        db.engine().finishSource(followed, null); // as a start without it in the paths left it
        restarted.pollOnce();
        assertThat(db.count("SELECT COUNT(*) FROM log_source WHERE id = " + followed + " AND state = 'running' "
                + "AND finished IS NULL")).isEqualTo(1);
    }

    @Test
    void directoryThatAppearsLaterIsPickedUp() throws IOException {
        Path later = dir.resolve("later");
        TailPoller tailer = new TailPoller(db.engine(), JdbcClient.create(db.dataSource),
                new TailProperties(List.of(later), FILES, Duration.ofSeconds(2)), () -> { });
        pollers.add(tailer);
        tailer.pollOnce();
        // shown beside the source on the Sources page (and in /api/sources) while it lasts
        assertThat(sourceError()).isEqualTo(later + ": no such directory (not created yet, or not mounted); looked "
                + "for again every round");
        Files.createDirectories(later);
        byte[] text = LogText.generate(50, 51).bytes();
        Files.write(later.resolve("connection.log_current"), text);
        Files.write(later.resolve("unrelated.txt"), "not a log\n".getBytes());
        tailer.pollOnce();
        assertThat(db.jdbc.queryForList("SELECT name FROM log_file", String.class))
                .containsExactly("connection.log_current");
        assertThat(db.count("SELECT SUM(entries) FROM log_file")).isEqualTo(LogText.read(text).entries());
        assertThat(sourceError()).isNull();
    }

    /**
     * A directory mounted after the start with a large log in it: the first round that reads it can take minutes.
     * Meanwhile the Sources page said "no such directory (not created yet, or not mounted)" beside the file being
     * read; the directory's trouble is over as soon as it is listed.
     */
    @Test
    void aDirectoryThatAppearsIsNoLongerSaidMissingWhileItsFirstFileIsRead() throws IOException {
        Path later = dir.resolve("later");
        String[] during = new String[1];
        IngestEngine engine = new IngestEngine(CrashingDataSource.atBatch(db.dataSource, 1,
                () -> during[0] = sourceError() == null ? "none" : sourceError()), Set.of(), 500);
        TailPoller tailer = new TailPoller(engine, JdbcClient.create(db.dataSource),
                new TailProperties(List.of(later), FILES, Duration.ofSeconds(2)), () -> { });
        pollers.add(tailer);
        tailer.pollOnce();
        assertThat(sourceError()).startsWith(later + ": no such directory");
        Files.createDirectories(later);
        Files.write(later.resolve("mail.log_current"), LogText.generate(300, 63).bytes());
        tailer.pollOnce();

        assertThat(during[0]).isEqualTo("none");
        assertThat(sourceError()).isNull();
    }

    /**
     * Two MTA hosts' logs mounted side by side, both with a mail.log_current: each is followed on its own, and a
     * message's page tells which host's file its lines come from. Both were shown as "mail.log_current".
     */
    @Test
    void twoDirectoriesWithTheSameFileNamesAreKeptApartAndNamedByTheirDirectory() throws IOException {
        Path one = Files.createDirectories(dir.resolve("mta1"));
        Path two = Files.createDirectories(dir.resolve("mta2"));
        Files.write(one.resolve("mail.log_current"), LogText.generate(60, 65).bytes());
        Files.write(two.resolve("mail.log_current"), LogText.generate(60, 66).bytes());
        TailPoller tailer = new TailPoller(db.engine(), JdbcClient.create(db.dataSource),
                new TailProperties(List.of(one, two), FILES, Duration.ofSeconds(2)), () -> { });
        pollers.add(tailer);
        tailer.pollOnce();

        assertThat(db.count("SELECT COUNT(DISTINCT source_id) FROM log_file")).isEqualTo(2);
        com.mailtrail.message.MessageQueries queries = new com.mailtrail.message.MessageQueries(
                JdbcClient.create(db.dataSource));
        Set<String> names = new java.util.TreeSet<>();
        for (Long id : db.jdbc.queryForList("SELECT id FROM message", Long.class)) {
            queries.message(id).files().forEach(f -> names.add(f.name()));
        }
        assertThat(names).containsExactly(one.toAbsolutePath().normalize() + "/mail.log_current",
                two.toAbsolutePath().normalize() + "/mail.log_current");
    }

    @Test
    void aFileGivenAsTheDirectoryIsSaidOnTheSourceAndAFixedOneClearsIt() throws IOException {
        Path file = dir.resolve("mail.log_current");
        Files.write(file, LogText.generate(20, 52).bytes());
        TailPoller wrong = new TailPoller(db.engine(), JdbcClient.create(db.dataSource),
                new TailProperties(List.of(file), FILES, Duration.ofSeconds(2)), () -> { });
        pollers.add(wrong);
        wrong.pollOnce();
        wrong.pollOnce(); // the same trouble again: recorded once, still there
        assertThat(sourceError()).isEqualTo(file + ": cannot be listed: not a directory (mailtrail.tail.paths names "
                + "directories); tried again every round");
        assertThat(db.count("SELECT COUNT(*) FROM log_file")).isZero();

        // An earlier run's trouble on the same source is cleared by the first round that reads (after a restart).
        db.jdbc.update("UPDATE log_source SET name = ?", dir.toAbsolutePath().normalize().toString());
        poller(db.engine()).pollOnce();
        assertThat(sourceError()).isNull();
        assertThat(db.count("SELECT COUNT(*) FROM log_file")).isEqualTo(1);
    }

    private String sourceError() {
        return db.jdbc.queryForObject("SELECT error FROM log_source WHERE kind = 'tail'", String.class);
    }

    /**
     * The tables hold each line once: the entries and rejections the parser finds in the whole text, and the same
     * messages, recipients and attempts as reading the whole text in one go into another database.
     */
    private void assertReadExactlyOnce(byte[] all) throws IOException {
        assertReadExactlyOnce(db, database(), all);
    }

    private void assertSameRowsAsOneGo(byte[] all) throws IOException {
        assertSameRowsAsOneGo(db, database(), all);
    }

    /** The same, for the database {@code db} of kind {@code database}. */
    static void assertReadExactlyOnce(TailDatabase db, String database, byte[] all) throws IOException {
        LogReader.Summary truth = LogText.read(all);
        assertThat(db.count("SELECT SUM(lines) FROM log_file")).isEqualTo(truth.lines());
        assertThat(db.count("SELECT SUM(entries) FROM log_file")).isEqualTo(truth.entries());
        assertThat(db.count("SELECT SUM(rejected) FROM log_file")).isEqualTo(truth.rejected());
        assertThat(db.count("SELECT SUM(duplicates) FROM log_file")).isZero();
        assertThat(db.count("SELECT COALESCE(SUM(size - position), 0) FROM log_file WHERE state <> 'gone'"))
                .isZero();
        assertSameRowsAsOneGo(db, database, all);
    }

    /** The same messages, recipients, attempts, connection counts and rollups as reading all in one go. */
    private static void assertSameRowsAsOneGo(TailDatabase db, String database, byte[] all) throws IOException {
        TailDatabase reference = new TailDatabase(database);
        IngestEngine engine = reference.engine();
        engine.ingest(engine.createSource("import", "reference"), "all", new ByteArrayInputStream(all),
                LogOptions.auto(), new Progress());
        for (String table : List.of("message", "recipient", "attempt", "connection", "rejected_line")) {
            assertThat(db.count("SELECT COUNT(*) FROM " + table)).as(table)
                    .isEqualTo(reference.count("SELECT COUNT(*) FROM " + table));
        }
        String hours = "SELECT bucket, channel, inbound, remote_ip, opens, closes, first_time, last_time "
                + "FROM connection_hour ORDER BY bucket, channel, inbound, remote_ip";
        assertThat(db.rows(hours)).as("connection_hour").isNotEmpty().isEqualTo(reference.rows(hours));
        for (String rollup : List.of("SELECT SUM(events) FROM rollup_hour",
                "SELECT SUM(recipients) FROM rollup_recipient_hour",
                "SELECT COUNT(*) FROM recipient WHERE status = 'delivered'",
                "SELECT SUM(attempts) FROM recipient")) {
            assertThat(db.count(rollup)).as(rollup).isEqualTo(reference.count(rollup));
        }
    }
}
