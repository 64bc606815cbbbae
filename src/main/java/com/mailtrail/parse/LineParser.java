package com.mailtrail.parse;

import java.time.LocalDateTime;
import java.util.Arrays;

/**
 * Parses one physical (or, in the documentation's folded form, re-joined) log line into an {@link Entry}.
 * Works on a byte range with an index; a field becomes a String only when it is present.
 *
 * <p>Format 1/2 message entries are read in three parts: the head up to the size (tokens separated by runs of
 * spaces, since channels are padded), the addresses (single spaces: an empty envelope From leaves two), and the
 * tail of optional fields. With an explicit option set the tail is positional; in auto mode each optional field is
 * recognised by its shape, in documented order, and the fields seen are remembered for the file so that later
 * empty-but-enabled slots are attributed correctly.
 *
 * <p>Not thread-safe: one instance per file being read.
 */
public final class LineParser {

    private static final int MAX_HEAD_TOKENS = 5;

    private final LogOptions options;
    private final Timestamps timestamps = new Timestamps();
    private final XmlEntryParser xml = new XmlEntryParser();
    /** Auto mode: optional fields seen with a value in this file so far (bit = LogField ordinal). */
    private int learned;

    private final int[] tokStart = new int[MAX_HEAD_TOKENS + 1];
    private final int[] tokEnd = new int[MAX_HEAD_TOKENS + 1];
    private final int[] tailTokens = new int[6];

    private String error;
    /** The current line has only ASCII bytes, so fields need no UTF-8 check (the usual case). */
    private boolean ascii;
    /** The end of the current line before trailing blanks were trimmed: empty trailing slots are positions too. */
    private int rawEnd;

    public LineParser(LogOptions options) {
        this.options = options;
    }

    /** Why the last {@link #parse} returned null. */
    public String error() {
        return error;
    }

    /** The optional fields this parser has seen in the file so far (auto mode) or was given. */
    public LogOptions detected() {
        if (!options.isAuto()) {
            return options;
        }
        java.util.EnumSet<LogField> set = java.util.EnumSet.noneOf(LogField.class);
        for (LogField f : LogField.values()) {
            if ((learned & bit(f)) != 0) {
                set.add(f);
            }
        }
        return LogOptions.of(set);
    }

    /**
     * Auto mode: takes {@code seen} as fields this file has shown already, as if its earlier lines had been parsed
     * here (a followed file read on in a later round). Explicit options ignore it.
     */
    public void know(LogOptions seen) {
        if (options.isAuto()) {
            for (LogField f : seen.fields()) {
                learned |= bit(f);
            }
        }
    }

    /**
     * Parses bytes {@code [s, e)} (no line terminator). Returns null with {@link #error()} set when the line is not
     * an entry.
     */
    public Entry parse(byte[] b, int s, int e, long line, long offset, boolean truncated) {
        return parse(b, s, e, line, offset, truncated, Text.isAscii(b, s, e));
    }

    /** As {@link #parse(byte[], int, int, long, long, boolean)}, for a caller that has already checked for non-ASCII bytes. */
    Entry parse(byte[] b, int s, int e, long line, long offset, boolean truncated, boolean asciiRange) {
        error = null;
        int p = Text.skipBlanks(b, s, e);
        rawEnd = e;
        e = Text.trimEnd(b, p, e);
        if (p >= e) {
            return fail("empty line");
        }
        if (b[p] == '<') {
            Entry x = xml.parse(b, p, e, line, offset, truncated, timestamps);
            if (x == null) {
                error = xml.error;
            }
            return x;
        }
        ascii = asciiRange;
        LocalDateTime time = timestamps.read(b, p, e);
        if (time == null) {
            return fail(timestamps.error);
        }
        p = timestamps.end;
        return afterTime(b, p, e, time, line, offset, truncated);
    }

    private Entry afterTime(byte[] b, int p, int e, LocalDateTime time, long line, long offset, boolean truncated) {
        int n = 0;
        while (true) {
            p = Text.skipBlanks(b, p, e);
            if (p >= e) {
                return fail(n == 0 ? "no channel after the time" : "no entry code and size after the channel");
            }
            int te = Text.nextSpace(b, p, e);
            if (te - p == 1 && b[p] == '>' && n <= 2) {
                return header(b, te, e, time, line, offset, truncated, n);
            }
            if (te - p == 1 && (b[p] == '+' || b[p] == '-') && n >= 1) {
                return connection(b, te, e, time, line, offset, truncated, n, b[p] == '+');
            }
            if (n >= 1 && isCode(b, p, te)) {
                int ss = Text.skipBlanks(b, te, e);
                int se = Text.nextSpace(b, ss, e);
                if (Text.allDigits(b, ss, se)) {
                    return message(b, p, te, ss, se, e, time, line, offset, truncated, n);
                }
            }
            if (n == MAX_HEAD_TOKENS) {
                return fail("no entry code and size after the channel");
            }
            tokStart[n] = p;
            tokEnd[n] = te;
            n++;
            p = te;
        }
    }

