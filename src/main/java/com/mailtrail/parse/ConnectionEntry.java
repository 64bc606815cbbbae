package com.mailtrail.parse;

import java.time.LocalDateTime;

/**
 * A connection event (LOG_CONNECTION bit 1): O open, C close, X rejected, Y failed before established,
 * I ETRN, U authentication. {@code inbound} is true for {@code +} (our SMTP server), false for {@code -}.
 * {@code detail} is the XML {@code mi} text of a {@code co} element (e.g. "Bad password").
 */
public record ConnectionEntry(
        LocalDateTime time,
        long line,
        long offset,
        boolean truncated,
        String node,
        String processId,
        String channel,
        boolean inbound,
        String code,
        String transport,
        String application,
        String username,
        String detail,
        String diagnostic) implements Entry {

    /** The transport ({@code TCP|l-ip|l-port|r-ip|r-port}) taken apart, or null. */
    public Transport transportParts() {
        return Transport.parse(transport);
    }

    /** The diagnostic taken apart, or null without one. Computed on each call: keep the result. */
    public Diagnostic diagnosticParts() {
        return diagnostic == null ? null : DiagnosticParser.parse(diagnostic, code.charAt(0));
    }
}
