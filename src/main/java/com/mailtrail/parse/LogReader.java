package com.mailtrail.parse;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipException;

/**
 * Reads one log file (or stream) and hands each entry and each rejected line to a {@link Sink}, in file order.
 *
 * <p>Besides real logs it reads the documentation's folded form: entries wrapped over several lines with callout
 * markers {@code (n)} and prose around them. A file switches to that form when an entry line is followed by a
 * continuation line (indented, or after a line ending in a callout, or completing a line that is not an entry on its
 * own); from then on continuation lines are joined with one space and prose is skipped, not reported. Lines without
 * a timestamp seen before that decision are held back, and reported as rejected only if the file turns out to be a
 * real log (decided for good after {@value #DECIDE_AFTER_ENTRIES} entries).
 */
public final class LogReader {

    /** Longer lines are cut here and flagged; the rest of the line is skipped. */
    public static final int MAX_LINE = 64 * 1024;
    private static final int BUFFER = 1 << 20;
    /** Auto mode learns a file's optional fields from its first lines: this many, in at most {@link #LEARN_BYTES}. */
    public static final int LEARN_LINES = 2000;
    public static final int LEARN_BYTES = BUFFER;
    private static final int DECIDE_AFTER_ENTRIES = 1000;
    private static final int MAX_PENDING = 1000;

    /** Receives what the reader finds. */
    public interface Sink {
        void entry(Entry entry);

        /**
         * An entry with the number of its last physical line: past {@link Entry#line()} for an entry of the folded
         * form, which spans several. Hands it to {@link #entry(Entry)} unless overridden.
         */
        default void entry(Entry entry, long lastLine) {
            entry(entry);
        }

        void rejected(Rejection rejection);

        /**
         * Line {@code line} was longer than {@link #MAX_LINE}: only its first bytes are handed over, flagged
         * truncated, and the rest is dropped. Said before the line itself.
         */
        default void cut(long line) {
        }

        /** Every physical line as read, before it is parsed (for keeping the raw text). */
        default void line(byte[] bytes, int start, int end, long line, long offset) {
        }

        /**
         * Everything up to line {@code lines}, ending before byte {@code offset}, has been handed over, and nothing
         * after it: a safe point to commit the work and remember the position.
         */
        default void checkpoint(long lines, long offset) {
        }

        /**
         * Why an entry the grammar accepts cannot be taken (a field longer than the store holds), or null to take it:
         * it is then a rejected line with that reason, like a line that is not an entry.
         */
        default String refuse(Entry entry) {
            return null;
        }
    }

    /** A line that is not an entry: its 1-based number, byte offset, the reason and the line as text. */
    public record Rejection(long line, long offset, String reason, String text) {
    }

    /**
     * @param lines     physical lines read
     * @param bytes     bytes read
     * @param skipped   prose and blank lines of a documentation-form file, and blank lines
     * @param folded    the file was in the documentation's folded form
     * @param options   the option set used (for auto: the optional fields found)
     * @param end       the offset after the last complete line read (with {@code completeLinesOnly}, a partial
     *                  last line is left for later)
     */
    public record Summary(long lines, long bytes, long entries, long rejected, long skipped, boolean folded,
                          LogOptions options, long end) {
    }

    /**
     * The input failed before its end (a truncated gzip, a read error): everything before it was handed over as
     * usual, up to the last complete line, and {@link #summary()} says how far that was. A partial last line is not
     * read: its rest is what was lost.
     */
    public static final class InputBrokeOff extends IOException {
        private final transient Summary summary;

        InputBrokeOff(Summary summary, IOException cause) {
            super(describe(summary.lines(), cause), cause);
            this.summary = summary;
        }

        public Summary summary() {
            return summary;
        }