    // ---- message entries -----------------------------------------------------------------------------------

    private Entry message(byte[] b, int cs, int ce, int ss, int se, int e, LocalDateTime time, long line,
                          long offset, boolean truncated, int n) {
        String code = cached(b, cs, ce);
        char action = code.charAt(0);
        if (se - ss > 18) {
            return fail("size is not a number");
        }
        long size = Text.parseLong(b, ss, se);

        // Head: [node] [pid] source [destination]
        int pid = processIdIndex(b, n);
        String node = null;
        String processId = null;
        int first = 0;
        if (pid >= 0) {
            processId = str(b, tokStart[pid], tokEnd[pid]);
            if (pid == 1) {
                node = cached(b, tokStart[0], tokEnd[0]);
            } else if (pid > 1) {
                return fail("too many fields before the process id");
            }
            first = pid + 1;
        }
        int channels = n - first;
        boolean hasNode = false;
        boolean hasDestination;
        if (channels == 3 && pid < 0) {
            hasNode = true;
            hasDestination = true;
        } else if (channels == 2) {
            if (pid >= 0) {
                hasDestination = true;
            } else if (action == 'E') {
                hasDestination = true;
            } else if (blankDestination(action)) {
                hasNode = true;
                hasDestination = false;
            } else {
                hasNode = options.has(LogField.NODE) || (learned & bit(LogField.NODE)) != 0;
                hasDestination = !hasNode;
            }
        } else if (channels == 1) {
            hasDestination = false;
        } else {
            return fail(channels == 0 ? "no channel before the entry code" : "too many fields before the entry code");
        }
        if (hasNode) {
            node = cached(b, tokStart[first], tokEnd[first]);
            first++;
            learned |= bit(LogField.NODE);
        }
        if (processId != null) {
            learned |= bit(LogField.PROCESS);
        }
        String source = cached(b, tokStart[first], tokEnd[first]);
        String destination = hasDestination ? cached(b, tokStart[first + 1], tokEnd[first + 1]) : null;

        // Addresses: FROM ORIGTO TO, single spaces.
        int p = se;
        if (p >= e) {
            return fail("no addresses after the size");
        }
        p++; // the separator after the size
        String sender;
        if (p < e && b[p] == ' ') {
            sender = "";
        } else {
            int fe = Text.nextSpace(b, p, e);
            if (isAddressType(b, p, fe)) {
                // The documentation joins folded lines with one space, so an empty From can look like this.
                sender = "";
                p--;
            } else {
                sender = fe - p == 2 && b[p] == '<' && b[p + 1] == '>' ? "" : str(b, p, fe);
                p = fe;
            }
        }
        if (p >= e) {
            return fail("no original recipient (rfc822;...) after the sender");
        }
        p++;
        int oe = Text.nextSpace(b, p, e);
        if (oe == p) {
            return fail("no original recipient (rfc822;...) after the sender");
        }
        int semi = Text.indexOf(b, p, oe, (byte) ';');
        // The original recipient is always written as a DSN "type;address" (rfc822;...), LOG_FORMAT=2's <> aside.
        // A third word without one is not an entry: the documentation's elided "... System I/O error." made a
        // message from "..." to "I/O".
        if (semi < 0 && !(oe - p == 2 && b[p] == '<' && b[p + 1] == '>')) {
            return fail("no original recipient (rfc822;...) after the sender");
        }
        int os = semi >= 0 ? semi + 1 : p;
        // LOG_FORMAT=2 writes an empty address as <>
        String originalRecipient = oe - os == 2 && b[os] == '<' && b[os + 1] == '>' ? "" : str(b, os, oe);
        p = oe;
        if (p >= e) {
            return fail("no recipient after the original recipient");
        }
        p++;
        int re = Text.nextSpace(b, p, e);
        String recipient = re == p ? "" : str(b, p, re);
        p = re;

        Tail t = new Tail();
        String failure = options.isAuto() ? tailAuto(b, p, e, t) : tailExplicit(b, p, e, t);
        if (failure != null) {
            return fail(failure);
        }
        return new MessageEntry(time, line, offset, truncated, node, processId, source, destination, code, size,
                sender, originalRecipient, recipient, t.notary, t.queueFile, t.envelopeId, t.messageId,
                t.originalMessageId, t.username, t.sourceSystem, t.sensitivity, t.priority, t.intermediate,
                t.initial, t.filter, t.reason, t.diagnostic, t.transport, t.application, t.queueTime, null);
    }

    /** Holder for the optional fields of one message entry. */
    private static final class Tail {
        Integer notary;
        QueueFile queueFile;
        String envelopeId;
        String messageId;
        String originalMessageId;
        String username;
        String sourceSystem;
        Integer sensitivity;
        Integer priority;
        String intermediate;
        String initial;
        String filter;
        String reason;
        String diagnostic;
        String transport;
        String application;
        Long queueTime;
    }

