package com.mailtrail.generate;

import com.mailtrail.parse.LogField;
import com.mailtrail.parse.LogOptions;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an {@link Event} as one line of LOG_FORMAT 1, 2 or 4, and says what the line carries. Built with a
 * StringBuilder and char arithmetic: this runs once per line and String.format would dominate the run time.
 */
final class LineRenderer {

    static final long DAY = 8_640_000;
    private static final int CHANNEL_WIDTH = 12;
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
            "Nov", "Dec"};

    private final int format;
    private final LocalDate firstDay;
    private final String nodeName;
    private final boolean node;
    private final boolean process;
    private final boolean notary;
    private final boolean filename;
    private final boolean envelopeId;
    private final boolean messageId;
    private final boolean username;
    private final boolean connection;
    private final boolean sensitivity;
    private final boolean priority;
    private final boolean intermediate;
    private final boolean initial;
    private final boolean filter;
    private final boolean reason;
    private final boolean transport;
    private final boolean application;
    private final boolean queueTime;
    /** "02-Mar-2026 " or "2026-03-02T", per day after the first. */
    private final List<String> datePrefixes = new ArrayList<>();

    LineRenderer(LogOptions options, int format, LocalDate firstDay, String nodeName) {
        this.format = format;
        this.firstDay = firstDay;
        this.nodeName = nodeName;
        node = options.has(LogField.NODE);
        process = options.has(LogField.PROCESS);
        notary = options.has(LogField.NOTARY);
        filename = options.has(LogField.FILENAME);
        envelopeId = options.has(LogField.ENVELOPE_ID);
        messageId = options.has(LogField.MESSAGE_ID);
        username = options.has(LogField.USERNAME);
        connection = options.has(LogField.CONNECTION);
        sensitivity = options.has(LogField.SENSITIVITY);
        priority = options.has(LogField.PRIORITY);
        intermediate = options.has(LogField.INTERMEDIATE);
        initial = options.has(LogField.INITIAL);
        filter = options.has(LogField.FILTER);
        reason = options.has(LogField.REASON);
        transport = options.has(LogField.TRANSPORT);
        application = options.has(LogField.APPLICATION);
        queueTime = options.has(LogField.QUEUE_TIME);
    }

    void render(Event e, StringBuilder b) {
        if (format == 4) {
            if (e.connection) {
                xmlConnection(e, b);
            } else {
                xmlMessage(e, b);
            }
        } else if (e.connection) {
            plainConnection(e, b);
        } else {
            plainMessage(e, b);
        }
        b.append('\n');
    }

    // ---- format 1 and 2 ------------------------------------------------------------------------------------

    private void plainMessage(Event e, StringBuilder b) {
        plainPrefix(e, b);
        pad(b, e.source).append(' ');
        pad(b, e.destination).append(' ');
        b.append(e.code).append(' ').append(e.size).append(' ');
        address(b, e.sender).append(" rfc822;");
        address(b, e.originalRecipient).append(' ').append(e.recipient);
        if (notary) {
            b.append(' ');
            if (e.notary >= 0) {
                b.append(e.notary);
            }
        }
        if (filename) {
            field(b, e.queueFile);
        }
        if (envelopeId) {
            field(b, e.envelopeId);
        }
        if (messageId) {
            messageIds(b.append(' '), e);
        }
        if (username) {
            field(b, e.username);
        }
        if (connection) {
            field(b, e.sourceSystem);
        }
        if (sensitivity) {
            number(b, e.sensitivity);
        }
        if (priority) {
            number(b, e.priority);
        }
        if (intermediate) {
            field(b, e.intermediate);
        }
        if (initial) {
            field(b, e.initial);
        }
        if (filter) {
            field(b, e.filter);
        }
        if (reason) {
            field(b, e.reason);
        }
        // LOG_DIAGNOSTICS is on by default and is not in LogField: its slot is always written, even when empty.
        field(b, e.diagnostic);
        if (transport) {
            field(b, e.transport);
        }
        if (application) {
            field(b, e.application);
        }
        if (queueTime) {
            b.append(' ');
            if (e.queueTime >= 0) {
                b.append(e.queueTime);
            }
        }
    }

    private void plainConnection(Event e, StringBuilder b) {
        plainPrefix(e, b);
        pad(b, e.source).append(' ');
        pad(b, e.direction).append(' ');
        b.append(e.code).append(' ').append(e.transport).append(' ').append(e.application);
        if (e.diagnostic != null) {
            b.append(' ').append(e.diagnostic);
        }
    }

    private void plainPrefix(Event e, StringBuilder b) {
        b.append(datePrefix(e.time));
        clock(b, e.time);
        if (node) {
            b.append(' ').append(nodeName);
        }
        if (process) {
            b.append(' ').append(e.session.processId);
        }
        b.append(' ');
    }

    private static StringBuilder pad(StringBuilder b, String channel) {
        int n = 0;
        if (channel != null) {
            b.append(channel);
            n = channel.length();
        }
        for (; n < CHANNEL_WIDTH; n++) {
            b.append(' ');
        }
        return b;
    }

    private StringBuilder address(StringBuilder b, String address) {
        if (address == null || address.isEmpty()) {
            return format == 2 ? b.append("<>") : b;
        }
        return b.append(address);
    }

    private static void field(StringBuilder b, String value) {
        b.append(' ');
        if (value != null) {
            b.append(value);
        }
    }

    private static void number(StringBuilder b, int value) {
        b.append(' ');
        if (value >= 0) {
            b.append(value);
        }
    }

    private static StringBuilder messageIds(StringBuilder b, Event e) {
        if (e.messageId != null) {
            b.append(e.messageId);
            if (e.originalMessageId != null) {
                b.append(',').append(e.originalMessageId);
            }
        }
        return b;
    }

    // ---- format 4 ------------------------------------------------------------------------------------------

    private void xmlMessage(Event e, StringBuilder b) {
        xmlPrefix(e, b, "<en");
        attribute(b, "sc", e.source);
        attribute(b, "dc", e.destination);
        attribute(b, "ac", e.code);
        b.append(" sz=\"").append(e.size).append('"');
        // The envelope addresses are always present, even empty; optional attributes only when they have a value.
        b.append(" so=\"");
        escape(b, e.sender == null ? "" : e.sender);
        b.append("\" od=\"rfc822;");
        escape(b, e.originalRecipient == null ? "" : e.originalRecipient);
        b.append("\" de=\"");
        escape(b, e.recipient);
        b.append('"');
        if (notary && e.notary >= 0) {
            b.append(" rf=\"").append(e.notary).append('"');
        }
        attributeIf(filename, b, "fi", e.queueFile);
        attributeIf(envelopeId, b, "ei", e.envelopeId);
        if (messageId && e.messageId != null) {
            b.append(" mi=\"");
            escape(b, e.messageId);
            if (e.originalMessageId != null) {
                b.append(',');
                escape(b, e.originalMessageId);
            }
            b.append('"');
        }
        attributeIf(username, b, "us", e.username);
        attributeIf(connection, b, "ss", e.sourceSystem);
        if (sensitivity && e.sensitivity >= 0) {
            b.append(" se=\"").append(e.sensitivity).append('"');
        }
        if (priority && e.priority >= 0) {
            b.append(" pr=\"").append(e.priority).append('"');
        }
        attributeIf(intermediate, b, "in", e.intermediate);
        attributeIf(initial, b, "ia", e.initial);
        attributeIf(filter, b, "fl", e.filter);
        attributeIf(reason, b, "re", e.reason);
        attribute(b, "di", e.diagnostic);
        attributeIf(transport, b, "tr", e.transport);
        attributeIf(application, b, "ap", e.application);
        if (queueTime && e.queueTime >= 0) {
            b.append(" qt=\"").append(e.queueTime).append('"');
        }
        b.append("/>");
    }

    private void xmlConnection(Event e, StringBuilder b) {
        xmlPrefix(e, b, "<co");
        attribute(b, "sc", e.source);
        attribute(b, "dr", e.direction);
        attribute(b, "ac", e.code);
        attribute(b, "tr", e.transport);
        attribute(b, "ap", e.application);
        attribute(b, "di", e.diagnostic);
        b.append("/>");
    }

    private void xmlPrefix(Event e, StringBuilder b, String element) {
        b.append(element).append(" ts=\"").append(datePrefix(e.time));
        clock(b, e.time);
        b.append('"');
        if (node) {
            attribute(b, "no", nodeName);
        }
        if (process) {
            attribute(b, "pi", e.session.processId);
        }
    }

    private static void attributeIf(boolean enabled, StringBuilder b, String name, String value) {
        if (enabled) {
            attribute(b, name, value);
        }
    }

    private static void attribute(StringBuilder b, String name, String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        b.append(' ').append(name).append("=\"");
        escape(b, value);
        b.append('"');
    }

    static void escape(StringBuilder b, String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
    }

    // ---- time ----------------------------------------------------------------------------------------------

    private String datePrefix(long time) {
        int day = (int) (time / DAY);
        while (datePrefixes.size() <= day) {
            LocalDate d = firstDay.plusDays(datePrefixes.size());
            StringBuilder p = new StringBuilder(12);
            if (format == 4) {
                p.append(d.getYear()).append('-');
                two(p, d.getMonthValue()).append('-');
                two(p, d.getDayOfMonth()).append('T');
            } else {
                two(p, d.getDayOfMonth()).append('-').append(MONTHS[d.getMonthValue() - 1]).append('-')
                        .append(d.getYear()).append(' ');
            }
            datePrefixes.add(p.toString());
        }
        return datePrefixes.get(day);
    }

    private static void clock(StringBuilder b, long time) {
        long t = time % DAY;
        int cs = (int) (t % 100);
        long s = t / 100;
        two(b, (int) (s / 3600)).append(':');
        two(b, (int) (s / 60 % 60)).append(':');
        two(b, (int) (s % 60)).append('.');
        two(b, cs);
    }

    private static StringBuilder two(StringBuilder b, int v) {
        return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }

    // ---- truth ---------------------------------------------------------------------------------------------

    GeneratedEntry truth(Event e, long line) {
        long tod = e.time % DAY;
        LocalDateTime time = firstDay.plusDays(e.time / DAY).atTime(LocalTime.ofNanoOfDay(tod * 10_000_000L));
        String pid = process ? e.session.processId : null;
        String nodeValue = node ? nodeName : null;
        if (e.connection) {
            return new GeneratedEntry(line, GeneratedEntry.Kind.CONNECTION, time, nodeValue, pid, e.source, null,
                    e.direction, e.code, 0, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, e.diagnostic, e.transport, e.application, null);
        }
        return new GeneratedEntry(line, GeneratedEntry.Kind.MESSAGE, time, nodeValue, pid, e.source, e.destination,
                null, e.code, e.size,
                e.sender == null ? "" : e.sender,
                e.originalRecipient == null ? "" : e.originalRecipient,
                e.recipient,
                notary && e.notary >= 0 ? e.notary : null,
                filename ? e.queueFile : null,
                envelopeId ? e.envelopeId : null,
                messageId ? e.messageId : null,
                messageId ? e.originalMessageId : null,
                username ? e.username : null,
                connection ? e.sourceSystem : null,
                sensitivity && e.sensitivity >= 0 ? e.sensitivity : null,
                priority && e.priority >= 0 ? e.priority : null,
                intermediate ? e.intermediate : null,
                initial ? e.initial : null,
                filter ? e.filter : null,
                reason ? e.reason : null,
                e.diagnostic,
                transport ? e.transport : null,
                application ? e.application : null,
                queueTime && e.queueTime >= 0 ? e.queueTime : null);
    }
}
