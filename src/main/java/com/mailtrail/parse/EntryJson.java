package com.mailtrail.parse;

import java.time.LocalDateTime;

/**
 * Writes an entry as one JSON object (the {@code convert} output, documented in docs/convert.md). Fields that are
 * absent are omitted. Hand-written because this runs once per entry at hundreds of thousands of entries a second.
 */
public final class EntryJson {

    private EntryJson() {
    }

    public static void write(StringBuilder out, String file, Entry entry) {
        out.append('{');
        if (entry instanceof MessageEntry m) {
            message(out, file, m);
        } else if (entry instanceof ConnectionEntry c) {
            connection(out, file, c);
        } else {
            header(out, file, (HeaderEntry) entry);
        }
        if (entry.truncated()) {
            out.append(",\"truncated\":true");
        }
        out.append('}');
    }

    private static void common(StringBuilder out, String kind, String file, Entry e) {
        out.append("\"kind\":\"").append(kind).append('"');
        str(out, "file", file);
        out.append(",\"line\":").append(e.line());
        out.append(",\"time\":\"");
        time(out, e.time());
        out.append('"');
    }

    private static void message(StringBuilder out, String file, MessageEntry m) {
        common(out, "message", file, m);
        str(out, "code", m.code());
        str(out, "action", String.valueOf(m.action()));
        if (m.code().length() > 1) {
            str(out, "modifiers", m.modifiers());
        }
        str(out, "sourceChannel", m.sourceChannel());
        str(out, "destinationChannel", m.destinationChannel());
        out.append(",\"size\":").append(m.size());
        str(out, "sender", m.sender());
        str(out, "originalRecipient", m.originalRecipient());
        str(out, "recipient", m.recipient());
        if (m.queueFile() != null) {
            str(out, "queueFile", m.queueFile().path());
            num(out, "queueAttempts", m.queueFile().attempts());
            if (m.queueFile().held()) {
                out.append(",\"held\":true");
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
        Diagnostic d = m.diagnostic();
        if (d != null) {
            str(out, "diagnostic", d.text());
        }
        str(out, "remoteHost", m.remoteHost());
        str(out, "remoteIp", m.remoteIp());
        Transport t = m.connection();
        if (t != null) {
            num(out, "remotePort", t.remotePort());
            str(out, "localIp", t.localIp());
            num(out, "localPort", t.localPort());
        }
        diagnosticParts(out, d);
        str(out, "application", m.application());
    }

    private static void connection(StringBuilder out, String file, ConnectionEntry c) {
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
        Diagnostic d = c.diagnostic();
        if (d != null) {
            str(out, "diagnostic", d.text());
        }
        Transport t = c.transport() != null ? c.transport() : d == null ? null : d.transport();
        if (t != null) {
            str(out, "remoteIp", t.remoteIp());
            num(out, "remotePort", t.remotePort());
            str(out, "localIp", t.localIp());
            num(out, "localPort", t.localPort());
        }
        diagnosticParts(out, d);
        str(out, "application", c.application());
    }

    private static void header(StringBuilder out, String file, HeaderEntry h) {
        common(out, "header", file, h);
        str(out, "processId", h.processId());
        str(out, "node", h.node());
        str(out, "headerName", h.name());
        str(out, "headerValue", h.value());
    }

    private static void diagnosticParts(StringBuilder out, Diagnostic d) {
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
            out.append(",\"permanent\":").append(d.permanent().booleanValue());
        }
    }

    /** ISO-8601 local date-time with the log's own precision: seconds, or hundredths when there are any. */
    public static void time(StringBuilder out, LocalDateTime t) {
        pad(out, t.getYear(), 4).append('-');
        pad(out, t.getMonthValue(), 2).append('-');
        pad(out, t.getDayOfMonth(), 2).append('T');
        pad(out, t.getHour(), 2).append(':');
        pad(out, t.getMinute(), 2).append(':');
        pad(out, t.getSecond(), 2);
        int nanos = t.getNano();
        if (nanos != 0) {
            out.append('.');
            int digits = 9;
            int v = nanos;
            while (v % 10 == 0 && digits > 2) {
                v /= 10;
                digits--;
            }
            pad(out, v, digits);
        }
    }

    private static StringBuilder pad(StringBuilder out, int v, int width) {
        int len = v == 0 ? 1 : (int) Math.log10(v) + 1;
        for (int i = len; i < width; i++) {
            out.append('0');
        }
        return out.append(v);
    }

    private static void num(StringBuilder out, String name, Number value) {
        if (value != null) {
            out.append(",\"").append(name).append("\":").append(value);
        }
    }

    private static void str(StringBuilder out, String name, String value) {
        if (value == null) {
            return;
        }
        out.append(",\"").append(name).append("\":\"");
        escape(out, value);
        out.append('"');
    }

    static void escape(StringBuilder out, String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
