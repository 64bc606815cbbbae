package com.mailtrail.ingest;

import com.mailtrail.parse.ConnectionEntry;
import com.mailtrail.parse.Diagnostic;
import com.mailtrail.parse.Entry;
import com.mailtrail.parse.LogReader;
import com.mailtrail.parse.MessageEntry;
import com.mailtrail.parse.QueueFile;
import com.mailtrail.parse.Remote;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Reads one log file into the database: the reader's sink. Entries are collected until a checkpoint with enough of
 * them, then written in one transaction together with the raw text, the rejected lines and the file's new read
 * position, so a crash at any instant loses and doubles nothing.
 */
final class FileIngest implements LogReader.Sink {

    private final IngestEngine engine;
    private final LogFileRow file;
    private final Progress progress;
    private final RawBlocks raw = new RawBlocks();
    private final Dedup dedup;
    // Where the MTA's clocks went back: used on the reading thread, in line order.
    private final ClockSteps clock;

    private List<Entry> entries = new ArrayList<>();
    // What correlation needs of each message entry, built here on the reading thread so that the correlator only
    // groups and correlates (null for the other entries). Parallel to entries.
    private List<MessageInfo> infos = new ArrayList<>();
    private List<Fact> facts = new ArrayList<>();
    private List<LogReader.Rejection> rejections = new ArrayList<>();
    // Lines over 64 KiB, stored cut; each batch takes those up to its last line (a cut is said before its line)
    private final List<Long> cut = new ArrayList<>();
    private final Map<Long, Long> lineKeys = new HashMap<>();
    // A pipeline of three threads: this one reads and parses (and holds the batch it read last, see flush) while the
    // correlator correlates the batch before with what is stored and lays out its rows, and the writer stores the
    // one before that. Each stage takes one batch at a time, in order, and the correlator hands a batch on only once
    // the one before is committed.
    private final ExecutorService correlator = stage("ingest-correlator");
    private final ExecutorService writer = stage("ingest-writer");
    private Future<?> correlating;
    private volatile Future<?> writing;
    private long submittedLines;
    private long submittedOffset;