        private static String describe(long lines, IOException cause) {
            if (cause instanceof EOFException) {
                return "the input ends early, after line " + lines + " (" + cause.getMessage()
                        + ": a truncated .gz file?)";
            }
            if (cause instanceof ZipException) {
                // deflate data is checked only by the CRC at the end of each member: lines before may be damaged
                return "the gzip data is corrupt, found after line " + lines + " (" + cause.getMessage() + ")";
            }
            return "reading failed after line " + lines + " (" + cause.getMessage() + ")";
        }
    }

    /** Why a last line without its line end is not read as an entry. */
    public static final String INCOMPLETE = "incomplete: the file ends in the middle of this line (a copy of a log "
            + "still being written?); load the file again once it is complete";

    private final LogOptions options;

    public LogReader(LogOptions options) {
        this.options = options;
    }

    public Summary read(InputStream in, Sink sink) throws IOException {
        return read(in, sink, 0, 0, false);
    }

    /**
     * Reads a stream that starts at line {@code firstLine + 1}, byte {@code offset} of its file (a resumed tail).
     * With {@code completeLinesOnly} a last line without its newline is not read: it may still be being written.
     */
    public Summary read(InputStream in, Sink sink, long firstLine, long offset, boolean completeLinesOnly)
            throws IOException {
        return read(in, sink, firstLine, offset, completeLinesOnly, null, null);
    }

    /**
     * As {@link #read(InputStream, Sink, long, long, boolean)}, for a file read on from where an earlier read ended
     * (a followed file): in auto mode, given {@code known} (what the earlier reads found), the optional fields are
     * learned as a read of the whole file would learn them, from {@code head} (the file's first bytes, up to
     * {@link #LEARN_BYTES}; null when {@code known} already has what they show) together with {@code known}. Not from
     * the lines of this read alone: a round of one or two lines would detect less, and parse them otherwise than the
     * import of the file. With {@code known} null, as the other reads: learned from this read's first lines.
     */
    public Summary read(InputStream in, Sink sink, long firstLine, long offset, boolean completeLinesOnly,
                        LogOptions known, byte[] head) throws IOException {
        return new Run(in, sink, firstLine, offset, completeLinesOnly, known, head).run();
    }

    /** The state of reading one stream. */
    private final class Run {
        private final InputStream in;
        private final Sink sink;
        private final LineParser parser = new LineParser(options);

        private byte[] buf = new byte[BUFFER];
        private int limit;
        private long base; // file offset of buf[0]
        private boolean eof;
        // Set when the input failed: read as its end, but without the partial line the failure cut off.
        private IOException broken;
        /** The line last found by {@link #indexOfNewline} has only ASCII bytes (saves the parser a pass). */
        private boolean lineAscii;

        private long lineNo;
        private long entries;
        private long rejected;
        private long skipped;

        // The line held back until the next one shows whether it continues it.
        private boolean held;
        private int heldStart;
        private int heldEnd;
        private long heldLine;
        private boolean heldTruncated;
        private boolean heldAscii;

        private boolean folded;
        private boolean decided;
        private final List<Rejection> pending = new ArrayList<>();

        // Folded form: the entry being joined.
        private byte[] joined = new byte[1024];
        private int joinedLength = -1;
        private long joinedLine;
        private long joinedLastLine;
        private long joinedOffset;
        private boolean joinedTruncated;
        private boolean gap;

        private final boolean completeLinesOnly;
        private long end;

        private final LogOptions known;
        private final byte[] head;

        Run(InputStream in, Sink sink, long firstLine, long offset, boolean completeLinesOnly, LogOptions known,
            byte[] head) {
            this.known = known;
            this.head = head;
            this.in = in;
            this.sink = sink;
            this.lineNo = firstLine;
            this.base = offset;
            this.end = offset;
            this.completeLinesOnly = completeLinesOnly;
        }

