package com.mailtrail.parse;

import java.time.LocalDateTime;

/**
 * An enqueue, dequeue, rejection or other message event. Optional fields are null when the site's LOG_* options
 * did not log them (or logged them empty). {@code sender} is "" for the null return path. {@code diagnostic} is
 * the text as logged; {@link #diagnosticParts()} takes it apart.
 */
public record MessageEntry(
        LocalDateTime time,
        long line,
        long offset,
        boolean truncated,
        String node,
        String processId,
        String sourceChannel,
        String destinationChannel,
        String code,
        long size,
        String sender,
        String originalRecipient,
        String recipient,
        Integer notaryFlags,
        QueueFile queueFile,
        String envelopeId,
        String messageId,
        String originalMessageId,
        String username,
        String sourceSystem,
        Integer sensitivity,
        Integer priority,
        String intermediateAddress,
        String initialAddress,
        String filter,
        String reason,
        String diagnostic,
        String transport,
        String application,
        Long queueTime,
        String remoteMta) implements Entry {

    /** The action letter: E, D, Q, R, J, K, W, Z, B, V... */
    public char action() {
        return code.charAt(0);
    }

    /**
     * The diagnostic taken apart (remote host, SMTP reply, category...), or null without a diagnostic. Computed on
     * each call: keep the result.
     */
    public Diagnostic diagnosticParts() {
        return diagnostic == null ? null : DiagnosticParser.parse(diagnostic, action());
    }

    /** The transport field ({@code TCP|l-ip|l-port|r-ip|r-port}) taken apart, or null. */
    public Transport transportParts() {
        return Transport.parse(transport);
    }

    /** The remote end, given this entry's {@link #diagnosticParts()}. */
    public Remote remote(Diagnostic parts) {
        return Remote.of(parts, transportParts(), sourceSystem);
    }

    /** The modifier letters as written (E = ESMTP, C = CHUNKING, A = SASL, S = TLS...). */
    public String modifiers() {
        return code.substring(1);
    }
}