    private static ExecutorService stage(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Everything one transaction stores: the entries up to a checkpoint and the raw text of their lines. */
    private record Batch(List<Entry> entries, List<MessageInfo> infos, List<Fact> facts,
                         List<LogReader.Rejection> rejections, Map<Long, Long> lineKeys,
                         List<RawBlocks.Block> blocks, long lines, long offset, ClockSteps.State clock,
                         Duplicates duplicates, List<Long> cut) {

        /** The lines of this batch that another file brought already, found once (by the correlator). */
        Set<Long> duplicates(Connection c, Dedup dedup) throws SQLException {
            if (duplicates.lines == null) {
                duplicates.lines = dedup.duplicates(c, entries, rejections, lineKeys);
            }
            return duplicates.lines;
        }
    }

    /** A batch's duplicate lines once found: a batch is looked at twice, as the next one and as itself. */
    private static final class Duplicates {
        Set<Long> lines;
    }
    // The batch read last, held until the next one is read: see flush.
    private Batch held;
    // Identical lines in one file are told apart by how many came before: recent hashes and their counts.
    private final Map<Long, Integer> recentHashes = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Integer> eldest) {
            return size() > 2000;
        }
    };
    private final Set<String> messageKeys = new HashSet<>();
    /** The most lines a batch spans, whatever they are. */
    static final int BATCH_LINES = 100_000;

    // Used on the reading thread only.
    private final Strings strings = new Strings();

    FileIngest(IngestEngine engine, LogFileRow file, Progress progress, Dedup dedup) {
        this(engine, file, progress, dedup, file.lines, file.position);
    }

    /** Reading from line {@code lines} + 1 at byte {@code offset}: a rebuild reads a file's text from its blocks. */
    FileIngest(IngestEngine engine, LogFileRow file, Progress progress, Dedup dedup, long lines, long offset) {
        this.engine = engine;
        this.file = file;
        this.progress = progress;
        this.dedup = dedup;
        this.submittedLines = lines;
        this.submittedOffset = offset;
        // A rebuild reads the file again from its start: what the file's row says of its clock is as of its end.
        this.clock = new ClockSteps(file.replayed != null && file.replayed == 0 ? ClockSteps.State.NONE : file.clock);
    }

    @Override
    public void cut(long line) {
        cut.add(line);
    }

    @Override
    public void line(byte[] bytes, int start, int end, long line, long offset) {
        raw.add(bytes, start, end, line, offset);
        if (!dedup.hasOtherFiles() || LineKeys.blank(bytes, start, end)) {
            return; // no line of this file can have come with another one, or a blank one: no keys to compare
        }
        long hash = LineKeys.hash(bytes, start, end);
        int occurrence = recentHashes.merge(hash, 1, Integer::sum) - 1;
        lineKeys.put(line, LineKeys.withOccurrence(hash, occurrence));
    }

    @Override
    public void entry(Entry entry) {
        entries.add(entry);
        int shift = clock.shift(entry.time()); // every entry: they all tell where the clock is
        if (entry instanceof MessageEntry m) {
            infos.add(info(m));
            facts.add(fact(m, file.id, strings, shift));
        } else {
            infos.add(null);
            facts.add(null);
        }
        raw.time(entry.line(), entry.time());
    }

    @Override
    public String refuse(Entry entry) {
        return StoredLengths.refusal(entry);
    }

    @Override
    public void rejected(LogReader.Rejection rejection) {
        rejections.add(rejection);
    }

    @Override
    public void checkpoint(long lines, long offset) {
        // Lines that are neither entries nor rejected (blank lines) end a batch too: each keeps its key and text until
        // the batch is handed on, and a file of a hundred million newlines (a few kilobytes as a gzip) ran the
        // server out of memory while it had brought not one entry.
        if (entries.size() + rejections.size() >= engine.batchEntries() || offset > submittedOffset + (64L << 20)
                || lines > submittedLines + BATCH_LINES) {
            if (engine.stopping()) {
                throw new IngestException.Stopped("Mailtrail is stopping"); // IngestEngine.read says where
            }
            flush(lines, offset);
        }
    }

    /** Hands everything up to the checkpoint to the writer, to be stored in one transaction. */
    void flush(long lines, long offset) {
        if (lines == submittedLines && offset == submittedOffset && entries.isEmpty() && rejections.isEmpty()
                && cut.isEmpty()) {
            return;
        }
        Map<Long, Long> keys = new HashMap<>();
        lineKeys.entrySet().removeIf(e -> {
            if (e.getKey() <= lines) {
                keys.put(e.getKey(), e.getValue());
                return true;
            }
            return false;
        });
        List<Long> cutHere = new ArrayList<>();
        cut.removeIf(line -> line <= lines && cutHere.add(line));
        Batch batch = new Batch(entries, infos, facts, rejections, keys, raw.drain(lines), lines, offset,
                clock.state(), new Duplicates(), cutHere);
        entries = new ArrayList<>();
        infos = new ArrayList<>();
        facts = new ArrayList<>();
        rejections = new ArrayList<>();
        submittedLines = lines;
        submittedOffset = offset;
        // A batch goes on once the next one is read, so that the messages it shares with the next (most of those
        // whose entries straddle the cut) are stored whole in one go instead of inserted and then updated.
        Batch previous = held;
        held = batch;
        if (previous != null) {
            submit(previous, batch);
        }
    }

    private void submit(Batch batch, Batch next) {
        awaitOrFail(correlating);
        correlating = correlator.submit(() -> {
            Prepared prepared = engine.onOwnConnection(c -> prepare(c, batch, next));
            await(writing);
            writing = writer.submit(() -> {
                engine.inTransaction(c -> store(c, prepared));
                return null;
            });
            return null;
        });
    }

    /** Stores the batch still held and waits until everything is stored; a failure of any stage surfaces here. */
    void finish() {
        if (held != null) {
            Batch last = held;
            held = null;
            submit(last, null);
        }
        awaitOrFail(correlating);
        awaitOrFail(writing);
    }

    private void awaitOrFail(Future<?> stage) {
        try {
            await(stage);
        } catch (RuntimeException e) {
            // Once both stages are idle, the cache is dropped: the correlator may have run ahead of what was committed.
            quietly(correlating);
            quietly(writing);
            engine.messages().invalidate();
            throw e;
        }
    }

    private static void quietly(Future<?> stage) {
        try {
            if (stage != null) {
                stage.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException ignored) {
            // reported by the stage that failed first
        }
    }

    private void await(Future<?> stage) {
        if (stage == null) {
            return;
        }
        try {
            stage.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestException("interrupted while storing " + file.name);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IngestException ie) {
                throw ie;
            }
            throw engine.failure("cannot store " + file.name, cause);
        }
    }

    /** A batch correlated and laid out as rows: what the writer stores in one transaction. */
    private record Prepared(Batch batch, Set<Long> duplicates, MessageStore.Plan plan, Connections connections,
                            Rollups rollups, long stored, LocalDateTime first, LocalDateTime last,
                            Set<String> messageKeys) {
    }

    /**
     * The correlator's part, reading on {@code c}: drops duplicates, groups facts by message, correlates. The messages
     * of this batch take along their facts from the next batch ({@code next}, when there is one): those facts are
     * then stored ahead of the next batch's position, which is safe because a fact is known by its file and line, so
     * reading them again (after a crash, say) adds nothing.
     */
    private Prepared prepare(Connection c, Batch batch, Batch next) throws SQLException {
        List<Entry> entries = batch.entries();
        Set<Long> duplicates = batch.duplicates(c, dedup);
        Map<String, MessageStore.Pending> pending = new LinkedHashMap<>();
        Connections connections = new Connections();
        Rollups rollups = new Rollups();
        long stored = 0;
        LocalDateTime first = null;
        LocalDateTime last = null;
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            if (duplicates.contains(e.line())) {
                continue;
            }
            stored++;
            if (first == null || e.time().isBefore(first)) {
                first = e.time();
            }
            if (last == null || e.time().isAfter(last)) {
                last = e.time();
            }
            MessageInfo info = batch.infos().get(i);
            if (info != null) {
                MessageStore.Pending p = pending.computeIfAbsent(info.key(), k -> new MessageStore.Pending());
                p.info = p.info == null ? info : p.info.merge(info);
                p.facts.add(batch.facts().get(i));
            } else if (e instanceof ConnectionEntry ce) {
                connections.add(ce, file.id);
            }
            // Header lines stay in the raw text only.
        }
        if (next != null) {
            Set<Long> nextDuplicates = next.duplicates(c, dedup);
            for (int i = 0; i < next.entries().size(); i++) {
                MessageInfo info = next.infos().get(i);
                MessageStore.Pending p = info == null ? null : pending.get(info.key());
                if (p != null && !nextDuplicates.contains(next.entries().get(i).line())) {
                    p.info = p.info.merge(info);
                    p.facts.add(next.facts().get(i));
                }
            }
        }
        MessageStore.Plan plan = engine.messages().prepare(c, engine.copies(c), engine.ids(), pending, rollups,
                dedup.committedLines());
        return new Prepared(batch, duplicates, plan, connections, rollups, stored, first, last, pending.keySet());
    }

    /** The writer's part: everything of one batch, and the file's new read position, in one transaction. */
    private void store(Connection c, Prepared p) throws SQLException {
        Batch batch = p.batch();
        boolean copy = engine.copies(c);
        p.plan().execute(c);
        p.connections().write(c, copy, engine.ids());
        p.rollups().write(c, copy);
        if (file.replayed == null) {
            writeRaw(c, copy, batch.blocks());
            file.position = batch.offset();
            file.lines = batch.lines();
        } else {
            // A rebuild reads the stored text again: the file's text and read position stay as they are.
            file.replayed = batch.lines();
        }
        file.clock = batch.clock();
        long rejected = writeRejections(c, batch.rejections(), p.duplicates());
        long dup = (batch.entries().size() - p.stored()) + (batch.rejections().size() - rejected);
        file.entries += p.stored();
        file.rejected += rejected;
        file.duplicates += dup;
        if (p.first() != null && (file.firstTime == null || p.first().isBefore(file.firstTime))) {
            file.firstTime = p.first();
        }
        if (p.last() != null && (file.lastTime == null || p.last().isAfter(file.lastTime))) {
            file.lastTime = p.last();
        }
        // As rejected lines: only those this file stored (another file's copy of the line was stored cut before).
        // A rebuild reads the stored text, where the cut line is whole at its 64 KiB: the count stays as read.
        List<Long> ownCut = batch.cut().stream().filter(line -> !p.duplicates().contains(line)).toList();
        if (file.replayed == null) {
            file.cut += ownCut.size();
            file.cutLines = file.cutLines.with(ownCut);
        }
        engine.updateFile(c, file);
        messageKeys.addAll(p.messageKeys());
        // Only the lines this file counts as rejected: a bad line another file brought already is a duplicate.
        List<LogReader.Rejection> own = batch.rejections().stream()
                .filter(r -> !p.duplicates().contains(r.line())).toList();
        progress.stored(file, messageKeys.size(), own);
    }

    private void writeRaw(Connection c, boolean copy, List<RawBlocks.Block> blocks) throws SQLException {
        if (blocks.isEmpty()) {
            return;
        }
        RowOut rows = RowOut.insert(copy, "raw_block", "file_id, first_line, line_count, first_offset, byte_count, "
                + "first_time, last_time, data");
        for (RawBlocks.Block b : blocks) {
            rows.add(file.id).add(b.firstLine).add(b.lineCount).add(b.firstOffset).add(b.byteCount).add(b.firstTime)
                    .add(b.lastTime).add(b.data);
            rows.endRow();
        }
        rows.execute(c);
    }

    private long writeRejections(Connection c, List<LogReader.Rejection> rejections, Set<Long> duplicates)
            throws SQLException {
        long n = 0;
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO rejected_line (id, file_id, line, reason, text) "
                + "VALUES (?,?,?,?,?)")) {
            for (LogReader.Rejection r : rejections) {
                if (duplicates.contains(r.line())) {
                    continue;
                }
                ps.setLong(1, engine.ids().next(c));
                ps.setLong(2, file.id);
                ps.setLong(3, r.line());
                ps.setString(4, truncate(r.reason(), 400));
                ps.setString(5, truncate(r.text(), 65536));
                ps.addBatch();
                n++;
            }
            if (n > 0) {
                ps.executeBatch();
            }
        }
        return n;
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    void close() {
        // Not interrupted: an interrupt in the middle of a write closes H2's file channel. After a failure both
        // stages are idle already; otherwise they finish their batch, which is then simply not continued.
        correlator.shutdown();
        writer.shutdown();
        try {
            correlator.awaitTermination(1, TimeUnit.MINUTES);
            writer.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        raw.close();
    }

    // ---- from entries to facts ----

    static MessageInfo info(MessageEntry m) {
        String key;
        boolean approximate = false;
        if (m.messageId() != null) {
            key = m.messageId();
        } else {
            // No LOG_MESSAGE_ID: a group of the day's entries from one sender to one original recipient, split into
            // recipients by enqueue (Correlator). Not by size: a deferral logs how much of the message was sent, not
            // its size. Not by queue file either (LOG_FILENAME), though it tells enqueues apart (Correlator): after a
            // Z, and out of a relay channel, the message goes on in a new queue file that no line of the old one
            // names, and grouped by file each part was a message of its own. A refusal logs an empty original
            // ("rfc822;"): the address refused stands in, or one sender's refusals of a day to any address would be
            // one message.
            String original = m.originalRecipient() == null || m.originalRecipient().isEmpty() ? m.recipient()
                    : m.originalRecipient();
            key = GROUPED_BY_RECIPIENT + m.sender() + " " + original + " " + m.time().toLocalDate();
            approximate = true;
        }
        Long size = m.action() == 'E' || m.action() == 'D' ? m.size() : null;
        return new MessageInfo(key, m.messageId(), approximate, m.originalMessageId(), m.sender(), size, m.time(),
                m.time());
    }

    /**
     * How the key of a group of entries tied only by sender, original recipient and day begins. A database written
     * before this release also has keys {@code ~stem sender} of logs with queue files: entries grouped by queue file.
     */
    private static final String GROUPED_BY_RECIPIENT = "~~";

    /** Whether a message key is such a group's (see {@link #info}). */
    static boolean groupedByRecipient(String key) {
        return key.startsWith(GROUPED_BY_RECIPIENT);
    }

    // Queue file paths and diagnostics are not shared (Strings): nearly every one is unique, so a shared copy saves
    // nothing and they only churned its table.
    static Fact fact(MessageEntry m, long fileId, Strings s, int shift) {
        Diagnostic d = m.action() == 'E' ? null : m.diagnosticParts();
        Remote r = d == null && m.sourceSystem() == null && m.transport() == null ? null : m.remote(d);
        QueueFile q = m.queueFile();
        return new Fact(m.time(), fileId, m.line(), s.of(m.code()), s.of(m.sourceChannel()),
                s.of(m.destinationChannel()), s.of(m.recipient()), s.of(m.originalRecipient()), s.of(m.sender()),
                m.size(), q == null ? null : q.path(), q == null ? null : q.attempts(), s.of(m.processId()),
                s.of(m.sourceSystem()), m.diagnostic(),
                d == null || d.category() == null ? null : d.category().key(), d == null ? null : d.permanent(),
                r == null ? null : s.of(StoredLengths.clip(r.host(), StoredLengths.HOST)),
                r == null ? null : s.of(StoredLengths.clip(r.ip(), StoredLengths.IP)), d == null ? null : d.smtpCode(),
                0, shift);
    }
}