        Summary run() throws IOException {
            fill();
            skipByteOrderMark();
            if (options.isAuto()) {
                if (known != null) {
                    parser.know(known);
                    if (head != null) {
                        learn(head, head.length, false); // complete lines, as the tail reads
                    }
                } else {
                    learn(buf, limit, eof);
                }
            }
            int pos = 0;
            boolean skipping = false; // inside the remainder of an over-long line
            while (true) {
                int nl = indexOfNewline(pos);
                if (nl < 0) {
                    if (eof) {
                        if (pos < limit && !skipping && !completeLinesOnly && broken == null) {
                            lineNo++;
                            if (folded) {
                                physical(pos, limit, false); // the documentation's text, not a live log
                            } else {
                                incomplete(pos, limit);
                            }
                            end = base + limit;
                        }
                        break;
                    }
                    if (limit - pos >= MAX_LINE && !skipping) {
                        lineNo++;
                        physical(pos, pos + MAX_LINE, true);
                        skipping = true;
                    }
                    if (skipping) {
                        pos = limit; // the rest of an over-long line is dropped, up to its newline
                    }
                    pos = compactAndFill(pos);
                    continue;
                }
                if (skipping) {
                    skipping = false;
                } else {
                    lineNo++;
                    int lineEnd = nl > pos && buf[nl - 1] == '\r' ? nl - 1 : nl;
                    if (lineEnd - pos > MAX_LINE) {
                        physical(pos, pos + MAX_LINE, true);
                    } else {
                        physical(pos, lineEnd, false);
                    }
                }
                pos = nl + 1;
                end = base + pos;
            }
            flushHeld();
            finishJoined();
            flushPending();
            sink.checkpoint(lineNo, end);
            Summary summary = new Summary(lineNo, base + limit, entries, rejected, skipped, folded, parser.detected(),
                    end);
            if (broken != null) {
                throw new InputBrokeOff(summary, broken);
            }
            return summary;
        }

        /**
         * A Windows editor starts a file with a UTF-8 BOM, which would make the first line lack its timestamp. Skipped
         * as bytes already read, so that offsets stay those of the file; only at the file's start, not in a resumed
         * tail.
         */
        private void skipByteOrderMark() {
            if (base == 0 && limit >= 3 && buf[0] == (byte) 0xef && buf[1] == (byte) 0xbb && buf[2] == (byte) 0xbf) {
                System.arraycopy(buf, 3, buf, 0, limit - 3);
                limit -= 3;
                base = 3;
                end = 3;
            }
        }

        /** Finds the end of the line starting at {@code from}; notes whether the line is ASCII on the way. */
        private int indexOfNewline(int from) {
            long found = Text.findNewline(buf, from, limit);
            lineAscii = (found & 1) != 0;
            return (int) (found >> 1);
        }

        /**
         * Lets the parser learn the file's optional fields from the lines of {@code b[0, limit)}: the first buffer,
         * or the head of a file read on. {@code whole}: a last line without its newline counts too.
         */
        private void learn(byte[] b, int limit, boolean whole) {
            int pos = 0;
            for (int n = 0; n < LEARN_LINES; n++) {
                long found = Text.findNewline(b, pos, limit);
                int nl = (int) (found >> 1);
                int end = nl < 0 ? (whole ? limit : -1) : nl;
                if (end < 0 || pos >= limit) {
                    break;
                }
                if (end - pos <= MAX_LINE) {
                    parser.parse(b, pos, end, 0, 0, false, (found & 1) != 0);
                }
                pos = end + 1;
            }
        }

        private void fill() throws IOException {
            while (limit < buf.length) {
                int r;
                try {
                    r = in.read(buf, limit, buf.length - limit);
                } catch (IOException e) {
                    broken = e;
                    eof = true;
                    return;
                }
                if (r < 0) {
                    eof = true;
                    return;
                }
                limit += r;
            }
        }