    /** D, Q, R and J entries are written with a blank destination channel. */
    private static boolean blankDestination(char action) {
        return action == 'D' || action == 'Q' || action == 'R' || action == 'J';
    }

    private int processIdIndex(byte[] b, int n) {
        // The process id precedes at least the source channel: hex pid, '.', [thread '.'] sequence.
        for (int i = Math.min(n - 2, 1); i >= 0; i--) {
            if (isProcessId(b, tokStart[i], tokEnd[i])) {
                return i;
            }
        }
        return -1;
    }

    static boolean isProcessId(byte[] b, int s, int e) {
        int dots = 0;
        boolean digitBefore = false;
        for (int i = s; i < e; i++) {
            byte c = b[i];
            if (c == '.') {
                if (!digitBefore) {
                    return false;
                }
                dots++;
                digitBefore = false;
            } else if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) {
                digitBefore = true;
            } else {
                return false;
            }
        }
        return dots >= 1 && dots <= 2 && digitBefore;
    }

    /** Upper-case letters only: an action letter and its modifiers. */
    private static boolean isCode(byte[] b, int s, int e) {
        if (e - s < 1 || e - s > 8) {
            return false;
        }
        for (int i = s; i < e; i++) {
            if (b[i] < 'A' || b[i] > 'Z') {
                return false;
            }
        }
        return true;
    }

    /** {@code rfc822;...}: a DSN address type then ';' (no '@' before it). */
    private static boolean isAddressType(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            byte c = b[i];
            if (c == ';') {
                return i > s;
            }
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return false;
    }

    // ---- the tail of optional fields ---------------------------------------------------------------------

    private static final LogField[] POSITIONAL = {LogField.NOTARY, LogField.FILENAME, LogField.ENVELOPE_ID,
            LogField.MESSAGE_ID, LogField.USERNAME, LogField.CONNECTION, LogField.SENSITIVITY, LogField.PRIORITY,
            LogField.INTERMEDIATE, LogField.INITIAL, LogField.FILTER, LogField.REASON};

    /** Explicit options: every enabled field takes its slot, empty or not; a slot of the wrong shape is an error. */
    private String tailExplicit(byte[] b, int p, int e, Tail t) {
        int end = trailing(b, p, e, t, false);
        for (LogField f : POSITIONAL) {
            if (!options.has(f)) {
                continue;
            }
            if (p >= end) {
                break;
            }
            int s = p + 1;
            if (s >= end) {
                break;
            }
            int fe = f == LogField.CONNECTION ? sourceSystemEnd(b, s, end, true) : Text.nextSpace(b, s, end);
            if (fe > s) {
                String problem = assign(f, b, s, fe, t);
                if (problem != null) {
                    return problem + " (check the log options: " + options + ")";
                }
            }
            p = fe;
        }
        setDiagnostic(b, p, end, t);
        return null;
    }

    /**
     * Auto mode: each optional field is recognised by its shape, in documented order. An empty slot (two spaces)
     * goes to the current field when the file has shown that field and the next value does not have its shape;
     * otherwise it is passed over, since an empty field carries nothing to attribute.
     */
    private String tailAuto(byte[] b, int p, int e, Tail t) {
        int end = trailing(b, p, e, t, true);
        int i = 0;
        // Several fields may be tried on the same token: find its end once.
        int tokenAt = -1;
        int tokenEnd = -1;
        while (i < POSITIONAL.length && p < end) {
            LogField f = POSITIONAL[i];
            int s = p + 1;
            if (s >= end) {
                p = end;
                break;
            }
            if (b[s] == ' ') {
                int next = Text.skipBlanks(b, s, end);
                boolean known = (learned & bit(f)) != 0;
                if (known && recognise(f, b, next, Text.nextSpace(b, next, end), end, true) < 0) {
                    p = s; // the field's own empty slot
                    i++;
                } else if (known || !laterFieldKnown(i)) {
                    p = s; // an empty slot of a field this file has not shown: pass over it
                } else {
                    i++;
                }
                continue;
            }
            if (s != tokenAt) {
                tokenAt = s;
                tokenEnd = Text.nextSpace(b, s, end);
            }
            int fe = tokenEnd;
            int taken = recognise(f, b, s, fe, end, false);
            if (taken < 0 && f == LogField.PRIORITY && t.sensitivity != null && Text.allDigits(b, s, fe)) {
                // A sensitivity is taken only when a number follows it: that number is the priority.
                taken = fe;
            }
            if (taken > 0 && assign(f, b, s, taken, t) == null) {
                learned |= bit(f);
                p = taken;
            }
            i++;
        }
        setDiagnostic(b, p, end, t);
        return null;
    }

    private boolean laterFieldKnown(int i) {
        for (int j = i + 1; j < POSITIONAL.length; j++) {
            if ((learned & bit(POSITIONAL[j])) != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns where field {@code f} ends if the text at {@code s} has its shape, else -1. Unless {@code strict},
     * a field the file has shown before is also accepted on weaker evidence.
     */
    private int recognise(LogField f, byte[] b, int s, int te, int end, boolean strict) {
        boolean known = !strict && (learned & bit(f)) != 0;
        switch (f) {
            case NOTARY:
                return Text.allDigits(b, s, te) && (known || structuredNext(b, te, end)) ? te : -1;
            case FILENAME:
                return isQueuePath(b, s, te) ? te : -1;
            case ENVELOPE_ID:
                if (!isAngle(b, s, te)) {
                    return -1;
                }
                if (te < end && te + 1 < end && b[te + 1] == '<') {
                    return te;
                }
                return known && (learned & bit(LogField.MESSAGE_ID)) == 0 ? te : -1;
            case MESSAGE_ID:
                return isAngle(b, s, te) ? te : -1;
            case USERNAME:
                if (!isPlainToken(b, s, te)) {
                    return -1;
                }
                if (te < end && sourceSystemEnd(b, te + 1, end, false) > 0) {
                    return te;
                }
                if (te + 2 < end && b[te + 1] == ' ' && b[te + 2] != ' ') {
                    return te; // followed by an empty source-system slot: "mailsrv  Too many failures..."
                }
                if (!strict && te < end && !Text.allDigits(b, s, te)
                        && (Text.skipBlanks(b, te, end) == end || numberSlot(b, te + 1, end))) {
                    // only empty slots after it (the diagnostic's is one), or a sensitivity or priority:
                    // "mailsrv  ", "mailsrv 0 3". Not after an empty slot (strict): "<id>  host 0 3" on a
                    // dequeue is an empty username, then the source system's bare host name.
                    return te;
                }
                return known && !Text.allDigits(b, s, te) && sourceSystemEnd(b, s, end, false) < 0 ? te : -1;
            case CONNECTION: {
                int sse = sourceSystemEnd(b, s, end, false);
                // On dequeue the source system is the bare remote host name.
                return sse < 0 && known && isHostName(b, s, te) ? te : sse;
            }
            case SENSITIVITY:
                return Text.allDigits(b, s, te) && (known || te >= end || b[te + 1] == ' '
                        || Text.allDigits(b, te + 1, Text.nextSpace(b, te + 1, end))) ? te : -1;
            case PRIORITY:
                return Text.allDigits(b, s, te) && (known || te >= end || b[te + 1] == ' ') ? te : -1;
            default:
                // Intermediate/initial address, filter and reason have no shape of their own: only an explicit
                // option set (or a file that showed them) can place them.
                return known ? te : -1;
        }
    }

    /** A sensitivity or priority at {@code s}: a short number followed by the end, an empty slot or a number. */
    private static boolean numberSlot(byte[] b, int s, int end) {
        int te = Text.nextSpace(b, s, end);
        if (te == s || te - s > 9 || !Text.allDigits(b, s, te)) {
            return false;
        }
        return te >= end || te + 1 >= end || b[te + 1] == ' '
                || Text.allDigits(b, te + 1, Text.nextSpace(b, te + 1, end));
    }

    private static boolean structuredNext(byte[] b, int te, int end) {
        if (te >= end || te + 1 >= end) {
            return true;
        }
        int s = te + 1;
        if (b[s] == ' ' || b[s] == '<') {
            return true;
        }
        int ne = Text.nextSpace(b, s, end);
        return isQueuePath(b, s, ne) || Text.allDigits(b, s, ne);
    }

    private String assign(LogField f, byte[] b, int s, int e, Tail t) {
        switch (f) {
            case NOTARY -> {
                if (!Text.allDigits(b, s, e) || e - s > 9) {
                    return "notary flags '" + str(b, s, e) + "' are not a number";
                }
                t.notary = (int) Text.parseLong(b, s, e);
            }
            case FILENAME -> t.queueFile = QueueFile.parse(str(b, s, e));
            case ENVELOPE_ID -> t.envelopeId = str(b, s, e);
            case MESSAGE_ID -> {
                int split = commaBetweenIds(b, s, e);
                if (split > 0) {
                    t.messageId = str(b, s, split);
                    t.originalMessageId = str(b, split + 1, e);
                } else {
                    t.messageId = str(b, s, e);
                }
            }
            case USERNAME -> t.username = cached(b, s, e);
            case CONNECTION -> t.sourceSystem = str(b, s, e);
            case SENSITIVITY -> {
                if (!Text.allDigits(b, s, e) || e - s > 9) {
                    return "sensitivity '" + str(b, s, e) + "' is not a number";
                }
                t.sensitivity = (int) Text.parseLong(b, s, e);
            }
            case PRIORITY -> {
                if (!Text.allDigits(b, s, e) || e - s > 9) {
                    return "priority '" + str(b, s, e) + "' is not a number";
                }
                t.priority = (int) Text.parseLong(b, s, e);
            }
            case INTERMEDIATE -> t.intermediate = str(b, s, e);
            case INITIAL -> t.initial = str(b, s, e);
            case FILTER -> t.filter = str(b, s, e);
            case REASON -> t.reason = str(b, s, e);
            default -> throw new IllegalStateException(f.name());
        }
        return null;
    }

    /** {@code <new>,<original>}: the index of the comma, or -1. */
    private static int commaBetweenIds(byte[] b, int s, int e) {
        int i = s + 1;
        while (i < e - 1) {
            int comma = Text.indexOf(b, i, e - 1, (byte) ',');
            if (comma < 0) {
                return -1;
            }
            if (b[comma - 1] == '>' && b[comma + 1] == '<') {
                return comma;
            }
            i = comma + 1;
        }
        return -1;
    }

    private void setDiagnostic(byte[] b, int p, int end, Tail t) {
        int s = Text.skipBlanks(b, p, end);
        int e = Text.trimEnd(b, s, end); // empty slots after it (transport, application) are not part of it
        if (s < e) {
            t.diagnostic = str(b, s, e);
        }
    }

    /**
     * Takes the trailing transport, application and queue-time fields off the right end; returns where the rest
     * ends. In auto mode they are only taken in an unmistakable shape: a {@code TCP|...|...|...|...} token, the
     * application word after it, a number after those.
     */
    private int trailing(byte[] b, int start, int e, Tail t, boolean auto) {
        if (!auto) {
            return trailingPositional(b, start, Math.max(rawEnd, e), t, options.has(LogField.QUEUE_TIME) ? 1 : 0,
                    options.has(LogField.APPLICATION) ? 1 : 0, options.has(LogField.TRANSPORT) ? 1 : 0);
        }
        int end = trailingByShape(b, start, e, t, true);
        if (end == e && (learned & TRAILING) == 0) {
            end = queueTimeAfterEmptySlot(b, start, e, t);
        }
        if (end == e && (learned & TRAILING) != 0) {
            // Nothing unmistakable at the end, but the file has these slots: read them by position.
            return trailingPositional(b, start, Math.max(rawEnd, e), t, learnedBit(LogField.QUEUE_TIME),
                    learnedBit(LogField.APPLICATION), learnedBit(LogField.TRANSPORT));
        }
        return end;
    }

    /**
     * A number that ends the line right after an empty slot ({@code "...  12"}): the diagnostic slot is always
     * written, and only the queue time (or transport and application, which have shapes of their own) follows it;
     * sensitivity and priority come before it, so they cannot be last with an empty slot before them. Taken as the
     * queue time; returns where the rest ends, or {@code e}.
     */
    private int queueTimeAfterEmptySlot(byte[] b, int start, int e, Tail t) {
        if (rawEnd != e) {
            return e; // something (a blank slot) after the number: not the last field
        }
        int ts = e;
        while (ts > start && b[ts - 1] != ' ') {
            ts--;
        }
        if (ts == e || e - ts > 12 || ts - 2 <= start || b[ts - 2] != ' ' || !Text.allDigits(b, ts, e)) {
            return e;
        }
        t.queueTime = Text.parseLong(b, ts, e);
        learned |= bit(LogField.QUEUE_TIME);
        return ts - 1;
    }

    private static final int TRAILING = bit(LogField.QUEUE_TIME) | bit(LogField.APPLICATION) | bit(LogField.TRANSPORT);

    private int learnedBit(LogField f) {
        return (learned & bit(f)) != 0 ? 1 : 0;
    }

    private int trailingByShape(byte[] b, int start, int e, Tail t, boolean auto) {
        int end = e;
        boolean qtOn = auto || options.has(LogField.QUEUE_TIME);
        boolean apOn = auto || options.has(LogField.APPLICATION);
        boolean trOn = auto || options.has(LogField.TRANSPORT);
        if (!qtOn && !apOn && !trOn) {
            return end;
        }
        int[] tok = tailTokens;
        // tok holds pairs (start,end) from the right: tok[0..1] last, tok[2..3] before it... found on demand, since
        // most lines are decided by their last one or two tokens.
        tokensFound = 0;
        tokensFrom = end;
        tokensStart = start;
        transportChecked = 0;
        transportFound = 0;
        int i = 0;
        Long qt = null;
        String ap = null;
        String tr = null;
        if (qtOn && hasToken(b, 0) && Text.allDigits(b, tok[0], tok[1]) && tok[1] - tok[0] <= 12) {
            boolean confirm = !auto || (hasToken(b, 1) && (transportToken(b, 1) || (isApplication(b, tok[2], tok[3])
                    && hasToken(b, 2) && transportToken(b, 2))));
            if (confirm) {
                qt = Text.parseLong(b, tok[0], tok[1]);
                i++;
            }
        }
        if (apOn && hasToken(b, i) && isApplication(b, tok[2 * i], tok[2 * i + 1])) {
            boolean confirm = !auto || (hasToken(b, i + 1) && transportToken(b, i + 1));
            if (confirm) {
                ap = cached(b, tok[2 * i], tok[2 * i + 1]);
                i++;
            }
        }
        if (trOn && hasToken(b, i) && transportToken(b, i)) {
            tr = str(b, tok[2 * i], tok[2 * i + 1]);
            i++;
        }
        if (i > 0) {
            end = tok[2 * i - 2] - 1;
            if (end < start) {
                end = start;
            }
            t.queueTime = qt;
            t.application = ap;
            t.transport = tr;
            learned |= (qt != null ? bit(LogField.QUEUE_TIME) : 0) | (ap != null ? bit(LogField.APPLICATION) : 0)
                    | (tr != null ? bit(LogField.TRANSPORT) : 0);
        }
        return end;
    }

    // The same token is asked about as confirmation and then as the field itself: check it once.
    private int transportChecked;
    private int transportFound;

    /** Is the j-th token from the right (in {@link #tailTokens}) a transport? */
    private boolean transportToken(byte[] b, int j) {
        int m = 1 << j;
        if ((transportChecked & m) == 0) {
            transportChecked |= m;
            if (isTransport(b, tailTokens[2 * j], tailTokens[2 * j + 1])) {
                transportFound |= m;
            }
        }
        return (transportFound & m) != 0;
    }

    /**
     * Queue time, application and transport (those flagged 1) each take one slot from the right, empty or not. A
     * slot whose value has the wrong shape is left to the diagnostic, since these fields are written only "when
     * available".
     */
    private int trailingPositional(byte[] b, int start, int e, Tail t, int queueTime, int application,
                                   int transport) {
        int end = e;
        int[] wanted = {queueTime, application, transport};
        for (int k = 0; k < 3; k++) {
            if (wanted[k] == 0 || end <= start) {
                continue;
            }
            int ts = end;
            while (ts > start && b[ts - 1] != ' ') {
                ts--;
            }
            if (ts <= start) {
                break;
            }
            if (ts < end) {
                boolean fits = switch (k) {
                    case 0 -> Text.allDigits(b, ts, end) && end - ts <= 12;
                    case 1 -> isApplication(b, ts, end);
                    default -> isTransport(b, ts, end);
                };
                if (!fits) {
                    continue;
                }
                switch (k) {
                    case 0 -> t.queueTime = Text.parseLong(b, ts, end);
                    case 1 -> t.application = cached(b, ts, end);
                    default -> t.transport = str(b, ts, end);
                }
            }
            end = ts - 1; // the separator before the slot
        }
        return Math.max(end, start);
    }

    // The right-to-left token scan of trailingByShape: tokens found so far, where the next one ends (-1: no more).
    private int tokensFound;
    private int tokensFrom;
    private int tokensStart;

    /**
     * Is there a {@code j}-th space-separated token from the right (of at most three) after {@link #tokensStart}?
     * Scans leftwards only as far as needed, filling {@link #tailTokens}.
     */
    private boolean hasToken(byte[] b, int j) {
        while (tokensFound <= j && tokensFound < 3 && tokensFrom > tokensStart) {
            int te = tokensFrom;
            int space = Text.lastSpace(b, tokensStart, te);
            int ts = space < 0 ? tokensStart : space + 1;
            if (ts == te || ts <= tokensStart) {
                tokensFrom = -1;
                break;
            }
            tailTokens[2 * tokensFound] = ts;
            tailTokens[2 * tokensFound + 1] = te;
            tokensFound++;
            tokensFrom = ts - 1;
        }
        return j < tokensFound;
    }

    /** {@code TCP|a|b|c|d}: an upper-case protocol word, then four '|'-separated parts, no parentheses. */
    private static boolean isTransport(byte[] b, int s, int e) {
        int i = s;
        while (i < e && b[i] >= 'A' && b[i] <= 'Z') {
            i++;
        }
        if (i == s || i >= e || b[i] != '|') {
            return false;
        }
        return Text.countUnless(b, i, e, (byte) '|', (byte) '(', (byte) ')') == 4;
    }

    /** SMTP, ESMTP, LMTP..., optionally followed by /details (SMTP/TLS-128-RC4, SMTP/helo/dns/TLS-...). */
    private static boolean isApplication(byte[] b, int s, int e) {
        int i = s;
        while (i < e && b[i] >= 'A' && b[i] <= 'Z') {
            i++;
        }
        if (i - s < 4 || (i < e && b[i] != '/')) {
            return false; // (three letters cannot start with any of the four names)
        }
        // The letters start with SMTP, ESMTP, LMTP or HTTP: compare four bytes at once.
        int first = (b[s] & 0xff) << 24 | (b[s + 1] & 0xff) << 16 | (b[s + 2] & 0xff) << 8 | (b[s + 3] & 0xff);
        if (first == SMTP || first == LMTP || first == HTTP) {
            return true;
        }
        return i - s >= 5 && b[s] == 'E'
                && ((b[s + 1] & 0xff) << 24 | (b[s + 2] & 0xff) << 16 | (b[s + 3] & 0xff) << 8 | (b[s + 4] & 0xff)) == SMTP;
    }

    private static final int SMTP = 'S' << 24 | 'M' << 16 | 'T' << 8 | 'P';
    private static final int LMTP = 'L' << 24 | 'M' << 16 | 'T' << 8 | 'P';
    private static final int HTTP = 'H' << 24 | 'T' << 16 | 'T' << 8 | 'P';

    /** A token that can be a user or host name: none of the characters that start a diagnostic's parts. */
    private static boolean isPlainToken(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            if ((KIND[b[i] & 0xff] & NOT_PLAIN) != 0) {
                return false;
            }
        }
        return e > s;
    }

    /**
     * Where the token at {@code s} ends (the next space, or {@code e}) if it is a {@link #isPlainToken plain token}
     * so far, else -1: one pass that stops at the first character a plain token cannot have.
     */
    private static int plainTokenEnd(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            int kind = KIND[b[i] & 0xff];
            if (kind != 0) {
                return (kind & SPACE) != 0 ? i : -1;
            }
        }
        return e;
    }

    // Byte classes for the shape checks: one table load per byte instead of a chain of compares.
    private static final byte NOT_PLAIN = 1;
    private static final byte SPACE = 2;
    private static final byte[] KIND = new byte[256];

    static {
        for (char c : ";()|:<".toCharArray()) {
            KIND[c] |= NOT_PLAIN;
        }
        KIND[' '] |= SPACE;
    }

    /**
     * The source system (LOG_CONNECTION bit 0): {@code helo (rdns [ip])}, {@code helo ([ip])}, {@code [ip] ([ip])},
     * or on dequeue a bare remote host name followed by {@code dns;}. Returns its end, or -1. In explicit mode
     * ({@code positional}) any token counts, with the parenthesised part when there is one.
     */
    private static int sourceSystemEnd(byte[] b, int s, int end, boolean positional) {
        if (s >= end || b[s] == ' ') {
            return positional ? s : -1;
        }
        int te = positional ? Text.nextSpace(b, s, end) : plainTokenEnd(b, s, end);
        if (te < 0) {
            return -1;
        }
        if (te + 1 < end && b[te + 1] == '(') {
            int close = matchParen(b, te + 1, end);
            if (close > 0 && (positional || isReverseDns(b, te + 2, close))
                    && (close + 1 >= end || b[close + 1] == ' ')) {
                return close + 1;
            }
        }
        if (positional) {
            return te;
        }
        if (te + 5 <= end && b[te] == ' ' && Text.startsWith(b, te + 1, end, "dns;") && isHostName(b, s, te)) {
            return te;
        }
        return -1;
    }

    /** The inside of {@code (rdns [ip])} or {@code ([ip])}: an optional name, then a bracketed address. */
    private static boolean isReverseDns(byte[] b, int s, int e) {
        if (e - s < 3 || b[e - 1] != ']') {
            return false;
        }
        int open = s;
        if (b[s] != '[') {
            int sp = plainTokenEnd(b, s, e);
            if (sp <= s || sp + 1 >= e || b[sp + 1] != '[') {
                return false;
            }
            open = sp + 1;
        }
        return Text.indexOf(b, open, e, (byte) ' ') < 0;
    }

    private static int matchParen(byte[] b, int open, int end) {
        int depth = 0;
        for (int i = open; i < end; i++) {
            if (b[i] == '(') {
                depth++;
            } else if (b[i] == ')') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static boolean isHostName(byte[] b, int s, int e) {
        boolean dot = false;
        for (int i = s; i < e; i++) {
            byte c = b[i];
            if (c == '.') {
                dot = true;
            } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_' || c == '[' || c == ']' || c == ':')) {
                return false;
            }
        }
        return dot;
    }

    private static boolean isAngle(byte[] b, int s, int e) {
        return e - s >= 2 && b[s] == '<' && b[e - 1] == '>';
    }

    /** A queue file path: has a '/', no ';', and ends in a name with a suffix (.00, .01, .HELD). */
    private static boolean isQueuePath(byte[] b, int s, int e) {
        if (Text.containsAny(b, s, e, (byte) ';', (byte) '<', (byte) '(')) {
            return false;
        }
        int slash = Text.lastIndexOf(b, s, e, (byte) '/');
        if (slash < 0 || e - slash < 4) {
            return false;
        }
        int dot = Text.lastIndexOf(b, slash + 1, e, (byte) '.');
        return dot > slash + 2 && dot < e - 1;
    }

    private static int bit(LogField f) {
        return 1 << f.ordinal();
    }

    // ---- connection and header entries ---------------------------------------------------------------------

    private Entry connection(byte[] b, int p, int e, LocalDateTime time, long line, long offset, boolean truncated,
                             int n, boolean inbound) {
        int pid = -1;
        for (int i = n - 2; i >= 0; i--) {
            if (isProcessId(b, tokStart[i], tokEnd[i])) {
                pid = i;
                break;
            }
        }
        String processId = pid >= 0 ? str(b, tokStart[pid], tokEnd[pid]) : null;
        String node = null;
        if (pid >= 1 || (pid < 0 && n == 2)) {
            node = str(b, tokStart[0], tokEnd[0]);
        }
        if (n > 3 || (pid < 0 && n > 2)) {
            return fail("too many fields before the connection direction");
        }
        String channel = cached(b, tokStart[n - 1], tokEnd[n - 1]);
        p = Text.skipBlanks(b, p, e);
        int ce = Text.nextSpace(b, p, e);
        if (!isCode(b, p, ce)) {
            return fail("no connection code (O, C, X, Y, I, U) after the direction");
        }
        String code = cached(b, p, ce);
        p = Text.skipBlanks(b, ce, e);
        String transport = null;
        String application = null;
        int te = Text.nextSpace(b, p, e);
        if (p < e && isTransport(b, p, te)) {
            transport = str(b, p, te);
            p = Text.skipBlanks(b, te, e);
            te = Text.nextSpace(b, p, e);
        }
        if (p < e && isApplication(b, p, te)) {
            application = cached(b, p, te);
            p = Text.skipBlanks(b, te, e);
        }
        String diagnostic = p < e ? str(b, p, e) : null;
        return new ConnectionEntry(time, line, offset, truncated, node, processId, channel, inbound, code, transport,
                application, null, null, diagnostic);
    }

    private Entry header(byte[] b, int p, int e, LocalDateTime time, long line, long offset, boolean truncated,
                         int n) {
        String node = null;
        String processId = null;
        for (int i = 0; i < n; i++) {
            if (isProcessId(b, tokStart[i], tokEnd[i])) {
                processId = str(b, tokStart[i], tokEnd[i]);
            } else {
                node = str(b, tokStart[i], tokEnd[i]);
            }
        }
        int s = Text.skipBlanks(b, p, e);
        int colon = Text.indexOf(b, s, e, (byte) ':');
        String name = str(b, s, colon < 0 ? e : colon);
        String value = colon < 0 ? "" : str(b, Text.skipBlanks(b, colon + 1, e), e);
        return new HeaderEntry(time, line, offset, truncated, node, processId, name, value);
    }

    // Channels, codes, node and application names repeat on almost every line: reuse their Strings. A slot keeps its
    // key's length and first and last eight bytes, which are the whole key up to 16 bytes (most names), so a hit is a
    // few long compares; longer keys are also compared in full.
    private static final int RECENT = 512;
    private static final int WHOLE_IN_WORDS = 16;
    private final String[] recent = new String[RECENT];
    private final int[] recentLength = new int[RECENT];
    private final long[] recentHead = new long[RECENT];
    private final long[] recentTail = new long[RECENT];
    private final byte[][] recentKeys = new byte[RECENT][];

    {
        Arrays.fill(recentLength, -1);
    }

    private String cached(byte[] b, int s, int e) {
        int len = e - s;
        if (len > 40) {
            return str(b, s, e);
        }
        long head;
        long tail;
        if (len >= 8) {
            head = Text.word(b, s);
            tail = Text.word(b, e - 8);
        } else {
            head = 0;
            for (int i = s; i < e; i++) {
                head = head << 8 | (b[i] & 0xff);
            }
            tail = 0;
        }
        // The names that share a prefix (tcp_local, tcp_intranet; SMTP/TLS-...) differ at the end.
        long h = (head * 0x9E3779B97F4A7C15L + tail + len) * 0xC2B2AE3D27D4EB4FL;
        int slot = (int) (h >>> 55); // the top 9 bits: RECENT slots
        if (recentLength[slot] == len && recentHead[slot] == head && recentTail[slot] == tail
                && (len <= WHOLE_IN_WORDS || Arrays.equals(recentKeys[slot], 0, len, b, s, e))) {
            return recent[slot];
        }
        // Equal bytes decode to equal text, so non-ASCII names may be shared too.
        String c = str(b, s, e);
        recent[slot] = c;
        recentLength[slot] = len;
        recentHead[slot] = head;
        recentTail[slot] = tail;
        recentKeys[slot] = len <= WHOLE_IN_WORDS ? null : Arrays.copyOfRange(b, s, e);
        return c;
    }

    private String str(byte[] b, int s, int e) {
        return ascii ? Text.ascii(b, s, e) : Text.decode(b, s, e);
    }

    private Entry fail(String why) {
        error = why;
        return null;
    }
}
