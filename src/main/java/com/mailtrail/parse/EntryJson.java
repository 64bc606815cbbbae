package com.mailtrail.parse;

import java.time.LocalDateTime;

/**
 * Writes an entry as one JSON object (the {@code convert} output, documented in docs/convert.md). Fields that are
 * absent are omitted. Hand-written because this runs once per entry at hundreds of thousands of entries a second.
 */
public final class EntryJson {

    private EntryJson() {
    }

    public static void write(JsonBuffer out, String file, Entry entry) {
        out.raw('{');
        if (entry instanceof MessageEntry m) {
            message(out, file, m);
        } else if (entry instanceof ConnectionEntry c) {
            connection(out, file, c);
        } else {
            header(out, file, (HeaderEntry) entry);
        }
        if (entry.truncated()) {
            out.raw(",\"truncated\":true");
        }
        out.raw('}');
    }

    private static void common(JsonBuffer out, String kind, String file, Entry e) {
        out.raw("\"kind\":\"").raw(kind).raw('"');
        str(out, "file", file);
        out.raw(",\"line\":").number(e.line());
        out.raw(",\"time\":\"");
        time(out, e.time());
        out.raw('"');
    }

    private static void message(JsonBuffer out, String file, MessageEntry m) {
        common(out, "message", file, m);
        str(out, "code", m.code());
        str(out, "action", String.valueOf(m.action()));
        if (m.code().length() > 1) {
            str(out, "modifiers", m.modifiers());
        }
        str(out, "sourceChannel", m.sourceChannel());
        str(out, "destinationChannel", m.destinationChannel());
        out.raw(",\"size\":").number(m.size());
        str(out, "sender", m.sender());
        str(out, "originalRecipient", m.originalRecipient());
        str(out, "recipient", m.recipient());
        if (m.queueFile() != null) {
            str(out, "queueFile", m.queueFile().path());
            num(out, "queueAttempts", m.queueFile().attempts());
            if (m.queueFile().held()) {
                out.raw(",\"held\":true");
            }
        }
        str(out, "messageId", m.messageId());
        str(out, "originalMessageId", m.originalMessageId());
        str(out, "envelopeId", m.envelopeId());
        str(out, "processId", m.processId());
        str(out, "node", m.node());
        str(out, "username", m.username());
        str(out, "sourceSystem", m.sourceSystem());
        num(out, "notaryFlags", m.notaryFlags());
        num(out, "sensitivity", m.sensitivity());
        num(out, "priority", m.priority());
        str(out, "intermediateAddress", m.intermediateAddress());
        str(out, "initialAddress", m.initialAddress());
        str(out, "filter", m.filter());
        str(out, "reason", m.reason());
        num(out, "queueTime", m.queueTime());
        str(out, "remoteMta", m.remoteMta());
        str(out, "diagnostic", m.diagnostic());
        Diagnostic d = m.diagnosticParts();
        Remote r = m.remote(d);
        if (r != null) {
            str(out, "remoteHost", r.host());
            ends(out, r.ip(), r.port(), r.localIp(), r.localPort());
        }
        diagnosticParts(out, d);
        str(out, "application", m.application());
    }

    private static void connection(JsonBuffer out, String file, ConnectionEntry c) {
        common(out, "connection", file, c);
        str(out, "code", c.code());
        str(out, "action", c.code().substring(0, 1));
        if (c.code().length() > 1) {
            str(out, "modifiers", c.code().substring(1));
        }
        str(out, "sourceChannel", c.channel());
        str(out, "direction", c.inbound() ? "inbound" : "outbound");
        str(out, "processId", c.processId());
        str(out, "node", c.node());
        str(out, "username", c.username());
        str(out, "detail", c.detail());
        str(out, "diagnostic", c.diagnostic());
        Diagnostic d = c.diagnosticParts();
        Transport t = c.transport() != null ? c.transportParts() : d == null ? null : d.transport();
        if (t != null) {
            ends(out, t.remoteIp(), t.remotePort(), t.localIp(), t.localPort());
        }
        diagnosticParts(out, d);
        str(out, "application", c.application());
    }

    /** The two ends of a connection, the remote one first. */
    private static void ends(JsonBuffer out, String remoteIp, Integer remotePort, String localIp, Integer localPort) {
        str(out, "remoteIp", remoteIp);
        num(out, "remotePort", remotePort);
        str(out, "localIp", localIp);
        num(out, "localPort", localPort);
    }

    private static void header(JsonBuffer out, String file, HeaderEntry h) {
        common(out, "header", file, h);
        str(out, "processId", h.processId());
        str(out, "node", h.node());
        str(out, "headerName", h.name());
        str(out, "headerValue", h.value());
    }

    private static void diagnosticParts(JsonBuffer out, Diagnostic d) {
        if (d == null) {
            return;
        }
        str(out, "banner", d.banner());
        num(out, "smtpCode", d.smtpCode());
        str(out, "enhancedStatus", d.enhancedStatus());
        if (d.category() != null) {
            str(out, "category", d.category().key());
        }
        if (d.permanent() != null) {
            out.raw(",\"permanent\":").raw(d.permanent() ? "true" : "false");
        }
    }

    /** ISO-8601 local date-time with the log's own precision: seconds, or hundredths when there are any. */
    public static void time(JsonBuffer out, LocalDateTime t) {
        out.padded(t.getYear(), 4).raw('-').padded(t.getMonthValue(), 2).raw('-').padded(t.getDayOfMonth(), 2)
                .raw('T').padded(t.getHour(), 2).raw(':').padded(t.getMinute(), 2).raw(':')
                .padded(t.getSecond(), 2);
        int nanos = t.getNano();
        if (nanos != 0) {
            int digits = 9;
            int v = nanos;
            while (v % 10 == 0 && digits > 2) {
                v /= 10;
                digits--;
            }
            out.raw('.').padded(v, digits);
        }
    }

    private static void num(JsonBuffer out, String name, Number value) {
        if (value != null) {
            out.raw(",\"").raw(name).raw("\":").number(value.longValue());
        }
    }

    private static void str(JsonBuffer out, String name, String value) {
        if (value != null) {
            out.raw(",\"").raw(name).raw("\":").string(value);
        }
    }
}