        /** Moves the unread part (and a held line) to the front of the buffer and reads more. */
        private int compactAndFill(int pos) throws IOException {
            int keep = held ? Math.min(heldStart, pos) : pos;
            if (keep > 0) {
                System.arraycopy(buf, keep, buf, 0, limit - keep);
                limit -= keep;
                base += keep;
                pos -= keep;
                if (held) {
                    heldStart -= keep;
                    heldEnd -= keep;
                }
            } else if (limit == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            fill();
            return pos;
        }

        /**
         * The last line, when the input ends without its line end. The MTA ends every line it writes: such a line is
         * most often a copy of a log taken while the line was being written. Stored as an entry, it stayed beside the
         * whole line once the complete file was loaded (another text at the same place): two attempts. It is
         * rejected, and not handed over as text either: stored, a line cut just before its newline would make the
         * whole line a duplicate of it, never stored.
         */
        private void incomplete(int s, int e) {
            if (Text.skipBlanks(buf, s, e) >= e) {
                physical(s, e, false); // blanks: nothing to lose
                return;
            }
            flushHeld();
            rejected++;
            sink.rejected(new Rejection(lineNo, base + s, INCOMPLETE, Text.decode(buf, s, e)));
        }

        // ---- one physical line ----

        private void physical(int s, int e, boolean truncated) {
            if (truncated) {
                sink.cut(lineNo);
            }
            sink.line(buf, s, e, lineNo, base + s);
            line(s, e, truncated);
        }

        private void line(int s, int e, boolean truncated) {
            if (folded) {
                foldedLine(s, e, truncated);
                return;
            }
            int p = Text.skipBlanks(buf, s, e);
            boolean blank = p >= e;
            if (held) {
                if (!blank && !decided && continues(s, p, e)) {
                    folded = true;
                    skipped += pending.size();
                    pending.clear();
                    startJoined(heldStart, heldEnd, heldLine, base + heldStart, heldTruncated);
                    held = false;
                    foldedLine(s, e, truncated);
                    return;
                }
                flushHeld();
            }
            if (pending.isEmpty()) {
                sink.checkpoint(lineNo - 1, base + s); // all before this line is handed over
            }
            if (blank) {
                skipped++;
                return;
            }
            held = true;
            heldStart = s;
            heldEnd = e;
            heldLine = lineNo;
            heldTruncated = truncated;
            heldAscii = lineAscii;
        }

        /** Does the line [s,e) (first non-blank at p) continue the held line, as in the documentation? */
        private boolean continues(int s, int p, int e) {
            int hp = Text.skipBlanks(buf, heldStart, heldEnd);
            if (!Timestamps.looksLikeTimestamp(buf, hp, heldEnd)) {
                return false;
            }
            if (Timestamps.looksLikeTimestamp(buf, p, e) || buf[p] == '<') {
                return false;
            }
            if (p > s || calloutStart(buf, heldStart, heldEnd) >= 0) {
                return true;
            }
            return parser.parse(buf, heldStart, heldEnd, heldLine, 0, false) == null;
        }

        private void flushHeld() {
            if (!held) {
                return;
            }
            held = false;
            emit(buf, heldStart, heldEnd, heldLine, heldLine, base + heldStart, heldTruncated, heldAscii);
        }

        private void emit(byte[] b, int s, int e, long line, long lastLine, long offset, boolean truncated,
                          boolean ascii) {
            Entry entry = parser.parse(b, s, e, line, offset, truncated, ascii);
            String refusal = entry == null ? null : sink.refuse(entry);
            if (refusal != null) {
                rejected++;
                sink.rejected(new Rejection(line, offset, refusal, Text.decode(b, s, e)));
                return;
            }
            if (entry != null) {
                entries++;
                sink.entry(entry, lastLine);
                if (!decided && entries >= DECIDE_AFTER_ENTRIES) {
                    decided = true;
                    flushPending();
                }
                return;
            }
            Rejection r = new Rejection(line, offset, parser.error(), Text.decode(b, s, e));
            int p = Text.skipBlanks(b, s, e);
            boolean noTimestamp = p < e && b[p] != '<' && !Timestamps.looksLikeTimestamp(b, p, e);
            if (noTimestamp && !decided && !folded) {
                // Could be the prose around a documentation example: decide when we know what the file is.
                pending.add(r);
                if (pending.size() >= MAX_PENDING) {
                    decided = true;
                    flushPending();
                }
                return;
            }
            rejected++;
            sink.rejected(r);
        }

        private void flushPending() {
            for (Rejection r : pending) {
                rejected++;
                sink.rejected(r);
            }
            pending.clear();
        }

        // ---- the documentation's folded form ----

        private void foldedLine(int s, int e, boolean truncated) {
            int p = Text.skipBlanks(buf, s, e);
            int end = Text.trimEnd(buf, p, e);
            int callout = calloutStart(buf, p, end);
            if (callout >= 0) {
                end = Text.trimEnd(buf, p, callout);
            }
            if (p >= end) {
                skipped++;
                gap = true;
                return;
            }
            if (Timestamps.looksLikeTimestamp(buf, p, end)) {
                finishJoined();
                startJoined(p, end, lineNo, base + s, truncated);
                return;
            }
            if (buf[p] == '<' && end - p > 3 && buf[p + 3] == ' ') {
                finishJoined();
                emit(buf, p, end, lineNo, lineNo, base + s, truncated, Text.isAscii(buf, p, end));
                return;
            }
            boolean note = Text.isDigit(buf[p]) && noteNumber(buf, p, end);
            if (joinedLength >= 0 && !note && (!gap || buf[p] == '(' || Text.startsWith(buf, p, end, "smtp;")
                    || Text.startsWith(buf, p, end, "dns;"))) {
                append(buf, p, end);
                joinedLastLine = lineNo;
                joinedTruncated |= truncated;
                gap = false;
                return;
            }
            finishJoined();
            skipped++;
        }

        private void startJoined(int s, int e, long line, long offset, boolean truncated) {
            int p = Text.skipBlanks(buf, s, e);
            int end = Text.trimEnd(buf, p, e);
            int callout = calloutStart(buf, p, end);
            if (callout >= 0) {
                end = Text.trimEnd(buf, p, callout);
            }
            joinedLength = 0;
            joinedLine = line;
            joinedLastLine = line;
            joinedOffset = offset;
            joinedTruncated = truncated;
            gap = false;
            append(buf, p, end);
        }

        private void append(byte[] b, int s, int e) {
            int need = joinedLength + (joinedLength > 0 ? 1 : 0) + (e - s);
            if (need > joined.length) {
                joined = Arrays.copyOf(joined, Math.max(need, joined.length * 2));
            }
            if (joinedLength > 0) {
                joined[joinedLength++] = ' ';
            }
            System.arraycopy(b, s, joined, joinedLength, e - s);
            joinedLength += e - s;
        }

        private void finishJoined() {
            if (joinedLength < 0) {
                return;
            }
            int length = joinedLength;
            joinedLength = -1;
            emit(joined, 0, length, joinedLine, joinedLastLine, joinedOffset, joinedTruncated,
                    Text.isAscii(joined, 0, length));
        }
    }

    /** Where a trailing documentation callout {@code (n)} starts (it must follow a blank), or -1. */
    static int calloutStart(byte[] b, int s, int e) {
        int end = Text.trimEnd(b, s, e);
        if (end - s < 4 || b[end - 1] != ')') {
            return -1;
        }
        int i = end - 2;
        int digits = 0;
        while (i > s && Text.isDigit(b[i]) && digits < 3) {
            i--;
            digits++;
        }
        if (digits == 0 || b[i] != '(' || i == s || (b[i - 1] != ' ' && b[i - 1] != '\t')) {
            return -1;
        }
        return i;
    }

    /** "1. The message comes in...": a numbered note under a documentation example. */
    private static boolean noteNumber(byte[] b, int p, int e) {
        int i = p;
        while (i < e && Text.isDigit(b[i])) {
            i++;
        }
        return i - p <= 2 && i + 1 < e && b[i] == '.' && b[i + 1] == ' ';
    }
}
